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

from collections.abc import Callable
from dataclasses import dataclass

from storyforge.core.reading import reading_grade

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
) -> list[str]:
    """The pages' final texts, their whole reading grade within [low, high] when it can be.

    `finish` turns raw page texts into what the reader sees (names filled in,
    capitals); the grade is measured on its output. `padding` is (easy, hard)
    sentences that may be added once swapping wordings is not enough.
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
