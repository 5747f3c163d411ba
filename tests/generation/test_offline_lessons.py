"""The offline storyteller's rules: the moral is the plot, places hang together,
characters are what they are, and the books of one brief differ."""

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from characters.catalogue import TRAITS, Kind, Pronouns
from storyforge.generation.providers.base import CharacterSheet, StoryBrief
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.lessons import LESSONS, lesson_match
from storyforge.generation.providers.offline.places import KINDS, place_for_setting
from storyforge.generation.providers.offline.storyteller import story_write
from tests.generation.offline_cast import LEO, MIA

SOME = settings(max_examples=25, deadline=None)
LABELS = tuple(trait.label for trait in TRAITS)
BACKSTORIES = ("Pip hatched in a storm on the longest night.", "She moved here last summer from a city by the sea.", "")
LIKES = ("warm stones and riddles", "pancakes, kites, bedtime songs", "")


@st.composite
def briefs(draw, **fixed) -> StoryBrief:
    names = draw(st.lists(st.sampled_from(("Mia", "Leo", "Pip", "Ada", "Bolt")), min_size=1, max_size=3, unique=True))
    cast = tuple(
        CharacterSheet(
            name=name,
            kind=draw(st.sampled_from(Kind.values)),
            pronouns=draw(st.sampled_from(Pronouns.values)),
            traits=tuple(draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=3, unique=True))),
            likes=draw(st.sampled_from(LIKES)),
            backstory=draw(st.sampled_from(BACKSTORIES)),
            role="main" if index == 0 else draw(st.sampled_from(("main", "supporting"))),
        )
        for index, name in enumerate(names)
    )
    lesson = draw(st.sampled_from(sorted(LESSONS)))
    values = {
        "characters": cast,
        "relationships": (),
        "age_group": draw(st.sampled_from(("1-2", "3-5", "6-8", "9-12"))),
        "page_count": draw(st.integers(8, 16)),
        "tone": draw(st.sampled_from(("gentle", "funny", "bedtime", "adventurous"))),
        "moral": LESSONS[lesson].morals[0],
        "setting": draw(st.sampled_from([kind.name for kind in KINDS])),
        "language": "en",
        "art_style": "watercolour",
        "seed": draw(st.integers(0, 2**31 - 1)),
    }
    values.update(fixed)
    return StoryBrief(**values)


@SOME
@given(briefs())
def test_the_lesson_shows_on_at_least_two_pages_before_the_last(brief):
    draft = story_write(brief)
    lesson = lesson_match(brief.moral)

    showing = [page for page in draft.pages[:-1] if lesson.marker.search(page.text)]
    assert len(showing) >= 2, [page.text for page in draft.pages]


@SOME
@given(briefs())
def test_nothing_from_another_place_wanders_in(brief):
    assert quality.words_from_other_places(story_write(brief), brief) == []


def test_no_flowers_in_the_snow():
    brief = _brief(setting="a snowy mountain village")
    texts = " ".join(quality.full_text(story_write(replace(brief, seed=seed))) for seed in range(30))

    assert "flower" not in texts.lower() and "in a snowy mountain village" in texts
    assert "on a snowy mountain village" not in texts


@SOME
@given(briefs())
def test_every_body_word_fits_the_character(brief):
    assert quality.body_words_misfit(story_write(brief), brief) == []


def test_a_dragon_has_claws_and_never_fingers():
    pip = CharacterSheet("Pip", "dragon", "they/them", traits=("Gentle", "Kind"))
    for seed in range(30):
        draft = story_write(_brief(characters=(pip,), seed=seed, age_group="9-12"))
        for sentence in quality.sentences(quality.full_text(draft)):
            if "Pip" in sentence:
                assert "finger" not in sentence and " hand" not in sentence, sentence


@SOME
@given(briefs())
def test_a_book_of_eight_pages_tells_every_characters_traits_likes_and_backstory(brief):
    text = quality.full_text(story_write(brief))

    for sheet in brief.characters:
        assert quality.uses_traits(text, sheet), sheet.traits
        assert quality.uses_likes(text, sheet), sheet.likes
        assert quality.uses_backstory(text, sheet), sheet.backstory


