"""The offline storyteller tells its characters' traits, likes, backstories and
relationships inside the story, never through a narrator's aside."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyforge.generation.providers.base import CharacterSheet, StoryBrief
from storyforge.generation.providers.offline import quality
from storyforge.generation.providers.offline.storyteller import story_write

# Ways a narrator steps out of the story to hand over a fact.
BANNED = (
    "Here is a secret", "Here is a little secret", "You should know", "Everyone knew this:", "Remember this",
    "True story", "Oh, and one more thing", "Oh, and ", "If you asked around", "Here is a thing", "Here is something",
    "Fun fact", "Funny thing", "Just so you know", "It must be said", "It has to be said", "Let it be said",
    "As you know", "As you may already know", "Did you know", "It is true:", "It is quite true", "Guess what:",
    "This much was true", "Ask anyone", "It was no secret", "Now, it is worth saying", "Here is the thing",
    "Here is a clue", "Here is why", "This is {name}:", "Here is something to know about", "knew it better than anyone:",
    "liked to tell everyone:", "knew it:", "Everybody knew it", "The whole world knew", "Just ask", "Go and ask",
)  # fmt: skip

CAST = (
    CharacterSheet("Mia", "child", "she/her", 7, ("Brave", "Curious"), likes="rock pools, pancakes",
                   backstory="Mia lives by the sea and collects shells with stories in them."),
    CharacterSheet("Pip", "dragon", "they/them", 300, ("Gentle", "afraid of the dark"), likes="warm stones, riddles",
                   backstory="Pip hatched in a storm on the longest night.", role="supporting"),
    CharacterSheet("Leo", "child", "he/him", 4, ("Playful", "Funny"), likes="dinosaurs and puddles",
                   backstory="Leo is Mia's little brother and wants to do everything she does."),
    CharacterSheet("Bolt", "robot", "it/its", None, ("Clever", "Cautious"), likes="shiny bolts",
                   backstory="Bolt was built from an old toaster."),
    CharacterSheet("Whiskers", "animal", "he/him", 3, ("Lazy", "Kind"), appearance="a ginger cat", likes="naps",
                   backstory="He was found in a box by the bakery.", role="supporting"),
    CharacterSheet("Grandma Rose", "grown-up", "she/her", 70, ("Patient", "Funny"), likes="gardening and jam",
                   backstory="She grows roses and keeps bees behind her little cottage.", role="supporting"),
)  # fmt: skip
# The present-tense backstories, and words of theirs that must not be narrated as they are.
PRESENT = {
    "Mia": "lives by the sea and collects",
    "Leo": "is Mia's little brother and wants",
    "Grandma Rose": "grows roses and keeps bees",
}


def _brief(cast, age: str, pages: int, seed: int) -> StoryBrief:
    names = [sheet.name for sheet in cast]
    relations = (f"{names[1]} is {names[0]}'s best friend (since the storm).",) if len(names) > 1 else ()
    return StoryBrief(cast, relations, age, pages, "gentle", "Telling the truth takes courage", "a snowy village",
                      "en", "watercolour", seed)  # fmt: skip


def _narrated(text: str) -> str:
    """The text outside what characters say aloud."""
    return re.sub(r'"[^"]*"', " ", text)


books = given(
    seed=st.integers(0, 10_000),
    cast=st.lists(st.sampled_from(CAST), min_size=1, max_size=3, unique_by=lambda sheet: sheet.name),
    age=st.sampled_from(("3-5", "6-8", "9-12")),
    pages=st.integers(8, 14),
)
quick = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@books
@quick
def test_no_narrator_hands_over_a_fact(seed, cast, age, pages):
    text = quality.full_text(story_write(_brief(cast, age, pages, seed)))
    for phrase in BANNED:
        for sheet in cast:
            assert phrase.replace("{name}", sheet.name) not in text


@books
@quick
def test_every_characters_traits_likes_and_backstory_are_told(seed, cast, age, pages):
    text = quality.before_last(story_write(_brief(cast, age, pages, seed)))
    for sheet in cast:
        assert quality.uses_traits(text, sheet), sheet.name
        assert quality.uses_likes(text, sheet), sheet.name
        assert quality.uses_backstory(text, sheet), sheet.name


@books
@quick
def test_a_present_tense_backstory_is_never_narrated_in_the_present(seed, cast, age, pages):
    narrated = _narrated(quality.full_text(story_write(_brief(cast, age, pages, seed))))
    for sheet in cast:
        if sheet.name in PRESENT:
            assert PRESENT[sheet.name] not in narrated


def test_a_present_tense_backstory_is_told_in_the_past_in_some_books_and_in_the_characters_words_in_others():
    past = own = 0
    for seed in range(20):
        text = quality.full_text(story_write(_brief(CAST[:2], "6-8", 12, seed)))
        past += "lived by the sea and collected shells" in _narrated(text)
        own += '"I live by the sea and collect shells' in text
    assert past and own, (past, own)
