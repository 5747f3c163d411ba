"""What a story says about each of its characters: their traits, likes, something
from their backstory and how they are related, told inside the story the way
picture books do, never by a narrator's aside ("Here is a secret: ..."): a brave
character runs ahead, a favourite thing comes up in what someone says, a backstory
is a memory or a story told aloud (episodes.txt, [facts], holds the wordings). A
backstory written in the present tense ("Mia lives by the sea") is who they are now:
told in the story's past tense as it is ("Back home, Mia lived by the sea"), never as
a memory, or in the character's own words, whichever keeps the user's words; only a
grown-up's or an old creature's past is "long ago". The storyteller spreads the
facts over the pages before the last, so a book of eight pages or more tells every
character's traits, likes and backstory.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from storyforge.generation.providers.base import CharacterSheet
from storyforge.generation.providers.offline.beats import Line
from storyforge.generation.providers.offline.cast import Person, names_join

_CHOICE = re.compile(r"<([^<>]*)>")
_FEAR = re.compile(r"^(?:afraid|scared|frightened) of ", re.IGNORECASE)


def likes_of(sheet: CharacterSheet) -> list[str]:
    """The things a character likes, one by one: "rock pools, drawing maps and pancakes"."""
    text = " ".join(sheet.likes.split()).strip().rstrip(".!")
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", text)
    return [part for part in (p.strip() for p in parts) if part][:5]


@dataclass(frozen=True)
class Fact(Line):
    """A fact about one character: `simple` and `rich` tell it plainly (a board book's
    way); `framed` tells it in the story's action from `parts`."""

    kind: str = ""  # "traits" or "backstory"
    person: Person | None = field(default=None, compare=False)
    parts: dict = field(default_factory=dict, compare=False)


def traits_line(person: Person, traits: list[str], likes: list[str], rng: random.Random | None = None) -> Line | None:
    """ "Pip was gentle and loyal, and loved warm stones and riddles.", worded one of
    a few ways when `rng` is given; `framed` tells it in the story's action."""
    said = [trait.lower() for trait in traits if trait and not _FEAR.match(trait)]
    fears = [trait.lower() for trait in traits if _FEAR.match(trait)]
    parts = []
    if said:
        parts.append(names_join(said))
    if fears:
        parts.append(("but " if said else "") + f"a little {names_join(fears)}")
    if not parts and not likes:
        return None
    being = " ".join(parts)
    values = _person_values(person) | {"being": being, "likes": names_join(likes)}
    facts = {"being": being, "likes": likes, "plain": bool(said) and not fears and len(said) <= 2}
    loved = f"loved {names_join(likes)}" if likes else ""
    if not parts:
        return Fact(True, f"{person} {loved}.", f"{person} {loved}.", "traits", person, facts)
    rich = f"{person} was {being}" + (f", and {loved}." if loved else ".")
    simple = f"{person} was {being}" + (f" and {loved}." if loved else ".")
    if rng is not None and likes:
        rng = _own(rng)
        form = rng.choice([(simple, rich), *_forms("alone", {"p": ""})])
        simple, rich = (_fill(text, values, rng) for text in form)
    return Fact(True, simple, rich, "traits", person, facts)


def framed(
    line: Line, rng: random.Random, slots: dict[str, str] | None = None, frames: tuple[tuple[str, str], ...] = ()
) -> Line:
    """A fact told inside the story: a character's traits and likes in what they do
    and say, a backstory as a memory or a story told aloud, a relationship in what
    the two of them do. `slots` gives {l} (a landmark) and {p} (someone else in the
    story); wordings that need them are left out without them. `frames` (a board
    book's) are ways into a plain fact: "Oh, and {fact}"."""
    if frames:
        return _framed_plain(line, rng, slots, frames)
    rng = _own(rng)
    if isinstance(line, Fact) and line.person is not None:
        told = _traits_told(line, rng, slots) if line.kind == "traits" else _backstory_told(line, rng, slots)
        return told or line
    return _relation_told(line, rng)


def _own(rng: random.Random) -> random.Random:
    """A generator of the fact's own, seeded by one draw from the story's, so adding a
    wording to [facts] does not change what the rest of the book draws."""
    return random.Random(rng.getrandbits(32))


def _forms(name: str, slots: dict[str, str] | None) -> list[tuple[str, str]]:
    from storyforge.generation.providers.offline.episodes import FACT_FORMS

    forms = FACT_FORMS.get(name, ())
    return [form for form in forms if slots or not re.search(r"\{[pl]\}", form[0] + form[1])]


