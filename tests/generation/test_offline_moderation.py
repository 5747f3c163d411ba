"""The offline word list: whole words unsuitable for a picture book are flagged, and
the ordinary words of children's stories are not."""

import pytest

from storyforge.generation.providers.base import Usage
from storyforge.generation.providers.offline import OfflineProvider
from storyforge.generation.providers.wordlist import moderate


@pytest.mark.parametrize(
    "text, category",
    [
        ("The knight wanted to kill the dragon.", "violence"),
        ("There was blood on the floor.", "violence"),
        ("He pulled out a gun.", "violence"),
        ("She was stabbed in the dark.", "violence"),
        ("A sexy dance.", "sexual"),
        ("They watched porn.", "sexual"),
        ("The villain was a Nazi.", "hate"),
        ("He wanted to kill himself.", "self-harm"),
        ("Thoughts of suicide.", "self-harm"),
        ("They sold drugs behind the school.", "drugs"),
        ("A bag of cocaine.", "drugs"),
        ("The captain was drunk again.", "drugs"),
        ("Don't be such an ass.", "profanity"),
    ],
)
def test_a_listed_word_is_flagged_with_its_category(text, category):
    result = moderate([text])

    assert result.flagged is True
    assert category in result.categories


@pytest.mark.parametrize("text", ["KILL the lights", "Blood", "BlOoDy", "SEX"])
def test_matching_ignores_case(text):
    assert moderate([text]).flagged is True


@pytest.mark.parametrize(
    "text",
    [
        "The whole class went on a trip.",
        "A bunch of grapes and some grape juice.",
        "They drove through Scunthorpe.",
        "Skill and patience.",
        "The therapist listened kindly.",
        "A bloodhound sniffed the trail.",
        "A shooting star fell.",
        "Grandma had to fight a cold.",
        "The scary monster was only a friendly dragon.",
        "Dick Whittington and his cat.",
        "They bought medicine at the drug store.",
        "A sextet played in Essex.",
        "The grasshopper passed the assembly hall.",
        "Pip weeded the garden and picked up a stick.",
    ],
)
def test_ordinary_story_words_that_contain_a_listed_word_are_not_flagged(text):
    assert moderate([text]).flagged is False


def test_one_unsuitable_text_among_many_flags_them_all_and_names_each_category_once():
    result = moderate(["Once upon a time.", "blood and more blood", "cocaine", "The end."])

    assert result.flagged is True
    assert result.categories == ("drugs", "violence")


def test_nothing_to_read_is_not_flagged():
    assert moderate([]).flagged is False
    assert moderate([""]).categories == ()


def test_a_phrase_on_the_list_is_matched_across_any_spacing():
    assert moderate(["he said kill   yourself"]).categories == ("self-harm", "violence")


def test_the_offline_provider_moderates_for_free():
    result = OfflineProvider().moderate(["A gentle story about a kind dragon."])

    assert result.flagged is False
    assert result.usage == Usage()
