"""Issue 16 in Spanish: each age group has its own voice. A 1-2 book is a board book
(one or two short sentences a page, the place's sounds), 3-5 keeps pages short, 9-12
tells paragraphs; every age reads inside its band by the Spanish measure, and every
book of eight pages or more still tells every character's facts."""

import re
import statistics
from dataclasses import replace

import pytest

from storyforge.core.reading import READING_LEVEL_TARGETS
from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.readability import grade_of
from storyforge.generation.providers.offline.storyteller import story_write
from tests.generation.offline_cast import LEO, MIA, PIP, spanish_brief

AGES = ("1-2", "3-5", "6-8", "9-12")
SEEDS = range(20)
# Where one sentence ends and the next begins: "—¿Quién ha sido? —preguntó Leo." is one.
SPLIT = re.compile(r"(?<=[.!?»])\s+(?=[—¡¿«]*[A-ZÁÉÍÓÚÑ])")
SOUND = re.compile(r"¡[^!.?]{1,20}!")  # "¡Cronch, cronch!"
SPARSE = (
    replace(MIA, likes="", backstory=""),
    replace(PIP, traits=("Gentle", "Curious"), likes="", backstory=""),
    replace(LEO, traits=("Playful", "Shy"), likes="", backstory=""),
)


def brief(age: str, seed: int = 0, cast=(MIA, PIP, LEO), **changes) -> StoryBrief:
    return spanish_brief(cast, seed, age_group=age, **({"page_count": 8} | changes))


def text_of(draft) -> str:
    return " ".join(page.text for page in draft.pages)


@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("cast", [(MIA, PIP, LEO), SPARSE], ids=["full cast", "sparse cast"])
def test_each_age_reads_inside_its_band(age, cast):
    low, high = READING_LEVEL_TARGETS[age]
    grades = [grade_of(text_of(story_write(brief(age, seed, cast))), "es") for seed in SEEDS]

    assert low <= statistics.median(grades) <= high, grades


def test_a_board_book_page_has_one_or_two_short_sentences_and_sounds():
    sounds = 0
    for pages in (8, 12):
        for seed in SEEDS:
            draft = story_write(brief("1-2", seed, page_count=pages))
            assert len(draft.pages) == pages
            for page in draft.pages:
                told = [part for part in SPLIT.split(page.text) if not SOUND.fullmatch(part)]
                assert 1 <= len(told) <= 2, page.text
                sounds += any(SOUND.fullmatch(part) for part in SPLIT.split(page.text))
    assert sounds >= 40  # "¡Cronch, cronch!" on many pages


def test_a_board_book_shows_its_lesson_before_the_last_page_and_ends_with_the_moral():
    for seed in SEEDS:
        draft = story_write(brief("1-2", seed))
        before = " ".join(page.text for page in draft.pages[:-1]).lower()
        assert "verdad" in before or "mentira" in before, before
        assert draft.pages[-1].text.endswith("ecir la verdad requiere valor.")


def test_books_of_different_ages_differ():
    for seed in SEEDS:
        texts = {age: text_of(story_write(brief(age, seed))) for age in AGES}
        assert len(set(texts.values())) == len(AGES), seed


@pytest.mark.parametrize("age", AGES)
def test_every_fact_is_told_in_a_book_of_eight_pages_or_more(age):
    for pages in (8, 12):
        for seed in range(10):
            text = text_of(story_write(brief(age, seed, page_count=pages)))
            for sheet in (MIA, PIP, LEO):
                assert quality.uses_traits(text, sheet, "es"), (sheet.name, text)
                assert quality.uses_likes(text, sheet) and quality.uses_backstory(text, sheet), (sheet.name, text)


def test_older_readers_read_paragraphs():
    drafts = [story_write(brief("9-12", seed, page_count=12)) for seed in SEEDS]

    assert all(any("\n\n" in page.text for page in draft.pages) for draft in drafts)
    assert all(not page.text.startswith("\n") and "\n\n\n" not in page.text for d in drafts for page in d.pages)


def test_three_to_five_pages_are_short():
    pages = [page.text for seed in SEEDS for page in story_write(brief("3-5", seed)).pages]
    long = [text for text in pages if len([p for p in SPLIT.split(text) if not SOUND.fullmatch(p)]) > 3]

    assert len(long) <= len(pages) // 20, long
