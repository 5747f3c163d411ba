"""The people of an offline story: pronouns, what kind of creature each one is, and
how the brief's relationship sentences read inside a story.

Templates address a character through attributes, so one sentence fits everyone:
"{h.They} {h.was} ready" reads "She was ready", "They were ready" or "It was ready".
"""

from __future__ import annotations

import re

from storyforge.generation.providers.base import CharacterSheet
from storyforge.generation.providers.offline.bodies import HUMAN, Body, body_for

# subject, object, possessive, reflexive, plural verb agreement
_PRONOUNS = {
    "she/her": ("she", "her", "her", "herself", False),
    "he/him": ("he", "him", "his", "himself", False),
    "they/them": ("they", "them", "their", "themself", True),
    "it/its": ("it", "it", "its", "itself", False),
}

# Words that say which animal (or toy) a character is; the value is the ear shape
# the artist draws.
SPECIES = {
    "cat": "pointy",
    "kitten": "pointy",
    "fox": "pointy",
    "wolf": "pointy",
    "tiger": "round",
    "lion": "round",
    "dog": "floppy",
    "puppy": "floppy",
    "rabbit": "long",
    "bunny": "long",
    "hare": "long",
    "bear": "round",
    "teddy": "round",
    "panda": "round",
    "mouse": "round",
    "hamster": "round",
    "koala": "round",
    "monkey": "round",
    "elephant": "round",
    "pig": "floppy",
    "sheep": "floppy",
    "goat": "pointy",
    "horse": "pointy",
    "pony": "pointy",
    "deer": "pointy",
    "squirrel": "pointy",
    "hedgehog": "round",
    "otter": "round",
    "owl": "pointy",
    "penguin": "none",
    "duck": "none",
    "frog": "none",
}

_KIND_NOUNS = {
    "robot": "robot",
    "dragon": "dragon",
    "fairy": "fairy",
    "monster": "friendly monster",
    "alien": "alien",
    "toy": "toy",
    "animal": "animal",
}


def species_of(sheet: CharacterSheet) -> str:
    """The animal or toy a character's own description names ("fox", "teddy"), or ""."""
    text = " ".join((sheet.appearance, sheet.distinctive_features, sheet.backstory, sheet.clothing)).lower()
    for word in re.findall(r"[a-z]+", text):
        if word in SPECIES or (word.endswith("s") and word[:-1] in SPECIES):
            return word if word in SPECIES else word[:-1]
    return ""


class Person:
    """A character as templates see it. `str(person)` is what the story calls them:
    the full name, or its first word once `calls_shorten` has made that safe."""

    def __init__(self, name: str, pronouns: str, noun: str = "", main: bool = True, body: Body | None = None):
        they, them, their, themself, plural = _PRONOUNS.get(pronouns, _PRONOUNS["they/them"])
        self.name = name
        self.pronouns = pronouns if pronouns in _PRONOUNS else "they/them"
        self.noun = noun  # "dragon", "owl"; empty for a child or grown-up
        self.main = main
        self.body = body or HUMAN
        self.words = {
            "they": they,
            "them": them,
            "their": their,
            "themself": themself,
            "They": they.capitalize(),
            "Their": their.capitalize(),
            "was": "were" if plural else "was",
            "is": "are" if plural else "is",
            "has": "have" if plural else "has",
            "s": possessive(name),
            "desc": f"{name} the {noun}" if noun else name,
            "we": "I",  # what this one says of themself and friends: "I" alone, "we" in a group
            "We": "I",
            "together": "",
            # The body's words: "{c.hand}" is a hand, a paw or a claw (bodies.py).
            "hand": self.body.hand,
            "carry": self.body.carry(their),
            "walk": self.body.walk,
            "hurry": self.body.hurry,
            "gesture": self.body.gesture.format(their=their),
            "said": self.body.said,
            "sound": self.body.sound,
        }

    def __getattr__(self, item: str) -> str:
        try:
            return self.__dict__["words"][item]
        except KeyError:
            raise AttributeError(item) from None

    def __str__(self) -> str:
        return self.words.get("call", self.name)

    def call_set(self, call: str) -> None:
        self.words["call"] = call
        self.words["s"] = possessive(call)


