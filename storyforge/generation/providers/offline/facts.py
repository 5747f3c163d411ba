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

_CHOICE = re.compile(r"<([^<>]*)>")
_FEAR = re.compile(r"^(?:afraid|scared|frightened) of ", re.IGNORECASE)
_SUBJECTS = ("he", "she", "they", "it", "his", "her", "their", "its", "when", "once", "long", "last", "every")
# How a favourite thing comes up on a middle page.
_LIKE_MOMENTS = (
    (
        '"<This/That/Today> is <nearly/almost/very nearly/just about> as good as {like}," said {c}.',
        '"You know, this is <nearly/almost/just about> as good as {like}," said {c}, <grinning/with a wink/laughing>.',
    ),
    (
        "{c} thought of {like} and <smiled/grinned/hummed>.",
        "For a <moment/second/little while>, {c} thought of {like}, and smiled a <secret/small/happy> smile.",
    ),
    (
        "{c} told {p} all about {like}<./ on the way./ for a while./, again./, twice over./, very fast.>",
        "<On the way/As they went/For a while>, {c} told {p} all about {like}, which {c} loved <best of all/more than anything/so much>.",
    ),
    (
        "{c} wished for {like}<./, just a bit./ for a moment.>",
        "{c} wished, <just a little/for a moment/only a bit>, that there could be {like} here too.",
    ),
    (
        '"I love {like}!" <said/sang/called> {c}.',
        '"Do you know what I love?" <asked/whispered> {c}, and <grinned/winked/laughed>: "{Like}, <that\'s what/of course/always>!"',
    ),
    (
        "{c} <smiled/grinned/hummed/giggled>, thinking of {like}<./ again./ and {p}.>",
        "{c} <smiled/grinned/beamed>, thinking of {like}, and <hummed a little tune/skipped a step/felt warm inside>.",
    ),
    (
        '"<Guess/Can you guess> what I love?" asked {c}, <and then said/before shouting/and whispered/and sang out>, "{Like}!"',
        '"<Guess/Can you guess/Do you know> what makes me happy?" asked {c}, and answered <at once/with a grin/straight away>: "{Like}, <every time/always/most of all>!"',
    ),
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
    forms = [(simple, rich), *_TRAIT_FORMS]
    if not fears and len(said) <= 2:
        forms.append(
            (
                "{Adjectives} {n} <loved/adored/was mad about> {likes}.",
                "{Adjectives} {n} loved {likes} more than anything.",
            )
        )
    values = {
        "n": str(person), "being": being, "likes": names_join(likes), "they": person.they, "was": person.was,
        "their": person.their, "Adjectives": ", ".join(said).capitalize(),
    }  # fmt: skip
    form = rng.choice(forms)
    if form is forms[0]:  # already told, with the user's words in it
        return Line(True, *form)
    simple, rich = (_CHOICE.sub(lambda match: rng.choice(match[1].split("/")), text).format(**values) for text in form)
    return Line(True, simple, rich)


# How a character's traits and likes are told together; {n} the character, {being}
# the traits, {likes} the favourite things.
_TRAIT_FORMS = (
    ("{n} was {being}<, and/ and> {they} <loved/really loved/adored> {likes}.", "{n} was {being}, and {they} loved {likes} best of all."),
    ("{n} <loved/adored/really loved> {likes}, and {they} {was} {being}.", "{n} loved {likes}, and {they} {was} {being}<, too/ as well/>."),
    ("Everyone <said/knew/could see> {n} was {being}, and {they} loved {likes}<!/, too./ as well.>", "Everyone <said/knew/agreed> {n} was {being}, and <it was true/they were right/so it was>; {they} loved {likes}<, too/ as well/ besides>."),
    ("{n} was {being}, and {n} loved {likes}.", "If you met {n}, you would see it: {they} {was} {being}, and {they} loved {likes}."),
    ("{n} was {being}, with a <big/soft/special> spot for {likes}.", "{n} was {being}, and had a <big/soft/special> spot for {likes}."),
    ("{n} was {being}, and <most of all/best of all/more than anything>, {they} loved {likes}.", "{n} was {being}, and <most of all/best of all/more than anything>, {they} loved {likes}."),
    ("{n} was {being}, and {their} <favourite things/best things/top things> were {likes}.", "{n} was {being}, and {their} <favourite things/very best things> in the world were {likes}."),
)  # fmt: skip


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
    ("<Of course/Naturally/As always>, {fact}", "<Of course/Naturally/As ever>, and everybody knew it, {fact}"),
    (
        "<Here is the thing/Here is why/Here is a clue>: {fact}",
        "<Here is the thing/Here is a little clue/Here is why it matters>: {fact}",
    ),
    (
        "<Funny thing/Fun fact/True story>: {fact}",
        "<Funny thing/Here is a fun fact/True story>, <and a good one/by the way/if you like>: {fact}",
    ),
    ("{p} <smiled/nodded/grinned>, because {fact}", "{p} <smiled/nodded/grinned> <by/near/at> {l}, because {fact}"),
    (
        "<Back at/Over by/Near> {l}, {p} <said it/knew it/told them>: {fact}",
        "<Back at/Over by/Near> {l}, {p} <said it/told them/put it simply>: {fact}",
    ),
    (
        "<It must be said/It has to be said/Let it be said> that {fact}",
        "<It must be said/It has to be said/Let it be said>, <here and now/right away/just once>, that {fact}",
    ),
    (
        "<Ask/Just ask/Go and ask> {p}: {fact}",
        "<Ask/Just ask/Go and ask> {p}, who <will tell you/knows it best/always says so>: {fact}",
    ),
    (
        "<Everybody/All their friends/The whole world> knew it: {fact}",
        "<Everybody/All their friends/The whole world> <knew it/could tell you>: {fact}",
    ),
)


