"""The lessons an offline story turns on (lessons.txt), and how a free-text moral
finds its lesson.

A lesson is told in four steps spread over the middle of the book: a character
meets the choice, gets it wrong or hesitates, sees what follows, and does the right
thing; the ending recalls it. A moral in the user's words is matched to the lesson
whose words (or their stems and synonyms) it uses most; when it uses none, the
story still turns on those words, quoted where the character learns them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from storyforge.generation.providers.offline.beats import Beat, Line, blocks_parse, line_parse

STAGES = ("choice", "wrong", "follows", "right")


@dataclass(frozen=True)
class Lesson:
    key: str
    words: tuple[str, ...]  # stems and phrases a moral is matched by
    marker: re.Pattern  # words that show the lesson on a page
    morals: tuple[str, ...]
    stages: dict[str, tuple[Beat, ...]]  # each stage's tellings; the seed picks one
    echoes: tuple[Line, ...]


def stem(word: str) -> str:
    """A rough English stem: "sharing", "shared" and "shares" all give "shar"."""
    word = word.lower().strip("'")
    for suffix in ("fulness", "ness", "ing", "ful", "ed", "es", "er", "ly", "s", "e"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_BLOCKS = blocks_parse(Path(__file__).with_name("lessons.txt").read_text(encoding="utf-8"))
_OWN_WORDS = _BLOCKS.pop("own-words")


def _lessons() -> dict[str, Lesson]:
    lessons = {}
    for key, block in _BLOCKS.items():
        words = tuple(stem(word) for word in block.one("words").split())
        lessons[key] = Lesson(
            key=key,
            words=words,
            marker=re.compile(rf"\b(?:{block.one('marker')})", re.IGNORECASE),
            morals=tuple(block.fields["moral"]),
            stages={stage: block.beats_of(stage) for stage in STAGES},
            echoes=tuple(line_parse(echo) for echo in block.fields["echo"]),
        )
    return lessons


LESSONS = _lessons()
# Phrases that name a lesson better than any one of their words.
_PHRASES = {
    "listen to each other": "listening",
    "give up": "keep-going", "keep going": "keep-going", "try again": "keep-going", "say sorry": "sorry",
    "saying sorry": "sorry", "new things": "new-things", "new food": "new-things", "be yourself": "different",
    "fit in": "different", "take turns": "patience", "taking turns": "patience", "thank you": "gratitude",
    "tell the truth": "honesty", "telling the truth": "honesty", "work together": "teamwork",
    "working together": "teamwork", "each other": "teamwork", "nature": "nature", "the planet": "nature",
    "be kind": "kindness", "being kind": "kindness", "be brave": "courage", "being brave": "courage",
    "brave heart": "courage",
}  # fmt: skip
# A lesson's own morals name it whatever words they share with other lessons.
_MORALS = {moral.lower().rstrip(".!?"): key for key, lesson in LESSONS.items() for moral in lesson.morals}


def lesson_match(moral: str) -> Lesson | None:
    """The lesson a moral in the user's words is about, or None when it names none."""
    lowered = " ".join(moral.lower().split())
    if lowered.rstrip(".!? ") in _MORALS:
        return LESSONS[_MORALS[lowered.rstrip(".!? ")]]
    for phrase, key in _PHRASES.items():
        if phrase in lowered:
            return LESSONS[key]
    stems = [stem(word) for word in re.findall(r"[a-z']+", lowered)]
    best, score = None, 0
    for lesson in LESSONS.values():
        found = sum(1 for word in stems if word in lesson.words)
        if found > score:
            best, score = lesson, found
    return best


def lesson_of_own_words(moral: str) -> Lesson:
    """A lesson told around the user's own words, for a moral no lesson matches."""
    quoted = moral if moral.endswith((".", "!", "?")) else f"{moral}."
    quoted = quoted.replace("{", "").replace("}", "").replace("<", "").replace(">", "")
    words = sorted(re.findall(r"[A-Za-z']{4,}", moral), key=len, reverse=True)[:3] or ["remember"]
    block = _OWN_WORDS
    stages = {
        stage: tuple(
            Beat(beat.doing, tuple(_quoting(line, quoted) for line in beat.lines), beat.needs, beat.kind)
            for beat in block.beats_of(stage)
        )
        for stage in STAGES
    }
    echoes = tuple(_quoting(line_parse(echo), quoted) for echo in block.fields["echo"])
    return Lesson(
        key="own-words",
        words=(),
        marker=re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE),
        morals=(moral,),
        stages=stages,
        echoes=echoes,
    )


def _quoting(line: Line, quoted: str) -> Line:
    """A line of the own-words lesson with the user's words in it."""
    return Line(line.core, line.simple.replace("{q}", quoted), line.rich.replace("{q}", quoted))