# First words that are a title, not a name: "Mr Bramble" stays "Mr Bramble".
_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "doctor", "captain", "sir", "lady", "lord", "professor", "aunt", "auntie",
    "uncle", "king", "queen", "prince", "princess", "little", "big", "baby", "old", "young", "the", "señor", "madame",
}  # fmt: skip


def calls_shorten(people: list[Person]) -> None:
    """After the opening a story calls "Zebedee Montgomery" just "Zebedee", when no
    one else in it shares that first word."""
    firsts = [person.name.split()[0] if person.name.split() else person.name for person in people]
    for person, first in zip(people, firsts, strict=True):
        words = person.name.split()
        if len(words) > 1 and first.lower().rstrip(".") not in _TITLES and firsts.count(first) == 1:
            person.call_set(first)


class Group(Person):
    """Everyone in the story together: "Mia, Leo and Pip" ... "they were"."""

    def __init__(self, people: list[Person]):
        if len(people) == 1:
            only = people[0]
            self.name, self.noun, self.main, self.pronouns = str(only), only.noun, only.main, only.pronouns
            self.words = dict(only.words)
            return
        super().__init__(names_join([str(p) for p in people]), "they/them")
        self.words.update(themself="themselves", we="we", We="We", together=" together")


def possessive(name: str) -> str:
    return f"{name}'s"


def names_join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def person_from_sheet(sheet: CharacterSheet) -> Person:
    noun = _KIND_NOUNS.get(sheet.kind, "")
    if sheet.kind in ("animal", "toy"):
        noun = species_of(sheet) or noun
    body = body_for(sheet.kind, noun if sheet.kind in ("animal", "toy") else "")
    return Person(sheet.name.strip() or "Sam", sheet.pronouns, noun, sheet.role != "supporting", body)


# "Mia is Leo's sibling (big sister)."  /  "Mia is Leo's big sister."
_RELATIONSHIP = re.compile(r"^\s*(?P<a>.+?) is (?P<b>.+?)'s? (?P<kind>[^()]+?)\s*(?:\((?P<note>[^)]*)\))?\s*[.!]?\s*$")
_ROLE_NOUNS = {
    "sister",
    "brother",
    "sibling",
    "twin",
    "cousin",
    "friend",
    "pal",
    "mum",
    "mummy",
    "mom",
    "mother",
    "dad",
    "daddy",
    "father",
    "grandma",
    "grandpa",
    "granny",
    "grandad",
    "nana",
    "grandmother",
    "grandfather",
    "aunt",
    "auntie",
    "uncle",
    "pet",
    "teacher",
    "neighbour",
    "classmate",
    "rival",
    "buddy",
}


def relationship_sentence(sentence: str) -> str:
    """One of the brief's relationship sentences, told in the story's past tense."""
    match = _RELATIONSHIP.match(sentence)
    if not match:
        text = sentence.strip()
        return text if text.endswith((".", "!", "?")) else f"{text}."
    a, b, kind, note = match["a"], match["b"], match["kind"].strip(), (match["note"] or "").strip()
    kind = kind.replace("-", " ")
    if note and note.split()[-1].lower() in _ROLE_NOUNS:
        return f"{a} was {possessive(b)} {note}."
    if note and note.split()[0].lower() in ("since", "for", "from"):
        return f"{a} had been {possessive(b)} {kind} {note}."
    return f"{a} was {possessive(b)} {kind}."


def relationship_pair(sentence: str) -> tuple[str, str] | None:
    match = _RELATIONSHIP.match(sentence)
    return (match["a"].strip(), match["b"].strip()) if match else None
