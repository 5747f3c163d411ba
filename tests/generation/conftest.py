"""Fixtures shared by the offline storyteller's tests."""

import pytest

from storyforge.generation.providers.offline import readability


@pytest.fixture
def chants(monkeypatch) -> list[int]:
    """How many words the reading-level pass chanted ("Hop, hop!"), one count per call of
    its last resort; a book that reads easily enough without it leaves the list at zero."""
    chanted: list[int] = []
    chant = readability._chant

    def counted(pages, words, fits):
        before = sum(map(len, pages))
        chant(pages, words, fits)
        chanted.append(sum(map(len, pages)) - before)

    monkeypatch.setattr(readability, "_chant", counted)
    return chanted
