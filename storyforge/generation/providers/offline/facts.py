"""What a story says about each of its characters: their traits, what they like
and something from their backstory, so a reader meets the character the family
made and not just a name.

Each fact is a line with a simple and a rich wording. The storyteller spreads them
over the pages before the last, so a book of eight pages or more tells every
character's traits, likes and backstory.
"""

from __future__ import annotations

import random
import re

from storyforge.generation.providers.base import CharacterSheet
from storyforge.generation.providers.offline.beats import Line
from storyforge.generation.providers.offline.cast import Person, names_join

_FEAR = re.compile(r"^(?:afraid|scared|frightened) of ", re.IGNORECASE)
_SUBJECTS = ("he", "she", "they", "it", "his", "her", "their", "its", "when", "once", "long", "last", "every")
# How a favourite thing comes up on a middle page.
_LIKE_MOMENTS = (
    (
        '"This is nearly as good as {like}," said {c}.',
        '"You know, this is nearly as good as {like}," said {c}, grinning.',
    ),
    ("{c} thought of {like} and smiled.", "For a moment, {c} thought of {like}, and smiled a secret smile."),
    ("{c} told {p} all about {like}.", "On the way, {c} told {p} all about {like}, which {c} loved best of all."),
    ("{c} wished for {like}.", "{c} wished, just a little, that there could be {like} here too."),
    ('"I love {like}!" said {c}.', '"Do you know what I love?" said {c}. "{Like}!"'),
)


def likes_of(sheet: CharacterSheet) -> list[str]:
    """The things a character likes, one by one: "rock pools, drawing maps and pancakes"."""
    text = " ".join(sheet.likes.split()).strip().rstrip(".!")
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", text)
    return [part for part in (p.strip() for p in parts) if part][:5]


def traits_line(person: Person, traits: list[str], likes: list[str], rng: random.Random | None = None) -> Line | None:
    """ "Pip was gentle and loyal, and loved warm stones and riddles.", told one of a
    few ways when `rng` is given."""
    said = [trait.lower() for trait in traits if trait and not _FEAR.match(trait)]
    fears = [trait.lower() for trait in traits if _FEAR.match(trait)]
    parts = []
    if said:
        parts.append(names_join(said))
    if fears:
        parts.append(("but " if said else "") + f"a little {names_join(fears)}")
    if not parts and not likes:
        return None
    loved = f"loved {names_join(likes)}" if likes else ""
    if not parts:
        return Line(True, f"{person} {loved}.", f"{person} {loved}.")
    being = " ".join(parts)
    rich = f"{person} was {being}" + (f", and {loved}." if loved else ".")
    simple = f"{person} was {being}" + (f" and {loved}." if loved else ".")
    if rng is None or not loved:
        return Line(True, simple, rich)
    they, was = person.They, person.was
    forms = [
        (simple, rich),
        (f"{person} was {being}. {they} {loved}.", f"{person} was {being}, and {person.they} {loved} best of all."),
        (f"{person} {loved}, and {person.they} {was} {being}.", f"{person} {loved}, and {person.they} {was} {being}."),
        (f"Everyone said {person} was {being}. And {person} {loved}!", f"Everyone said {person} was {being}, and it was true; {person.they} {loved}, too."),
        (f"{person} was {being}, and {person} {loved}.", f"If you met {person}, you would see it: {person.they} {was} {being}, and {person.they} {loved}."),
    ]  # fmt: skip
    if not fears and len(said) <= 2:
        adjectives = ", ".join(said)
        forms.append(
            (
                f"{adjectives.capitalize()} {person} {loved}.",
                f"{adjectives.capitalize()} {person} {loved} more than anything.",
            )
        )
    return Line(True, *rng.choice(forms))


# Ways into a fact, so the same fact reads differently from one book to the next;
# {l} is a landmark of the place, {p} someone else in the story.
_FRAMES = (
    ("{fact}", "{fact}"),
    ("Everyone knew this: {fact}", "Everyone who knew them knew this: {fact}"),
    ("You should know that {fact}", "You should know, before we go on, that {fact}"),
    ("And {fact}", "And of course, {fact}"),
    ("Here is a thing: {fact}", "Here is something worth knowing: {fact}"),
    ("As you know, {fact}", "As you may already know, {fact}"),
    ("It is true: {fact}", "It is quite true: {fact}"),
    ("{p} knew this: {fact}", "{p} knew it better than anyone: {fact}"),
    ("By {l}, {p} thought of it: {fact}", "Walking past {l}, {p} thought about it: {fact}"),
    ("Did you know that {fact}", "Did you know, by the way, that {fact}"),
    ("Here is a secret: {fact}", "Here is a little secret, just between us: {fact}"),
    ("Now, {fact}", "Now, it is worth saying that {fact}"),
    ("Remember this: {fact}", "Remember this, because it matters later: {fact}"),
    ("Ask anyone near {l}: {fact}", "Ask anyone who lives near {l}, and they will tell you: {fact}"),
    ("It was no secret: {fact}", "It was no secret at all that {fact}"),
    ("Guess what: {fact}", "And guess what, while we are here: {fact}"),
    ("Oh, and {fact}", "Oh, and one more thing: {fact}"),
    ("Just so you know, {fact}", "Just so you know, {fact}"),
    ("{p} always said so: {fact}", "{p} liked to tell everyone: {fact}"),
    ("This much was true: {fact}", "If you asked around {l}, this much was true: {fact}"),
)


