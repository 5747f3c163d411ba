"""The offline storyteller's last pass: nudge a finished story's wording until its
reading grade fits the age group.

Every sentence was written in a simple and a rich wording. The pass first swaps
wordings towards the range, longest first, as few as it takes; only when swapping
cannot get there does it add short exclamations (easier) or a descriptive sentence
(harder), spread over the middle pages. The brief's own words (a long moral, a name
of many syllables) can push a toddler's book out of range, and this brings it back.
Both steps search by halving, so a story costs a handful of measurements.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pyphen

from storyforge.core.reading import reading_grade
from storyforge.generation.providers.offline.bodies import BODY_WORDS

_MAX_PADDING = 400


@dataclass
class Slot:
    """One sentence (or two short ones) of a page, in both wordings."""

    simple: str
    rich: str
    use_rich: bool = False

    @property
    def text(self) -> str:
        return self.rich if self.use_rich else self.simple


def fit_reading_level(
    pages: list[list[Slot]],
    low: float,
    high: float,
    padding: tuple[list[str], list[str]],
    finish: Callable[[list[str]], list[str]],
    most: int = 0,
) -> list[str]:
    """The pages' final texts, their whole reading grade within [low, high] when it can be.

    `finish` turns raw page texts into what the reader sees (names filled in,
    capitals); the grade is measured on its output. `padding` is (easy, hard)
    sentences that may be added once swapping wordings is not enough; with `most`,
    to pages of fewer than `most` sentences first.
    """

    def grade() -> float:
        return reading_grade("\n\n".join(_render(pages, finish)))

    first = grade()
    if low <= first <= high:
        return _render(pages, finish)
    harder = first < low

    def fits() -> bool:
        return grade() >= low if harder else grade() <= high

    swappable = [slot for page in pages for slot in page if slot.use_rich != harder and slot.rich != slot.simple]
    swappable.sort(key=lambda slot: -len(slot.rich))  # the longest move the grade the most

    def swap(count: int) -> None:
        for index, slot in enumerate(swappable):
            slot.use_rich = (not harder) if index >= count else harder

    if _smallest(len(swappable), swap, fits) is None:
        swap(len(swappable))
        added: list[tuple[list[Slot], Slot]] = []
        pool = padding[0 if not harder else 1]
        # Middle pages first, so the opening and the moral stay as written.
        order = list(range(1, len(pages) - 1)) or list(range(len(pages)))
        if most:  # pages with room first; then, only if the grade asks for it, sounds beyond `most`
            order = order + [index for index in range(len(pages)) if index not in order]
            counts = {index: len(_BREAK.findall(_render([pages[index]], list)[0])) + 1 for index in order}
            order = sorted(order, key=lambda index: counts[index] >= most)

        def pad(count: int) -> None:
            for page, slot in added:
                page.remove(slot)
            added.clear()
            for index in range(count):
                page = pages[order[index % len(order)]]
                text = pool[index % len(pool)]
                slot = Slot(text, text)
                page.insert(max(0, len(page) - 1) if page is pages[-1] else len(page), slot)
                added.append((page, slot))

        if _smallest(_MAX_PADDING, pad, fits) is None:
            pad(_MAX_PADDING)
    return _render(pages, finish)


def _smallest(most: int, apply: Callable[[int], None], fits: Callable[[], bool]) -> int | None:
    """The smallest count in 1..most for which `fits()` holds after `apply(count)`,
    assuming more never hurts; None (and `apply(most)` done) when even `most` does not."""
    apply(most)
    if most == 0 or not fits():
        return None
    low, high = 1, most
    while low < high:
        middle = (low + high) // 2
        apply(middle)
        if fits():
            high = middle
        else:
            low = middle + 1
    apply(low)
    return low


def _render(pages: list[list[Slot]], finish: Callable[[list[str]], list[str]]) -> list[str]:
    return finish([" ".join(slot.text for slot in page if slot.text) for page in pages])


# Where one sentence ends and the next begins: '"Who?" asked Pip.' is one sentence.
_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"A-Z])|(?<=[.!?][\"'])\s+(?=[\"A-Z])|(?<=\n)|(?=\n)")
# First words that read in lower case once a sentence is joined to the one before.
_JOINABLE = frozenset(
    [
        "the",
        "it",
        "they",
        "he",
        "she",
        "we",
        "then",
        "everyone",
        "nobody",
        "there",
        "a",
        "an",
        "that",
        "this",
        "so",
        "but",
        "now",
        "soon",
        "one",
        "all",
        "what",
        "somewhere",
        "far",
        "everything",
        "suddenly",
        "next",
        "at",
        "on",
        "in",
        "with",
        "by",
        "near",
        "up",
        "down",
        "his",
        "her",
        "their",
        "its",
        "just",
        "even",
        "still",
        "only",
    ]
)
_JOINS = (", and ", ", and ", "; ", ", and then ", ", and soon ")
_BODY = re.compile(rf"\b(?:{'|'.join(BODY_WORDS)})\b", re.IGNORECASE)
_SUBJECTS = frozenset(("he", "she", "they", "it", "we", "everyone", "nobody"))
_LINKS = frozenset(("but", "so", "then", "now", "soon", "next", "just", "still"))


def sentences_joined(text: str, key: str, share: float, names: frozenset[str] = frozenset()) -> str:
    """Some pairs of plain sentences told as one ("Mia yawned, and it had been a good
    day."), about `share` of them and most pairs of short ones, decided by `key` (the
    seed and the page) and the place in the text, so every measurement of the same
    text joins the same pairs. A sentence may begin with one of `names`."""
    if not share:
        return text
    out: list[str] = []
    for index, sentence in enumerate(_BREAK.split(text)):
        previous = out[-1] if out else ""
        words = sentence.split()
        first = words[0].strip(",") if words else ""
        size = len(previous.split()) + len(words)
        draw = zlib.crc32(f"{key}:{index}".encode()) / 2**32
        if (
            draw < (max(share, 0.75) if size <= 12 else share)
            and previous.endswith(".")
            and "\n" not in previous[-3:]
            and sentence.endswith(".")
            and (first.lower() in _JOINABLE or first.removesuffix("'s") in names)
            and size <= 24
            and not _BODY.search(previous + sentence)  # whose wings? Each stays with its own name
        ):
            join = _JOINS[zlib.crc32(f"{key.split(':')[-1]}:{index}".encode()) % len(_JOINS)]
            if first.lower() in _LINKS:  # "..., but Mia...", not "..., and but Mia..."
                join = ", " if first.lower() != "then" else ", and "
            elif join.endswith(("then ", "soon ")) and not (first in names or first.lower() in _SUBJECTS):
                join = ", and "
            keep = first.removesuffix("'s") in names or first == "I"
            out[-1] = previous[:-1] + join + (sentence if keep else sentence[0].lower() + sentence[1:])
        else:
            out.append(sentence)
    return " ".join(out).replace(" \n\n ", "\n\n")


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_END = re.compile(r"[.!?]+")


def grade_of(text: str, language: str = "en") -> float:
    """The reading grade of a story's text, on the scale READING_LEVEL_TARGETS uses.

    English is Flesch-Kincaid (storyforge.core.reading). Spanish words carry more
    syllables than English ones for the same ease, so Flesch-Kincaid overrates a
    Spanish text by grades; Spanish is measured with Szigriszt-Pazos' perspicuity
    (P = 206.835 - 62.3 syllables/words - words/sentences, the INFLESZ scale) and
    mapped to a grade as grade = (95 - P) / 5: "very easy" (P >= 80) is grade 3 and
    under, "quite easy" (65-80) grades 3-6, "normal" (55-65) grades 6-8.
    """
    if language != "es":
        return reading_grade(text, language)
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_END.findall(text)))
    dictionary = _spanish()
    syllables = sum(
        max(len(re.findall(r"[aeiouáéíóúü]+", word.lower())), len(dictionary.positions(word)) + 1, 1) for word in words
    )
    perspicuity = 206.835 - 62.3 * syllables / len(words) - len(words) / sentences
    return round((95 - perspicuity) / 5, 2)


@functools.cache
def _spanish() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="es")
