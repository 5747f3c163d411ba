"""How long the built-in narrator (espeak-ng) takes to speak one sentence, decoded
and encoded to StoryForge's clip shape, on one core.

    .venv/bin/python bench/narration_offline.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storyforge.generation.providers.offline.voice import speak

SENTENCE = "Mia found a shiny red ball under the old apple tree."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        clip = speak(SENTENCE, "en")
        times.append(time.perf_counter() - started)
    print(f"{len(SENTENCE.split())} words, {clip.duration_ms} ms of speech")
    print(
        f"mean {statistics.mean(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms over {args.runs}"
    )


if __name__ == "__main__":
    main()
