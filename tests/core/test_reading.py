"""The reading grade of a page: Flesch-Kincaid, with syllables counted as English is
said, so that the simple words of a board book score as simple."""

import pytest

from storyforge.core.reading import _hyphenator, _syllables, reading_grade


@pytest.mark.parametrize(
    ("word", "heard"),
    [
        ("like", 1),
        ("likes", 1),
        ("loved", 1),
        ("jumped", 1),
        ("makes", 1),
        ("wanted", 2),  # -ed after t is said
        ("landed", 2),  # and after d
        ("boxes", 2),  # -es after a hissing sound is said
        ("wishes", 2),
        ("places", 2),
        ("little", 2),  # a final -le is its own syllable
        ("tree", 1),
        ("puddles", 2),
        ("water", 2),
    ],
)
def test_english_syllables_are_counted_as_they_are_said(word, heard):
    assert _syllables(word, _hyphenator("en"), "en") == heard


def test_a_board_books_sentence_reads_at_a_board_books_grade():
    assert reading_grade("Leo likes puddles. Whiskers loved naps.") < 1.5


def test_the_silent_e_rule_is_english_only():
    # Spanish says every e: "grande" has two syllables, "llegues" three.
    assert _syllables("grande", _hyphenator("es"), "es") == 2
    assert _syllables("llegues", _hyphenator("es"), "es") >= 2
