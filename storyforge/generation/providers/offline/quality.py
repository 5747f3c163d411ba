"""Measures of an offline book's quality, for the quality report
(bench/storyteller_quality.py) and the tests that guard the storyteller's rules.

Each measure reads only what a reader would see: the pages' text, against the
brief the book was written from.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from storyforge.generation.providers.base import CharacterSheet, StoryBrief, StoryDraft
from storyforge.generation.providers.offline.bodies import body_for, body_words_foreign
from storyforge.generation.providers.offline.cast import species_of
from storyforge.generation.providers.offline.es.palabras import FEARS, TRAITS
from storyforge.generation.providers.offline.facts import likes_of
from storyforge.generation.providers.offline.places import place_for_setting, words_out_of_place

# A sentence ends at a full stop, a question or an exclamation mark (with any closing
# quote) followed by a capital or an opening quote: '"Who?" asked Pip.' is one.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"A-Z])|(?<=[.!?][\"'])\s+(?=[\"A-Z])|\n+")


def sentences(text: str) -> list[str]:
    return [sentence.strip() for sentence in _SENTENCE_BREAK.split(text) if sentence.strip()]


@dataclass(frozen=True)
class Variety:
    sentences: int
    distinct: int
    top: str  # the sentence found in the most books
    top_books: int
    books: int

    @property
    def distinct_share(self) -> float:
        return self.distinct / max(1, self.sentences)

    @property
    def top_share(self) -> float:
        return self.top_books / max(1, self.books)


def variety(drafts: list[StoryDraft], skip: frozenset[str] = frozenset()) -> Variety:
    """How different the books of one brief are: the share of distinct sentences
    among all of them, and the sentence in the most books; sentences in `skip` (a
    board book's refrain, repeated on purpose) are not counted."""
    every: list[str] = []
    books: Counter = Counter()
    for draft in drafts:
        found = [sentence for sentence in sentences(full_text(draft)) if sentence not in skip]
        every += found
        books.update(set(found))
    top, count = books.most_common(1)[0] if books else ("", 0)
    return Variety(len(every), len(set(every)), top, count, len(drafts))


def most_repeated(drafts: list[StoryDraft], count: int) -> list[tuple[str, int]]:
    """The `count` sentences found in the most books, with how many books hold each."""
    books: Counter = Counter()
    for draft in drafts:
        books.update(set(sentences(full_text(draft))))
    return books.most_common(count)


def full_text(draft: StoryDraft) -> str:
    return "\n\n".join(page.text for page in draft.pages)


def before_last(draft: StoryDraft) -> str:
    return "\n\n".join(page.text for page in draft.pages[:-1])


def uses_traits(text: str, sheet: CharacterSheet, language: str = "en") -> bool:
    """Whether every one of the character's traits is told: as written in English; in
    Spanish as its adjective in either gender ("valiente", "curioso"/"curiosa") or, for
    a fear ("afraid of the dark"), what they fear ("la oscuridad")."""
    lowered = text.lower()
    traits = [trait.strip().lower() for trait in sheet.traits if trait.strip()]
    if language != "es":
        return all(trait in lowered for trait in traits)

    def told(trait: str) -> bool:
        fear = re.sub(r"^(?:afraid|scared|frightened) of ", "", trait)
        words = TRAITS.get(trait) or ((FEARS[fear],) if fear in FEARS else (trait,))
        return any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words)

    return all(told(trait) for trait in traits)


def uses_likes(text: str, sheet: CharacterSheet) -> bool:
    likes = likes_of(sheet)
    return not likes or any(like.lower() in text.lower() for like in likes)


def uses_backstory(text: str, sheet: CharacterSheet) -> bool:
    """Whether something of the backstory is told: its first sentence's first words."""
    words = re.findall(r"[a-z']+", sheet.backstory.lower())
    if not words:
        return True
    # Five words in a row from the backstory's first sentence.
    lowered = " ".join(re.findall(r"[a-z']+", text.lower()))
    return any(" ".join(words[i : i + 5]) in lowered for i in range(max(1, len(words) - 4)))


def users_words(brief: StoryBrief) -> list[str]:
    """The brief's own words: a book may repeat them wherever it happens."""
    words = [brief.setting, brief.moral]
    for sheet in brief.characters:
        words += [sheet.backstory, *likes_of(sheet), sheet.name, *sheet.traits]
    return [word for word in words if word.strip()]


def words_from_other_places(draft: StoryDraft, brief: StoryBrief) -> list[str]:
    """Words in the book that belong to another kind of place than the brief's."""
    text = full_text(draft)
    for words in sorted(users_words(brief), key=len, reverse=True):  # "Puddles would be fun" is Leo's likes too
        text = re.sub(re.escape(words), " ", text, flags=re.IGNORECASE)
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(brief.characters[0].backstory.split())):
        text = text.replace(sentence, " ")
    return words_out_of_place(text, place_for_setting(brief.setting, 0)) if brief.setting else []


def body_words_misfit(draft: StoryDraft, brief: StoryBrief) -> list[tuple[str, str]]:
    """(name, word) for every body word the book gives a character that does not
    fit its body ("fingers" for a dragon), in sentences that name only that character."""
    names = {sheet.name.split()[0]: sheet for sheet in brief.characters if sheet.name.split()}
    found = []
    for sentence in sentences(full_text(draft)):
        named = [name for name in names if re.search(rf"\b{re.escape(name)}\b", sentence)]
        if len(named) != 1 or re.search(r"\bcalled\b| the [a-z]+ ", sentence):
            continue
        sheet = names[named[0]]
        noun = species_of(sheet) if sheet.kind in ("animal", "toy") else ""
        found += [(sheet.name, word) for word in body_words_foreign(sentence, body_for(sheet.kind, noun))]
    return found
