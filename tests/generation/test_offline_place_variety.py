"""Issue 16: every kind of place has enough of its own landmarks, animals, sounds,
light and weather that forty books set there do not repeat each other, and nothing
from another kind of place wanders in.

Each kind gets the same 12-page book for 6 to 8 year olds (the quality report's Mia
and Pip, and its honesty lesson) over 40 seeds, in English; the Spanish books of
every kind of place are held to the same variety.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.es import LUGARES
from storyforge.generation.providers.offline.places import KINDS, KINDS_BY_KEY, place_for_setting, words_out_of_place
from storyforge.generation.providers.offline.storyteller import story_write
from tests.generation.offline_cast import MIA, PIP

SEEDS = range(40)


def _brief(setting: str, moral: str, language: str) -> StoryBrief:
    relations = ("Pip is Mia's best friend (since the storm).",)
    return StoryBrief((MIA, PIP), relations, "6-8", 12, "gentle", moral, setting, language, "watercolour", 0)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_forty_books_in_one_kind_of_place_rarely_repeat_a_sentence_and_keep_to_that_place(kind):
    setting = kind.name  # "the bottom of the sea": told there, with all of its own things
    assert place_for_setting(setting, 0).key == kind.key
    brief = _brief(setting, "Telling the truth takes courage", "en")

    drafts = [story_write(replace(brief, seed=seed)) for seed in SEEDS]

    variety = quality.variety(drafts)
    assert variety.distinct_share >= 0.85, (variety.distinct_share, quality.most_repeated(drafts, 5))
    assert variety.top_share <= 0.25, (variety.top, variety.top_share)
    misplaced = {word for draft in drafts for word in quality.words_from_other_places(draft, brief)}
    assert not misplaced, misplaced


@pytest.mark.parametrize("key", sorted(LUGARES))
def test_forty_spanish_books_in_one_kind_of_place_rarely_repeat_a_sentence(key):
    brief = _brief(LUGARES[key].name, "Decir la verdad requiere valor", "es")

    drafts = [story_write(replace(brief, seed=seed)) for seed in SEEDS]

    variety = quality.variety(drafts)
    assert variety.distinct_share >= 0.85, (variety.distinct_share, quality.most_repeated(drafts, 5))
    assert variety.top_share <= 0.25, (variety.top, variety.top_share)


def test_every_kind_of_place_has_plenty_of_its_own_to_hear_see_and_feel():
    for kind in KINDS:
        counts = {field: len(set(getattr(kind, field))) for field in ("landmarks", "sounds", "weather", "light")}
        assert min(counts.values()) >= 6, (kind.key, counts)
        assert len(set(kind.animals)) >= 2 and len(set(kind.finds)) >= 6, kind.key
    for key, lugar in LUGARES.items():
        assert len(set(lugar.sitios)) >= 6 and len(set(lugar.sonidos)) >= 6, key


def test_a_kinds_own_name_finds_that_kind_even_when_a_word_of_it_names_another():
    assert place_for_setting("the bottom of the sea", 0).key == "underwater"
    assert place_for_setting("a little town by the sea", 0).key == "town"
    assert place_for_setting("a sunny beach", 0).key == "beach"


def test_a_simile_brings_nothing_from_another_place_but_the_thing_itself_does():
    space = KINDS_BY_KEY["space"]

    assert words_out_of_place("A fib is like a snowball, thought Mia: it only gets bigger.", space) == []
    assert words_out_of_place("Mia threw a snowball at the rocket.", space) == ["snowball"]


def test_stars_the_moon_and_the_setting_sun_belong_where_there_is_sky():
    sea, museum, beach, space = (KINDS_BY_KEY[key] for key in ("underwater", "museum", "beach", "space"))

    assert words_out_of_place("Little by little, the first stars came out.", sea) == ["the first stars"]
    assert words_out_of_place("They went home as the sun went down.", museum) == ["sun went down"]
    assert words_out_of_place("The moon peeped in at the window.", museum) == ["moon"]
    assert words_out_of_place("The stars came out over the sand.", beach) == []
    assert words_out_of_place("The moon shone silver, and the stars came out.", space) == []
    # A goal's name is not the thing itself, and sunlight through a window is fine indoors.
    assert words_out_of_place("At last they found the Moon Pearl.", sea) == []
    assert words_out_of_place("Sunlight lay across the rug.", museum) == []


@pytest.mark.parametrize("key", ["underwater", "cave", "jungle", "train", "museum", "home"])
def test_every_tone_ends_its_day_without_a_sky_where_the_place_has_none(key):
    setting = KINDS_BY_KEY[key].name
    for tone in ("gentle", "funny", "bedtime", "mysterious", "adventurous", "heartwarming"):
        for age in ("1-2", "3-5", "6-8", "9-12"):
            brief = replace(_brief(setting, "Say thank you", "en"), tone=tone, age_group=age)
            drafts = [story_write(replace(brief, seed=seed)) for seed in range(8)]
            misplaced = {word for draft in drafts for word in quality.words_from_other_places(draft, brief)}
            assert not misplaced, (tone, age, misplaced)
