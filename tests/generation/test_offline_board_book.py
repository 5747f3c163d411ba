"""Issue 16: a board book (ages 1-2) differs from seed to seed in what its pages
tell, not in filler words. Its characters' facts are told at the place the page
shows ("Whiskers was Leo's pet, and they met a hen there."), it ends its own way at
that place, and each page stays one or two short sentences with its sounds. The
plot's refrain and sound words ("Moo, moo!") repeat on purpose and are not counted,
as in bench/storyteller_quality.py."""

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyforge.generation.providers.base import CharacterSheet, StoryBrief
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.places import KINDS, place_for_setting
from storyforge.generation.providers.offline.plots import PLOTS
from storyforge.generation.providers.offline.sounds import SOUND_WORDS, sound_of
from storyforge.generation.providers.offline.storyteller import story_write
from tests.generation.offline_cast import BOLT, LEO, PIP, WHISKERS

SKIP = frozenset(plot.refrain for plot in PLOTS.values()) | SOUND_WORDS
MAYA = CharacterSheet("Maya", "child", "she/her", 2, ("Happy",), likes="sand and boats",
                      backstory="She was born on a stormy night.")  # fmt: skip
BRIEFS = {
    "farm": StoryBrief((LEO, WHISKERS), ("Whiskers is Leo's pet.",), "1-2", 8, "bedtime",
                       "Sharing makes everyone happy", "the farm", "en", "watercolour", 0),
    "seaside": StoryBrief((MAYA, PIP), ("Pip is Maya's best friend.",), "1-2", 8, "funny", "Say thank you",
                          "the seaside", "en", "watercolour", 0),
    "city": StoryBrief((BOLT,), (), "1-2", 10, "gentle", "Never give up", "the city", "en", "watercolour", 0),
}  # fmt: skip


def _books(label: str, seeds: int = 40):
    brief = BRIEFS[label]
    return brief, [story_write(replace(brief, seed=seed)) for seed in range(seeds)]


def _told(text: str) -> list[str]:
    """A page's sentences, without its sounds, chants ("Hop, hop!") and refrain."""
    said = [sentence for sentence in quality.sentences(text) if sentence not in SKIP]
    return [sentence for sentence in said if not re.fullmatch(r"([A-Z][a-z]+), ([a-z]+)[!.]", sentence)]


# The floors reached so far, a point under (the issue asks 85 % distinct and 25 % at
# most in any one book's share).
@pytest.mark.parametrize(
    ("label", "distinct", "top"), [("farm", 0.86, 0.11), ("seaside", 0.85, 0.09), ("city", 0.87, 0.16)]
)
def test_forty_board_books_of_one_brief_rarely_repeat_a_sentence(label, distinct, top):
    _, drafts = _books(label)

    variety = quality.variety(drafts, SKIP)
    assert variety.distinct_share >= distinct, (variety, quality.most_repeated(drafts, 8))
    assert variety.top_share <= top, (variety.top, variety.top_share)


@pytest.mark.parametrize("label", list(BRIEFS))
def test_every_characters_traits_likes_and_backstory_are_told_and_nothing_from_elsewhere(label):
    brief, drafts = _books(label, 12)
    for draft in drafts:
        text = quality.full_text(draft)
        for sheet in brief.characters:
            assert quality.uses_traits(text, sheet), (sheet.name, text)
            assert quality.uses_likes(text, sheet), (sheet.name, text)
            assert quality.uses_backstory(text, sheet), (sheet.name, text)
        assert quality.words_from_other_places(draft, brief) == []
        assert quality.body_words_misfit(draft, brief) == []


@pytest.mark.parametrize("label", list(BRIEFS))
def test_a_board_page_is_one_or_two_short_sentences(label):
    _, drafts = _books(label, 12)
    for draft in drafts:
        for page in draft.pages:
            told = _told(page.text)
            assert 1 <= len(told) <= 2, page.text


def test_a_fact_is_told_at_the_place_and_a_relationship_as_the_family_says_it():
    brief, drafts = _books("farm", 20)
    place = place_for_setting(brief.setting, 0)
    things = [*place.landmarks, *place.animals]
    for draft in drafts:
        text = quality.full_text(draft)
        assert re.search(r"\bWhiskers was Leo's pet\b", text)
        fact = next(sentence for sentence in quality.sentences(text) if "Leo's pet" in sentence)
        assert any(thing in fact for thing in things), fact


def test_a_backstory_naming_someone_else_is_never_put_in_another_characters_mouth():
    _, drafts = _books("farm")
    for draft in drafts:
        text = quality.full_text(draft)
        assert "Leo is Mia's little brother" in text
        assert not re.search(r"Whiskers (?:said|knew) Leo is", text), text


def test_a_board_book_ends_at_its_own_place_not_one_bedtime_line_for_every_book():
    brief, drafts = _books("farm")
    place = place_for_setting(brief.setting, 0)
    endings = [quality.sentences(draft.pages[-1].text)[0] for draft in drafts]

    assert len(set(endings)) >= 25, endings
    assert "The two friends snuggled down in bed." not in endings
    named = [ending for ending in endings if any(thing in ending for thing in (*place.landmarks, *place.animals))]
    assert len(named) >= len(endings) // 2, endings


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from(sorted(BRIEFS)))
def test_any_seed_tells_every_fact_within_two_sentences_a_page(seed, label):
    brief = replace(BRIEFS[label], seed=seed)
    draft = story_write(brief)
    text = quality.full_text(draft)
    for sheet in brief.characters:
        assert quality.uses_backstory(text, sheet), text
    for page in draft.pages:
        assert 1 <= len(_told(page.text)) <= 2, page.text


@pytest.mark.parametrize("label", list(BRIEFS))
def test_a_board_book_reads_easily_enough_without_a_word_chanted(label, chants):
    """The grade is brought down by the sounds of what the pages show and of the place
    ("Baa, baa!"), never by a word chanted for nothing ("Oh, oh!", "Spin, spin!")."""
    _, drafts = _books(label)
    assert not sum(chants), chants
    assert all(quality.full_text(draft) for draft in drafts)


def test_every_animal_a_board_page_may_meet_has_a_sound_a_toddler_joins_in_with():
    animals = {animal for kind in KINDS for animal in kind.animals}
    assert [animal for animal in sorted(animals) if not sound_of(f"Leo met a {animal}.")] == []
    assert sound_of("Leo waved to a goat.") in SOUND_WORDS


def test_a_lesson_step_is_told_at_the_place_and_still_shows_the_lesson():
    brief, drafts = _books("farm")
    place = place_for_setting(brief.setting, 0)
    things = [*place.landmarks, *place.animals]
    told = [sentence for draft in drafts for sentence in quality.sentences(quality.full_text(draft))]
    gave = [sentence for sentence in told if re.match(r"Leo (?:gave|kept)\b", sentence)]
    assert sum(any(thing in sentence for thing in things) for sentence in gave) >= len(gave) // 2, gave
    assert not [sentence for sentence in told if len(re.findall(r"\bwith\b", sentence)) > 1]
