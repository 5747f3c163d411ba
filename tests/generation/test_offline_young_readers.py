"""Issue 16: a board book reads like one (a sentence or two a page, short ones, a
sound where something makes one), and the youngest readers' books reach their
reading level by easy writing, not by filler."""

import re
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from storyforge.generation.providers.base import CharacterSheet, StoryBrief
from storyforge.generation.providers.offline.quality import full_text, sentences, users_words
from storyforge.generation.providers.offline.readability import short_sentences
from storyforge.generation.providers.offline.sounds import SOUND_WORDS, sound_of
from storyforge.generation.providers.offline.storyteller import story_write

# Casts a family makes: everyday names, a trait or two, likes and a backstory of their own.
SHEETS = (
    CharacterSheet("Leo", "child", "he/him", 4, ("Playful", "Funny"), likes="dinosaurs and puddles",
                   backstory="Leo is Mia's little brother and wants to do everything she does."),
    CharacterSheet("Mia", "child", "she/her", 7, ("Brave", "Curious"), likes="rock pools, pancakes",
                   backstory="Mia lives by the sea and collects shells with stories in them."),
    CharacterSheet("Whiskers", "animal", "he/him", 3, ("Lazy", "Kind"), appearance="a ginger cat", likes="naps",
                   backstory="He was found in a box by the bakery.", role="supporting"),
    CharacterSheet("Pip", "dragon", "they/them", 300, ("Gentle", "afraid of the dark"), likes="warm stones",
                   backstory="Pip hatched in a storm on the longest night.", role="supporting"),
    CharacterSheet("Bolt", "robot", "it/its", None, ("Clever",), likes="shiny bolts",
                   backstory="Bolt was built from an old toaster."),
)  # fmt: skip
SETTINGS = ("the farm", "the jungle", "a sunny beach", "", "a snowy mountain village")
MORALS = ("Sharing makes everyone happy", "Say thank you", "Never give up", "")
# Real board books keep their sentences short, though not all to eight words:
# Goodnight Moon's longest lines run nine ("In the great green room there was a
# telephone"), and The Very Hungry Caterpillar opens with twelve ("In the light of the
# moon a little egg lay on a leaf."). The storyteller cuts its own sentences past
# eight words where a clause or a trailing phrase allows, and most run five to eight;
# a plot's line may still run to the Caterpillar's twelve ("But Mia was a bit scared
# of the big dog next door."), never past it. A family's own words (a name, a
# backstory, a moral) are told as they wrote them, and count as one word, as does a
# character named with what they are ("Whiskers the cat"), the cast named together
# ("the two friends") and the helper met on the way ("a little sheepdog called Dot").
MOST_WORDS = 12


@st.composite
def board_books(draw) -> StoryBrief:
    cast = draw(st.lists(st.sampled_from(SHEETS), min_size=1, max_size=3, unique_by=lambda sheet: sheet.name))
    return StoryBrief(
        tuple(cast), (), "1-2", draw(st.integers(2, 12)), draw(st.sampled_from(("bedtime", "gentle", "funny"))),
        draw(st.sampled_from(MORALS)), draw(st.sampled_from(SETTINGS)), "en", "watercolour",
        draw(st.integers(0, 2**31 - 1)),
    )  # fmt: skip


def _sound(sentence: str) -> bool:
    """A sound word: one word said twice ("Hop, hop!") or a sound of the table ("Tick, tock!")."""
    match = re.fullmatch(r"([A-Z][a-z]+), ([a-z]+)[!.]", sentence)
    return sentence in SOUND_WORDS or bool(match and match[1].lower() == match[2])


def _own_words(sentence: str, brief: StoryBrief) -> str:
    for words in sorted(users_words(brief), key=len, reverse=True):
        for part in re.split(r"(?<=[.!?])\s+|, (?:and|but) | and ", words.rstrip(".!? ")):
            if len(part.split()) > 1:
                sentence = re.sub(re.escape(part), "X", sentence, flags=re.IGNORECASE)
    sentence = re.sub(r"\b[Aa]n? (?:[a-z-]+ ){0,3}called [A-Z][a-z]+", "X", sentence)  # the helper, met once
    sentence = re.sub(r"\b[Tt]he (?:two|three|four) friends\b", "X", sentence)  # the cast, named together
    sentence = re.sub(r"\b([A-Z][a-z]+) the [a-z]+\b", r"\1", sentence)  # "Whiskers the cat" names one
    return re.sub(r"(?<=\w )(?:[A-Z][a-z]+ )+(?:of )?(?:[A-Z][a-z]+)", "X", sentence)  # "the Golden Acorn"


@settings(max_examples=40, deadline=None)
@given(board_books())
def test_a_board_book_page_is_two_short_sentences_and_a_sound_at_most(brief):
    pages = story_write(brief).pages
    for page in pages:
        told = [sentence for sentence in sentences(page.text) if not _sound(sentence)]

        assert 1 <= len(told) <= 2 + (len(pages) == 1), page.text  # one page opens and ends the book
        for sentence in told:
            if page is pages[-1] and ": " in sentence:  # the moral, the family's or the lesson's, as it goes
                sentence = sentence.split(": ", 1)[0] + ": X."
            assert len(_own_words(sentence, brief).split()) <= MOST_WORDS, sentence


@settings(max_examples=40, deadline=None)
@given(board_books(), st.sampled_from(("1-2", "3-5")))
def test_no_page_pads_its_reading_level_with_two_unrelated_sound_words(brief, age_group):
    text = full_text(story_write(replace(brief, age_group=age_group)))
    for sentence in sentences(text):
        pair = re.fullmatch(r"([A-Z][a-z]+), ([a-z]+)[!.]", sentence)

        assert not pair or _sound(sentence), sentence


@settings(max_examples=40, deadline=None)
@given(board_books(), st.sampled_from(("1-2", "3-5", "6-8", "9-12")))
def test_no_wording_swap_makes_bad_english(brief, age_group):
    text = full_text(story_write(replace(brief, age_group=age_group))).lower()

    assert "tiny little" not in text
    assert not re.search(r"\b(?:truly|ever so) (?:first|last|next|same|end|top|best|own)\b", text), text
    assert not re.search(r"\bwee\b.{0,20}\blittle\b|\blittle\b.{0,20}\bwee\b", text), text


def test_a_sound_belongs_to_what_the_sentence_tells():
    assert sound_of("A cow looked over the gate.") in ("Moo, moo!", "Moo, moo.")
    assert sound_of("The rain came down on the roof.") in ("Pitter, patter.", "Drip, drop.")
    assert sound_of("Leo sat down.") == ""


def test_a_long_sentence_is_told_as_short_ones_but_never_inside_what_someone_says():
    assert short_sentences("Leo ran to the big red barn, and then he hid behind it.").replace("\u2060", "") == (
        "Leo ran to the big red barn. Then he hid behind it."
    )
    said = '"We ran to the big red barn, and then we hid," said Leo.'
    assert short_sentences(said).replace("\u2060", "") == said


def test_joined_sentences_make_no_comma_splice():
    from storyforge.generation.providers.offline.readability import sentences_joined

    for key in range(60):
        joined = sentences_joined("Mia huffed. Just then a seagull flew by.", f"{key}:1", 1.0, frozenset({"Mia"}))
        assert ", just then" not in joined.lower(), joined