def _told(forms: list[tuple[str, str]], values: dict[str, str], rng: random.Random) -> tuple[str, str]:
    return tuple(_fill(text, values, rng) for text in rng.choice(forms))  # type: ignore[return-value]


def _fill(text: str, values: dict[str, str], rng: random.Random) -> str:
    """A wording's choices made and its slots filled (the user's words may hold braces)."""
    text = _CHOICE.sub(lambda match: rng.choice(match[1].split("/")), text)
    return re.sub(r"\{(\w+)\}", lambda match: values.get(match[1], match[0]), text)


def _person_values(person: Person, slots: dict[str, str] | None = None) -> dict[str, str]:
    words = {key: getattr(person, key) for key in ("they", "They", "their", "was")}
    return {"n": str(person), **words, **(slots or {})}


def _traits_told(fact: Fact, rng: random.Random, slots: dict[str, str] | None) -> Line | None:
    being, likes = fact.parts["being"], fact.parts["likes"]
    like = rng.choice(likes) if likes else ""
    values = _person_values(fact.person, slots) | {
        "being": being, "Being": being[:1].upper() + being[1:], "likes": names_join(likes),
        "Likes": names_join(likes)[:1].upper() + names_join(likes)[1:], "like": like,
        "Like": like[:1].upper() + like[1:], "them": "them" if re.search(r"[^s]s$", like) else "it",
    }  # fmt: skip
    traits = _forms("does", slots) + (_forms("plain", slots) if fact.parts["plain"] else [])
    if not being:
        return Line(True, *_told(_forms("like", slots), values, rng)) if likes else None
    if not likes:
        return Line(True, *_told(traits, values, rng))
    if rng.random() < 0.3:
        return Line(True, *_told(_forms("both", slots), values, rng))
    first, second = _told(traits, values, rng), _told(_forms("like", slots), values, rng)
    return Line(True, f"{first[0]} {second[0]}", f"{first[1]} {second[1]}")


def _framed_plain(line: Line, rng: random.Random, slots: dict[str, str] | None, frames) -> Line:
    frames = [frame for frame in frames if slots or "{" not in frame[0].replace("{fact}", "")]
    simple, rich = (_fill(text, {}, rng) for text in rng.choice(frames))
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
    return Line(line.core, simple.replace("{fact}", lower(line.simple)), rich.replace("{fact}", lower(line.rich)))


def board_framed(text: str, rng: random.Random, slots: dict[str, str] | None = None) -> str:
    """A board book's fact told one of its simple ways: "Oh, and Whiskers was Leo's pet, you know." """
    from storyforge.generation.providers.offline.episodes import BOARD_INTO, BOARD_OUT

    frame = rng.choice([frame for frame in BOARD_INTO if slots or "{" not in frame.replace("{fact}", "")])
    if text.endswith(".") and not frame.startswith("Did you know"):
        text = text[:-1] + rng.choice(BOARD_OUT)
    return framed(Line(True, text, text), rng, slots, frames=((frame, frame),)).simple


_LOWER = frozenset(("he", "she", "they", "it", "his", "her", "their", "its", "when", "once", "long", "last", "every"))

# "Pip had been Mia's best friend since the storm."
_RELATION = re.compile(r"^(?P<a>[^,.]+?) (?P<who>(?:was|had been) (?P<b>[^,.]+?)'s? [^.!?]+)\.$")


def _relation_told(line: Line, rng: random.Random) -> Line:
    """A relationship sentence told in what the two of them do."""
    match = _RELATION.match(line.simple)
    forms = _forms("together", None)
    if not match or not forms:
        return line
    values = {"a": match["a"], "b": match["b"], "who": match["who"], "fact": line.simple.rstrip(".")}
    return Line(line.core, *_told(forms, values, rng))


