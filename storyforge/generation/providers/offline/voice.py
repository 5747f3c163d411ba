"""The built-in narrator: espeak-ng (Debian's `espeak-ng` package), a voice for each
language a story can be written in, a little slower than its default for young
listeners. Robotic next to a neural voice, but it needs no network, no key and no
model download, and it speaks every language StoryForge writes in."""

from __future__ import annotations

import shutil
import subprocess

from storyforge.core import audio
from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import ProviderError, SpokenClip
from storyforge.generation.providers.facts import facts_get, facts_learn

VOICES = {"en": "en-gb", "de": "de", "fr": "fr-fr", "es": "es", "it": "it", "nl": "nl", "pt": "pt"}
WORDS_PER_MINUTE = 140  # espeak-ng's default is 175
MODEL = "espeak-ng"
INSTALL_HINT = "espeak-ng is not installed on this machine: on Debian or Ubuntu, apt-get install espeak-ng."


# The workers speak, not the web process that is asked for narration; on more than one
# machine they may not have the same packages. A worker with espeak-ng says so here,
# in the shared facts, when it starts and whenever it speaks.
WORKERS_FACTS = "built-in narrator"


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


def espeak_here_noted() -> None:
    """Tell every process that this machine can narrate (called by workers)."""
    if espeak_path() is not None:
        facts_learn(WORKERS_FACTS, espeak="present")


def espeak_anywhere() -> bool:
    """Whether this machine, or a worker that said so lately, has espeak-ng."""
    return espeak_path() is not None or facts_get(WORKERS_FACTS).get("espeak") == "present"


def speak(text: str, language: str) -> SpokenClip:
    binary = espeak_path()
    if binary is None:
        raise ProviderError(ErrorCode.AI_CAPABILITY_MISSING, INSTALL_HINT, transient=False)
    voice = VOICES.get(language, "en-gb")
    try:
        # The text goes in on standard input, so nothing in it can pass for an option.
        result = subprocess.run(
            [binary, "-v", voice, "-s", str(WORDS_PER_MINUTE), "--stdout", "--stdin"],
            input=text.encode(),
            capture_output=True,
            timeout=60,
            check=True,
        )
        mp3, duration = audio.clip_normalized(result.stdout)
        espeak_here_noted()
    except (subprocess.SubprocessError, OSError, audio.AudioUnreadable) as error:
        raise ProviderError(
            ErrorCode.AI_SERVER_ERROR, f"espeak-ng could not read aloud: {error}", transient=True
        ) from None
    return SpokenClip(mp3=mp3, duration_ms=duration, model=MODEL, voice=voice, provider="offline")