@pytest.mark.parametrize(
    ("moral", "lesson"),
    [
        ("Always tell the truth", "honesty"),
        ("It's nice to share your toys", "sharing"),
        ("Never give up!", "keep-going"),
        ("Saying sorry mends friendships", "sorry"),
        ("Look after the planet", "nature"),
        ("It's fine to be different", "different"),
        ("Listen to your grandma", "listening"),
        ("Say thank you", "gratitude"),
    ],
)
def test_a_free_text_moral_finds_its_lesson(moral, lesson):
    assert lesson_match(moral).key == lesson


def test_a_moral_no_lesson_knows_is_still_what_the_story_turns_on():
    draft = story_write(_brief(moral="Always brush your teeth before bed"))

    quoted = [page for page in draft.pages[:-1] if "Always brush your teeth before bed" in page.text]
    assert len(quoted) >= 2


def test_there_are_at_least_twelve_lessons_and_twenty_kinds_of_place():
    assert len(LESSONS) >= 12 and len(KINDS) >= 20
    assert all(len(lesson.stages[stage]) >= 2 for lesson in LESSONS.values() for stage in lesson.stages)


@pytest.mark.parametrize(
    ("setting", "where"),
    [
        ("a snowy mountain village", "in a snowy mountain village"),
        ("a farm", "on a farm"),
        ("a small school", "at a small school"),
        ("a castle in the clouds", "in a castle in the clouds"),
        ("the river", "by the river"),
        ("a pirate ship", "on a pirate ship"),
    ],
)
def test_a_setting_in_the_users_words_takes_the_right_preposition(setting, where):
    assert place_for_setting(setting, 0).where == where


def test_the_books_of_one_brief_differ():
    # The brief: Mia and Pip the dragon, a snowy mountain village, honesty.
    drafts = [story_write(_brief(seed=seed, page_count=12)) for seed in range(40)]
    variety = quality.variety(drafts)

    # Issue 16 asks for >= 85 % distinct and no sentence in more than 25 % of the
    # books (test_offline_variety.py holds every age group to that).
    assert variety.distinct_share >= 0.85, variety
    assert variety.top_share <= 0.25, variety


def _brief(**changes) -> StoryBrief:
    mia = CharacterSheet("Mia", "child", "she/her", 7, ("Brave", "Curious"), likes="rock pools, pancakes",
                         backstory="Mia lives by the sea and collects shells.")  # fmt: skip
    pip = CharacterSheet("Pip", "dragon", "they/them", 300, ("Gentle",), likes="warm stones", role="supporting",
                         backstory="Pip hatched in a storm.")  # fmt: skip
    values = {
        "characters": (mia, pip),
        "relationships": ("Pip is Mia's best friend (since the storm).",),
        "age_group": "6-8",
        "page_count": 12,
        "tone": "gentle",
        "moral": "Telling the truth takes courage",
        "setting": "a snowy mountain village",
        "language": "en",
        "art_style": "watercolour",
        "seed": 1,
    }
    values.update(changes)
    return StoryBrief(**values)


@SOME
@given(briefs(age_group="6-8"))
def test_the_last_page_tells_the_moral_as_the_heros_with_no_one_facing_themself(brief):
    last = story_write(brief).pages[-1].text
    names = [sheet.name for sheet in brief.characters]

    for name in names:  # "Mia looked at Mia and said", "Mia and Mia had learned"
        assert not re.search(rf"\b{name}\b \w+(?: \w+)? {name}\b(?!')", last), last
        assert f"{name} and {name}" not in last, last


def test_over_many_seeds_no_last_page_has_the_hero_look_at_themself():
    for seed in range(200):
        brief = StoryBrief((MIA, LEO), (), "6-8", 8, "mysterious", "", "a sunny beach", "en", "watercolour", seed)
        last = story_write(brief).pages[-1].text
        for name in ("Mia", "Leo"):
            assert not re.search(rf"\b{name}\b \w+(?: \w+)? {name}\b(?!')", last), (seed, last)
