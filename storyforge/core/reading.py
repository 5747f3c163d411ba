"""Reading levels shared by readers' preferences and stories, and how a text's
reading level is measured."""

import functools
import re

import pyphen
from django.db import models


class AgeGroup(models.TextChoices):
    TODDLER = "1-2", "1-2 years"
    PRESCHOOL = "3-5", "3-5 years"
    EARLY_READER = "6-8", "6-8 years"
    CONFIDENT_READER = "9-12", "9-12 years"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    GERMAN = "de", "Deutsch"
    FRENCH = "fr", "Français"
    SPANISH = "es", "Español"
    ITALIAN = "it", "Italiano"
    DUTCH = "nl", "Nederlands"
    PORTUGUESE = "pt", "Português"


class TextSize(models.TextChoices):
    SMALL = "small", "Small"
    MEDIUM = "medium", "Medium"
    LARGE = "large", "Large"
    EXTRA_LARGE = "x-large", "Extra large"


# Flesch-Kincaid grade ranges a story should fall in, per age group. Very short
# texts score noisily, so the whole story is judged, and the ranges are generous
# at the easy end: a book for toddlers cannot be too simple.
READING_LEVEL_TARGETS: dict[str, tuple[float, float]] = {
    AgeGroup.TODDLER: (-5.0, 1.5),
    AgeGroup.PRESCHOOL: (-5.0, 2.5),
    AgeGroup.EARLY_READER: (0.0, 4.5),
    AgeGroup.CONFIDENT_READER: (2.0, 8.0),
}

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?]+(?:[\"')\]]*)(?=\s|$)")


def reading_grade(text: str, language: str = "en") -> float:
    """Flesch-Kincaid grade level of `text`.

    Syllables come from Pyphen's hyphenation dictionaries, which ship with the
    package; textstat was passed over because it downloads a pronunciation
    dictionary at run time, and StoryForge must work with no network.
    """
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    dictionary = _hyphenator(language)
    syllables = sum(_syllables(word, dictionary, language) for word in words)
    return round(0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59, 2)


def reading_level_fits(age_group: str, grade: float) -> bool:
    low, high = READING_LEVEL_TARGETS[age_group]
    return low <= grade <= high


@functools.cache
def _hyphenator(language: str) -> pyphen.Pyphen:
    code = language if language in pyphen.LANGUAGES else pyphen.language_fallback(language) or "en_US"
    if code == "en":
        code = "en_US"
    return pyphen.Pyphen(lang=code)


def _syllables(word: str, dictionary: pyphen.Pyphen, language: str = "en") -> int:
    # Hyphenation points undercount short words ("water" has none), so take the
    # larger of them and a vowel-group count.
    lowered = word.lower()
    groups = len(re.findall(r"[aeiouyäöüéèàâêîôûœæ]+", lowered))
    if language.startswith("en") and groups > 1 and _silent_e(lowered):
        groups -= 1  # "like", "loved", "likes": the written e is not heard
    return max(1, groups, len(dictionary.positions(word)) + 1)


def _silent_e(word: str) -> bool:
    """An English word's last e that is not said: a final e ("like", but not "little"
    or "tree"), -ed after anything but t or d ("loved", but not "wanted"), -es after
    anything but a hissing sound ("likes", but not "boxes", "wishes" or "places")."""
    if word.endswith("e"):
        return not word.endswith(("le", "ee"))
    if len(word) > 3 and word[-3] not in "aeiouy":
        if word.endswith("ed"):
            return not word.endswith(("ted", "ded"))
        if word.endswith("es"):
            return not word.endswith(("ses", "xes", "zes", "ches", "shes", "ces", "ges"))
    return False


# A sentence ends at . ! ? or an ellipsis (with any closing quotes or brackets), before
# a space and a capital, a digit or an opening quote; never after a title like "Mr.".
_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?\u2026])([\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[^\W\d_a-z]|[\"'\u201c\u2018(\[]?\d)"
)
_TITLES = ("mr.", "mrs.", "ms.", "dr.", "st.", "prof.", "herr.", "frau.")


def sentences(text: str) -> list[str]:
    """A page's text as the sentences it is read aloud in, each exactly as written
    (quotes and all), in order. Joined with single spaces they give the text back up
    to whitespace; narration speaks one clip per sentence and the reader highlights
    the same pieces, so both must split alike: here, and nowhere else."""
    pieces, start = [], 0
    for match in _SENTENCE_BREAK.finditer(text):
        end = match.start() + len(match.group(1))
        candidate = text[start:end].strip()
        if candidate.lower().endswith(_TITLES) and candidate.lower().rsplit(None, 1)[-1] in _TITLES:
            continue
        if candidate:
            pieces.append(candidate)
        start = match.end()
    rest = text[start:].strip()
    return [*pieces, rest] if rest else pieces
