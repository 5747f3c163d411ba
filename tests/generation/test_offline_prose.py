"""Issue 16: a book a parent would read twice reads as good English aloud. No
wording swap doubles a phrase ("gave a wave a friendly wave", "for the first time
ever ever"), no speech verb is doubled before its speaker ('"Hi!" laughed and
laughed Mia'), a child's backstory told in the present tense is who they are now,
never "long ago", a sentence after a full stop or what someone said starts with a
capital, and a 3-5 book reaches its reading level without chanting ("Hop, hop!").
The bench's briefs (bench/storyteller_quality.py) are read over 40 seeds, as the
bench does, and a spread of casts and seeds besides."""

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyforge.generation.providers.base import StoryBrief
from storyforge.generation.providers.offline.quality import full_text, sentences
from storyforge.generation.providers.offline.storyteller import story_write
from tests.generation.offline_cast import BOLT, GRAN, LEO, MIA, PIP, WHISKERS

# The bench's English briefs: (label, cast, relationships, age group, pages, tone, moral, setting).
BRIEFS = (
    ("issue brief", (MIA, PIP), ("Pip is Mia's best friend (since the storm).",), "6-8", 12, "gentle",
     "Telling the truth takes courage", "a snowy mountain village"),
    ("board book", (LEO, WHISKERS), ("Whiskers is Leo's pet.",), "1-2", 8, "bedtime", "Sharing makes everyone happy",
     "the farm"),
    ("preschool", (MIA, LEO), ("Mia is Leo's sibling (big sister).",), "3-5", 10, "funny", "Never give up",
     "a sunny beach"),
    ("confident", (BOLT, MIA, GRAN), ("Grandma Rose is Mia's grandparent.",), "9-12", 14, "adventurous",
     "Caring for nature means caring for our home", "far out in space"),
    ("own words", (PIP, BOLT), (), "6-8", 8, "mysterious", "Always brush your teeth", "an old museum"),
    ("jungle", (WHISKERS, LEO), (), "3-5", 12, "heartwarming", "Say thank you", "the jungle"),
)  # fmt: skip
SEEDS = range(40)

# "a wave a friendly wave": a noun phrase, then the same noun again.
DOUBLED_PHRASE = re.compile(r"\b[Aa]n? (\w+) an? (?:\w+ )?\1\b")
# '"Hi!" laughed and laughed Mia': a doubled speech verb before its speaker's name.
DOUBLED_VERB = re.compile(r'[.!?,]" (\w+) and \1 [A-Z]')
DOUBLED_WORD = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
LAUGHS = {"ha", "hee", "ho"}  # "Ha ha!" is said so
# A lower-case start after a full stop, or after a full stop that closes what was said.
LOWER_START = re.compile(r'\.["\u2060]?\s+[a-z]')
# What the young cast's backstories tell (Mia lives by the sea, Leo is her little
# brother, Whiskers the three-year-old cat was found in a box, Bolt was built from a
# toaster): never "long ago", and a present one never a memory.
YOUNG_PASTS = ("by the sea", "shells", "little brother", "found in a box", "old toaster")
PRESENT = ("by the sea", "little brother")


def _brief(row: tuple, seed: int) -> StoryBrief:
    _, cast, relations, age, pages, tone, moral, setting = row
    return StoryBrief(cast, relations, age, pages, tone, moral, setting, "en", "watercolour", seed)


@functools.cache
def _bench_books() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(label, age group, sentences) for every bench brief and seed."""
    return tuple(
        (row[0], row[3], tuple(sentences(full_text(story_write(_brief(row, seed))))))
        for row in BRIEFS
        for seed in SEEDS
    )


@st.composite
def books(draw) -> StoryBrief:
    row = draw(st.sampled_from(BRIEFS))
    cast = draw(st.permutations(row[1]))
    age = draw(st.sampled_from(("3-5", "6-8", "9-12")))
    return _brief((row[0], tuple(cast), row[2], age, draw(st.integers(6, 14)), *row[5:]), draw(st.integers(0, 10**6)))


def _bad(sentence: str) -> list[str]:
    problems = []
    if DOUBLED_PHRASE.search(sentence):
        problems.append("doubled phrase")
    if DOUBLED_VERB.search(sentence):
        problems.append("doubled speech verb")
    if any(match[1].lower() not in LAUGHS for match in DOUBLED_WORD.finditer(sentence)):
        problems.append("doubled word")
    if re.search(r"(?<!not so )long ago", sentence) and any(words in sentence for words in YOUNG_PASTS):
        problems.append("a young past long ago")
    if re.search(r"\bremember\w*\b", sentence) and any(words in sentence for words in PRESENT):
        problems.append("a present backstory remembered")
    if "made up long ago" in sentence:
        problems.append("a child's secret long ago")
    return problems


def test_the_bench_books_read_as_good_english():
    bad = [
        (label, sentence, _bad(sentence)) for label, _, told in _bench_books() for sentence in told if _bad(sentence)
    ]

    assert not bad, bad[:10]


@settings(max_examples=60, deadline=None)
@given(books())
def test_no_book_doubles_a_phrase_or_tells_a_childs_past_long_ago(brief):
    for sentence in sentences(full_text(story_write(brief))):
        assert not _bad(sentence), sentence


def test_a_sentence_after_a_full_stop_starts_with_a_capital_in_the_bench_books():
    text = [" ".join(told) for _, _, told in _bench_books()]

    assert not [match for page in text for match in LOWER_START.findall(page)]


@settings(max_examples=60, deadline=None)
@given(books())
def test_a_sentence_after_a_full_stop_starts_with_a_capital(brief):
    for page in story_write(brief).pages:
        assert not LOWER_START.search(page.text), page.text


def test_the_first_time_is_said_once():
    import random

    from storyforge.generation.providers.offline.wording import reworded

    for seed in range(200):
        rng = random.Random(seed)
        text = reworded("Mia whistled for the first time ever. Pip nodded slowly. Mia waved a friendly wave.", rng)
        assert not DOUBLED_WORD.search(text) and not DOUBLED_PHRASE.search(text), text
        said = reworded('"What a place!" laughed {c}.', rng)
        assert not DOUBLED_VERB.search(said.replace("{c}", "Mia")), said


@pytest.mark.parametrize("row", [row for row in BRIEFS if row[3] == "3-5"], ids=lambda row: row[0])
def test_a_preschool_book_reaches_its_reading_level_without_a_chant(row, chants):
    for seed in SEEDS:
        chants.clear()
        story_write(_brief(row, seed))

        assert not sum(chants), f"seed {seed} chanted {sum(chants)} times"


def test_a_brother_and_sister_are_never_called_the_two_friends():
    for label, _, told in _bench_books():
        if label == "preschool":  # Mia is Leo's big sister
            assert not any("two friends" in sentence for sentence in told), told


def test_no_swap_makes_someone_hold_tight_a_thing_nor_do_a_thing_all_day_long_twice():
    for label, _, told in _bench_books():
        for sentence in told:
            assert not re.search(r"\bheld tight (?:the|a|his|her|their|its|[A-Z])", sentence), (label, sentence)
            assert "twice all day long" not in sentence, (label, sentence)