# Verbs a backstory is likely to use, so a present-tense one can be told in the past
# tense ("lives" -> "lived") or in the character's own words ("lives" -> "live").
_VERBS = [
    "live", "love", "like", "want", "collect", "play", "help", "work", "dream", "talk", "laugh", "visit", "paint",
    "walk", "climb", "cook", "bake", "dance", "look", "watch", "wish", "miss", "hope", "need", "enjoy", "stay",
    "care", "share", "follow", "ask", "listen", "save", "fix", "hate", "own", "use", "belong", "guard", "protect",
    "count", "explore", "chase", "learn", "remember", "believe", "wonder", "hum", "whistle", "jump", "smile",
    "travel", "wander",
]  # fmt: skip
_IRREGULAR = {
    "be": ("is", "was"), "have": ("has", "had"), "do": ("does", "did"), "go": ("goes", "went"), "keep": ("keeps", "kept"),
    "sleep": ("sleeps", "slept"), "know": ("knows", "knew"), "make": ("makes", "made"), "think": ("thinks", "thought"),
    "bring": ("brings", "brought"), "find": ("finds", "found"), "tell": ("tells", "told"), "feel": ("feels", "felt"),
    "hide": ("hides", "hid"), "run": ("runs", "ran"), "sing": ("sings", "sang"), "swim": ("swims", "swam"),
    "fly": ("flies", "flew"), "eat": ("eats", "ate"), "see": ("sees", "saw"), "get": ("gets", "got"),
    "take": ("takes", "took"), "come": ("comes", "came"), "give": ("gives", "gave"), "wear": ("wears", "wore"),
    "build": ("builds", "built"), "draw": ("draws", "drew"), "read": ("reads", "read"), "say": ("says", "said"),
    "carry": ("carries", "carried"), "try": ("tries", "tried"), "worry": ("worries", "worried"),
    "hop": ("hops", "hopped"), "grow": ("grows", "grew"), "dig": ("digs", "dug"), "can": ("can", "could"),
    "will": ("will", "would"), "am": ("are", "were"),
}  # fmt: skip
_PRESENT: dict[str, tuple[str, str]] = {  # third person -> (past, the character's own "I" form)
    **{third: (past, "am" if base == "be" else base) for base, (third, past) in _IRREGULAR.items()},
    **{(base + "es" if base.endswith(("s", "sh", "ch", "x")) else base + "s"): (base + ("d" if base.endswith("e") else "ed"), base) for base in _VERBS},
}  # fmt: skip
_PRESENT["are"] = ("were", "are")
_AFTER_NOUN = frozenset(
    ["the", "a", "an", "his", "her", "their", "its", "my", "our", "your", "some", "many", "of", "with", "this", "that", "these", "those"]
)  # fmt: skip
_CLAUSE = frozenset(["and", "but", "or", "then", "also", "always", "still", "never", "often"])
_SUBJECTS = {"he", "she", "they", "it"}


def backstory_line(person: Person, sheet: CharacterSheet) -> Line | None:
    """The first sentence of a character's backstory, told in the story's past tense
    (or, if that would lose the user's words, in the character's own words); `framed`
    tells it as a memory or a story someone tells."""
    text = " ".join(sheet.backstory.split())
    if not text:
        return None
    first = re.split(r"(?<=[.!?])\s+", text)[0].rstrip()
    words = first.split()
    if len(words) > 28:
        first = " ".join(words[:28]).rstrip(",;") + "."
    if not first.endswith((".", "!", "?")):
        first += "."
    parts = _backstory_parts(person, first)
    # "Long ago" fits a grown-up's or a dragon's past, not a seven-year-old's.
    parts["old"] = (sheet.age or 0) >= 18 or (sheet.age is None and sheet.kind in ("grown-up", "adult"))
    if parts["past_keeps"]:
        plain = parts["Whole"]
    elif parts["said_keeps"]:
        plain = f'"{parts["said"]}," said {person}.'
    else:
        plain = f'"{parts["quote"]}," said {person}.'
    return Fact(True, plain, plain, "backstory", person, parts)


