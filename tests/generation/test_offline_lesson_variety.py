"""Issue 16, point 4, lesson by lesson: whatever lesson a brief turns on, its 40
books (seeds 0..39) keep at least 85 % of their sentences distinct and no sentence
in more than a quarter of them. The brief is the issue's: Mia and Pip the dragon,
6-8, twelve pages, in the snowy mountain village, one brief per lesson and its
first moral, in English and in Spanish."""

from dataclasses import replace

import pytest

from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.es import LECCIONES, leccion_match
from storyforge.generation.providers.offline.lessons import LESSONS, lesson_match
from storyforge.generation.providers.offline.storyteller import story_write
from tests.generation.offline_cast import MIA, PIP

DISTINCT, TOP = 0.85, 0.25  # the thresholds
BOOKS = 40

SETTINGS = {"en": "a snowy mountain village", "es": "un pueblo de montaña nevado"}


def _brief(moral: str, language: str) -> StoryBrief:
    return StoryBrief(
        (MIA, PIP),
        ("Pip is Mia's best friend (since the storm).",),
        "6-8",
        12,
        "gentle",
        moral,
        SETTINGS[language],
        language,
        "watercolour",
        0,
    )


def _variety(moral: str, language: str) -> quality.Variety:
    brief = _brief(moral, language)
    return quality.variety([story_write(replace(brief, seed=seed)) for seed in range(BOOKS)])


@pytest.mark.parametrize("key", sorted(LESSONS))
def test_every_english_lesson_keeps_its_books_varied(key):
    moral = LESSONS[key].morals[0]
    assert lesson_match(moral).key == key  # the brief really turns on this lesson

    variety = _variety(moral, "en")

    assert variety.distinct_share >= DISTINCT, variety
    assert variety.top_share <= TOP, variety


# The Spanish book's own sentences (openings, facts, closings) repeat more than the
# English ones, so a Spanish lesson clears the bar by a point or two only: its
# wordings need to stay wide.
@pytest.mark.parametrize("key", sorted(LECCIONES))
def test_every_spanish_lesson_keeps_its_books_varied(key):
    moral = LECCIONES[key]["moraleja"][0]
    assert leccion_match(moral) == key

    variety = _variety(moral, "es")

    assert variety.distinct_share >= DISTINCT, variety
    assert variety.top_share <= TOP, variety


@pytest.mark.parametrize("key", sorted(LESSONS))
def test_every_moral_of_a_lesson_finds_that_lesson(key):
    for moral in LESSONS[key].morals:
        assert lesson_match(moral).key == key, moral
