"""How long the offline provider takes to make a whole 12-page book on one core.

    .venv/bin/python bench/offline_book.py [--runs 5] [--pages 12]

Each run writes the story and illustrates every page, as the pipeline does for a
reader without an OpenAI key. It prints each run and the median wall-clock and CPU
seconds; the target is under 2 seconds for the book. The process is pinned to one
CPU where the system allows, so the figure is what one worker process costs. No
database and no Django setup are needed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storyforge.generation.providers.base import CharacterSheet, Scene, StoryBrief
from storyforge.generation.providers.offline import OfflineProvider

TARGET_SECONDS = 2.0
CAST = (
    CharacterSheet(
        "Mia", "child", "she/her", 7, ("Brave", "Curious", "Kind"), "auburn", "braids", "green", "light",
        "a yellow raincoat and red wellies", "freckles",
    ),
    CharacterSheet("Leo", "child", "he/him", 4, ("Playful", "Funny", "Shy"), "auburn", "curly", "brown", "light", "dungarees"),
    CharacterSheet("Pip", "dragon", "they/them", 300, ("Gentle", "afraid of the dark"), "none", "", "amber", "scales-green", "a tiny blue scarf"),
)  # fmt: skip


def book_make(provider: OfflineProvider, pages: int, seed: int) -> tuple[float, float, float]:
    """One book: (wall seconds, CPU seconds, seconds spent writing the story)."""
    wall, cpu = time.perf_counter(), time.process_time()
    brief = StoryBrief(
        characters=CAST,
        relationships=("Mia is Leo's sibling (big sister).", "Pip is Mia's best friend (since the storm)."),
        age_group="6-8",
        page_count=pages,
        tone="gentle",
        moral="",
        setting="the seaside",
        language="en",
        art_style="watercolour",
        seed=seed,
    )
    draft = provider.story_write(brief)
    written = time.perf_counter() - wall
    for number, page in enumerate(draft.pages, start=1):
        provider.page_illustrate(
            Scene(number, page.visual_description, page.text, CAST, brief.setting, brief.art_style, seed)
        )
    return time.perf_counter() - wall, time.process_time() - cpu, written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=12)
    options = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    provider = OfflineProvider()
    book_make(provider, 1, seed=0)  # a warm-up: imports and the hyphenation dictionary load once
    walls, cpus = [], []
    for run in range(options.runs):
        wall, cpu, written = book_make(provider, options.pages, seed=1000 + run)
        walls.append(wall)
        cpus.append(cpu)
        print(f"run {run + 1}: {wall:.3f} s wall, {cpu:.3f} s CPU (story {written * 1000:.1f} ms)")
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    verdict = "within" if wall < TARGET_SECONDS else "OVER"
    print(f"{options.pages}-page book, median of {options.runs}: {wall:.3f} s wall, {cpu:.3f} s CPU")
    print(f"{verdict} the {TARGET_SECONDS:.0f} s target on one core")
    return 0 if wall < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