def _backstory_parts(person: Person, sentence: str) -> dict:
    words = sentence.rstrip(".!?").split()
    names = sorted({person.name, str(person), person.name.split()[0]}, key=len, reverse=True)
    led = next((len(name.split()) for name in names if sentence.startswith(name + " ")), 0)
    if not led and words[0].lower() in _SUBJECTS and len(words) > 1:
        led = 1
    rest = words[led:] if led else words
    past = _retold(rest, past=True, subject=bool(led))
    plural = person.was == "were"
    said = _retold(rest, past=False, subject=True, own=person.their) if led else []
    # "they hatched" could be anyone in a group: a they/them character is named.
    they = str(person) if plural else person.they
    They = str(person) if plural else person.They
    whole = " ".join(([str(person)] if led else []) + past)
    parts = {
        "rest": " ".join(past), "past": " ".join([they, *past]),
        "Past": " ".join([They, *past]), "said": " ".join(["I", *said]),
        "quote": sentence.rstrip(".!?"), "Whole": whole[:1].upper() + whole[1:] + ".", "led": bool(led),
        "whole": whole if whole.split()[0].lower() not in _LOWER | {"a", "an", "the"} else whole[0].lower() + whole[1:],
    }  # fmt: skip
    # A backstory in the present tense ("Mia lives by the sea") is who they are now,
    # never a memory; "home" when it tells where they live.
    parts["present"] = past != rest
    parts["home"] = bool(re.search(r"\b(?:lives?|home|house)\b", sentence, re.IGNORECASE))
    parts["past_keeps"] = _keeps(sentence, parts["Whole"]) and (not led or _keeps(sentence, parts["past"]))
    parts["said_keeps"] = bool(led) and _keeps(sentence, parts["said"])
    return parts


def _retold(words: list[str], past: bool, subject: bool, own: str = "") -> list[str]:
    """A backstory's words after its subject in the past tense, or (not `past`) in
    the character's own words, where only the character's own verbs change."""
    told = []
    for index, word in enumerate(words):
        core = word.rstrip(",;:")
        lowered, tail = core.lower(), word[len(core) :]
        before = words[index - 1].lower().rstrip(",;:") if index else ""
        verb = lowered in _PRESENT and before not in _AFTER_NOUN
        own_verb = (index == 0 and subject) or before in _CLAUSE or before.endswith(",")
        if verb and (past or own_verb):
            core = _PRESENT[lowered][0 if past else 1]
        elif not past and own and lowered == own:
            core = "my"
        elif not past and lowered in ("himself", "herself", "themself", "itself"):
            core = "myself"
        told.append(core + tail)
    return told


def _keeps(original: str, text: str) -> bool:
    """Whether `text` still holds five words in a row of the user's sentence."""
    words = re.findall(r"[a-z']+", original.lower())
    said = " ".join(re.findall(r"[a-z']+", text.lower()))
    return any(" ".join(words[i : i + 5]) in said for i in range(max(1, len(words) - 4)))


# How far back a past backstory lies: (after "remembering how ...", before "... when",
# after "told {p}" and before "when", after "remembering"), for the old and the young.
_AGO = {
    True: ((", long ago", " long ago", ", a long time ago", ", years and years ago"),
           ("long ago, when", "the old days, when", "the days when"),
           ("a story from long ago, when", "about the old days, when", "a tale of long ago, when"),
           ("long ago", "the old days")),
    False: ((", not so long ago", ", a while back", ""),
            ("the day", "the time when", "the day when"),
            ("about the day", "the story of the day", "all about the time when"),
            ("how it all began", "the very beginning")),
}  # fmt: skip


def _backstory_told(fact: Fact, rng: random.Random, slots: dict[str, str] | None) -> Line | None:
    parts, person = fact.parts, fact.person
    values = _person_values(person, slots) | {key: value for key, value in parts.items() if isinstance(value, str)}
    ago, when, tale, back = (rng.choice(words) for words in _AGO[parts.get("old", False)])
    values |= {"ago": ago, "when": when, "tale": tale, "back": back}
    forms = _forms("told", slots)
    if parts["past_keeps"] and parts.get("present"):  # who they are now, in the story's past tense
        forms += (_forms("now", slots) + (_forms("home", slots) if parts["home"] else [])) * 2
    elif parts["past_keeps"]:
        forms += _forms("memory" if parts["led"] else "whole", slots) * 2
    if parts["said_keeps"]:
        forms += _forms("said", slots) * 2
    if slots and slots.get("p") and slots["p"] in parts["quote"]:  # not "Mia said: 'Leo is Mia's brother'"
        forms = [form for form in forms if "{p}" not in form[0] + form[1]]
    return Line(True, *_told(forms, values, rng)) if forms else None


def like_moment(person: Person, pal: Person, likes: list[str], rng: random.Random) -> Line | None:
    """A middle page's line where a character's favourite thing comes up."""
    if not likes:
        return None
    rng = _own(rng)
    like = rng.choice(likes)
    simple, rich = (
        _CHOICE.sub(lambda match: rng.choice(match[1].split("/")), text)
        for text in rng.choice(_forms("moment", {"p": ""}))
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