def framed(
    line: Line, rng: random.Random, slots: dict[str, str] | None = None, frames: tuple[tuple[str, str], ...] = _FRAMES
) -> Line:
    """A fact with one of several ways in: "You should know that Mia was brave."
    `slots` fills a way in's {l} (a landmark) and {p} (someone else in the story);
    without them, only the ways in that need none are used."""
    frames = [frame for frame in frames if slots or "{" not in frame[0].replace("{fact}", "")]
    simple, rich = (_CHOICE.sub(lambda match: rng.choice(match[1].split("/")), text) for text in rng.choice(frames))
    for name, value in (slots or {}).items():
        simple, rich = simple.replace("{" + name + "}", value), rich.replace("{" + name + "}", value)

    def lower(text: str) -> str:
        return text if text[:1].isupper() and text.split()[0].lower() not in _LOWER else text[0].lower() + text[1:]

    if simple == "{fact}" or line.simple.startswith(_FRAMED):  # "Everyone said...": a way in already
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


def board_framed(text: str, rng: random.Random, slots: dict[str, str] | None = None) -> str:
    """A board book's fact told one of its simple ways: "Oh, and Whiskers was Leo's pet, you know." """
    from storyforge.generation.providers.offline.episodes import BOARD_INTO, BOARD_OUT

    frame = rng.choice([frame for frame in BOARD_INTO if slots or "{" not in frame.replace("{fact}", "")])
    if text.endswith(".") and not frame.startswith("Did you know"):
        text = text[:-1] + rng.choice(BOARD_OUT)
    return framed(Line(True, text, text), rng, slots, frames=((frame, frame),)).simple


_FRAMED = ("Everyone ", "If you ")
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
    simple, rich = (
        _CHOICE.sub(lambda match: rng.choice(match[1].split("/")), text) for text in rng.choice(_LIKE_MOMENTS)
    )
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
    "And who else {were} there but {who}?",
    "Not far behind {were} {who}.",
    "{who} {were} there, as ever.",
    "{who} tagged along, too.",
    "{who} {were} by {l}, waiting.",
    "{who} joined in, of course.",
    "Close behind {were} {who}.",
    "{who} {were} there, smiling.",
    "{who} came running.",
    "{who} {were} never far away.",
    "Right behind {were} {who}.",
    "{who} {were} ready to go, too.",
)
