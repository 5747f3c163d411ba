"""The quality report's own measures (storyforge.generation.providers.offline.quality,
bench/storyteller_quality.py): a measure that cannot tell a good book from a bad one
would make every figure of issue 16 meaningless."""

from dataclasses import replace

from storyforge.generation.providers.base import PageDraft, StoryBrief, StoryDraft
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.storyteller import story_write
from tests.generation.offline_cast import LEO, MIA, PIP, spanish_brief


def test_traits_are_found_as_written_in_an_english_book():
    assert quality.uses_traits("Mia was brave and curious.", MIA)
    assert not quality.uses_traits("Mia was brave.", MIA)


def test_traits_are_found_as_spanish_adjectives_of_either_gender_and_fears_by_what_is_feared():
    assert quality.uses_traits("Mia era valiente y muy curiosa.", MIA, "es")
    assert quality.uses_traits("Leo, juguetón y divertido, saltó.", LEO, "es")
    assert quality.uses_traits("Pip era dulce, aunque le daba miedo la oscuridad.", PIP, "es")

    assert not quality.uses_traits("Mia era valiente.", MIA, "es")
    assert not quality.uses_traits("Pip era dulce.", PIP, "es")
    assert not quality.uses_traits("Mia was brave and curious.", MIA, "es")


def test_every_spanish_book_of_eight_pages_tells_every_characters_traits_in_spanish():
    brief = spanish_brief(page_count=8)
    for seed in range(12):
        text = quality.full_text(story_write(replace(brief, seed=seed)))
        assert all(quality.uses_traits(text, sheet, "es") for sheet in brief.characters), (seed, text)


def test_variety_counts_distinct_sentences_and_the_sentence_in_the_most_books():
    def book(*texts: str) -> StoryDraft:
        return StoryDraft("A book", "", tuple(PageDraft(text, "") for text in texts))

    drafts = [book("Mia ran. Moo, moo!", "Pip flew."), book("Mia ran.", "Pip sat.")]

    counted = quality.variety(drafts)
    skipped = quality.variety(drafts, frozenset({"Moo, moo!"}))

    assert (counted.sentences, counted.distinct, counted.top, counted.top_books) == (5, 4, "Mia ran.", 2)
    assert (skipped.sentences, skipped.distinct) == (4, 3)


def test_the_familys_own_words_are_never_out_of_place_whatever_their_capital():
    brief = StoryBrief(
        (LEO,), (), "6-8", 8, "gentle", "", "under the sea", "en", "watercolour", 0
    )  # Leo likes "dinosaurs and puddles"; there is no rain under the sea
    draft = StoryDraft("A book", "", (PageDraft('"Puddles would be just right now," said Leo.', ""),))

    assert quality.words_from_other_places(draft, brief) == []
    elsewhere = StoryDraft("A book", "", (PageDraft("Leo jumped in the puddles by the reef.", ""),))
    assert quality.words_from_other_places(elsewhere, brief) == []  # his likes, as written
    rain = StoryDraft("A book", "", (PageDraft("Raindrops fell on the reef.", ""),))
    assert quality.words_from_other_places(rain, brief) == ["Raindrops"]