def framed(line: Line, rng: random.Random, slots: dict[str, str] | None = None) -> Line:
    """A fact with one of several ways in: "You should know that Mia was brave."
    `slots` fills a way in's {l} (a landmark) and {p} (someone else in the story);
    without them, only the ways in that need none are used."""
    frames = [frame for frame in _FRAMES if slots or "{" not in frame[0].replace("{fact}", "")]
    simple, rich = rng.choice(frames)
    for name, value in (slots or {}).items():
        simple, rich = simple.replace("{" + name + "}", value), rich.replace("{" + name + "}", value)

    def lower(text: str) -> str:
        return text if text[:1].isupper() and text.split()[0].lower() not in _LOWER else text[0].lower() + text[1:]

    if simple == "{fact}":
        return line
    if simple.startswith("Did you know"):  # one question: "Did you know that Mia was brave?"
        return Line(
            line.core,
            simple.replace("{fact}", lower(line.simple).rstrip(".!") + "?"),
            rich.replace("{fact}", lower(line.rich).rstrip(".!") + "?"),
        )
    if simple.endswith("? {fact}"):  # a question, then the fact as a sentence of its own
        return Line(line.core, simple.replace("{fact}", line.simple), rich.replace("{fact}", line.rich))
    return Line(line.core, simple.replace("{fact}", lower(line.simple)), rich.replace("{fact}", lower(line.rich)))


_LOWER = frozenset(("he", "she", "they", "it", "his", "her", "their", "its", "when", "once", "long", "last", "every"))


def backstory_line(person: Person, sheet: CharacterSheet) -> Line | None:
    """The first sentence of a character's backstory, told as part of the story."""
    text = " ".join(sheet.backstory.split())
    if not text:
        return None
    first = re.split(r"(?<=[.!?])\s+", text)[0].rstrip()
    words = first.split()
    if len(words) > 28:
        first = " ".join(words[:28]).rstrip(",;") + "."
    if not first.endswith((".", "!", "?")):
        first += "."
    opening = first.split()[0].lower().strip(",")
    if opening in ("he", "she", "his", "her") and len(first.split()) > 1:
        # "He was found in a box" names whom it is about: "Whiskers was found in a box".
        first = (str(person) if opening in ("he", "she") else person.s) + first[len(opening) :]
        return Line(True, first, first)
    if opening in _SUBJECTS or any(first.startswith(part) for part in person.name.split()[:1]):
        return Line(True, first, first)
    lowered = first[0].lower() + first[1:] if not first[:2].isupper() else first
    return Line(True, f"This is {person}: {lowered}", f"Here is something to know about {person}: {lowered}")


def like_moment(person: Person, pal: Person, likes: list[str], rng: random.Random) -> Line | None:
    """A middle page's line where a character's favourite thing comes up."""
    if not likes:
        return None
    like = rng.choice(likes)
    simple, rich = rng.choice(_LIKE_MOMENTS)
    names = {"{c}": str(person), "{p}": str(pal), "{like}": like, "{Like}": like[0].upper() + like[1:]}
    for slot, value in names.items():
        simple, rich = simple.replace(slot, value), rich.replace(slot, value)
    return Line(True, simple, rich)


# How the rest of the cast comes into the opening page.
ALONG = (
    "{who} {were} there too.",
    "{who} {were} not far away.",
    "{who} came along, of course.",
    "Close by {were} {who}.",
    "{who} {were} never far behind.",
    "{who} {were} already waiting by {l}.",
    "With them {were} {who}.",
    "{who} {were} close by, as always.",
    "{who} {were} right there, too.",
    "{who} came too, of course.",
    "Along came {who}, just in time.",
    "{who} {were} waiting, too.",
    "And who else {were} there? {who}!",
    "Not far behind {were} {who}.",
)
