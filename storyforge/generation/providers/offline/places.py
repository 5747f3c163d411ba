"""The kinds of place an offline story happens in (places.txt), and how a brief's
setting finds its kind.

Each kind has its own landmarks, things to find and make, animals, weather, sounds
and light, and says what it has (sky, rain, flowers, a stream...). A beat that
needs something is told only where the place has it, so no flowers grow in the
snow and no rain falls in outer space. A setting in the user's own words ("a snowy
mountain village") keeps those words, with a preposition that fits them, and takes
everything else from the nearest kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class PlaceKind:
    key: str
    backdrop: str  # the artist's nearest backdrop for it (backdrops.py), a hint
    keywords: tuple[str, ...]
    name: str  # "the snowy mountains", or the user's words with "the"
    where: str  # "up in the snowy mountains", or "in a snowy mountain village"
    has: frozenset[str]
    landmarks: tuple[str, ...]
    finds: tuple[str, ...]  # small things to find there: "a pine cone"
    made: tuple[str, ...]  # things children make there: "a snowman"
    animals: tuple[str, ...]  # helpers who live there
    sounds: tuple[str, ...]  # past-tense clauses: "the snow went crunch, crunch"
    weather: tuple[str, ...]  # whole sentences
    light: tuple[str, ...]  # clauses: "the snow sparkled in the sun"
    air: str  # one rich sentence about the place, for older readers
    count: str  # what there is to count there
    foods: tuple[str, ...]

    def fits(self, needs: tuple[str, ...]) -> bool:
        return all(need in self.has for need in needs)


def _kinds() -> tuple[PlaceKind, ...]:
    kinds = []
    text = Path(__file__).with_name("places.txt").read_text(encoding="utf-8")
    for block in re.split(r"^\[", text, flags=re.MULTILINE)[1:]:
        key, _, body = block.partition("]")
        fields = {}
        for line in body.strip().splitlines():
            name, _, value = line.partition(": ")
            fields[name.strip()] = value.strip()

        def parts(name: str, fields=fields) -> tuple[str, ...]:
            return tuple(part.strip() for part in fields[name].split(";") if part.strip())

        kinds.append(
            PlaceKind(
                key=key,
                backdrop=fields["backdrop"],
                keywords=tuple(word.strip() for word in fields["keywords"].split(",")),
                name=fields["name"],
                where=fields["where"],
                has=frozenset(fields["has"].split()),
                landmarks=parts("landmarks"),
                finds=parts("finds"),
                made=parts("made"),
                animals=parts("animals"),
                sounds=parts("sounds"),
                weather=parts("weather"),
                light=parts("light"),
                air=fields["air"],
                count=fields["count"],
                foods=parts("food"),
            )
        )
    return tuple(kinds)


KINDS: tuple[PlaceKind, ...] = _kinds()
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}

# Words that belong to some places only, and what a place must have for them to
# fit there. The quality report and the tests look for them where they do not fit.
TELLTALES: dict[str, str] = {
    r"\bflowers?\b|\bdaisy\b|\bdaisies\b|\bbuttercups?\b|\bblooms?\b": "flowers",
    r"\bsnow\w*|\bicicles?\b|\bsledg\w*": "snow",
    r"\bsand\b|\bsandcastles?\b|\bdunes?\b": "sand",
    r"\bseaweed\b": "seaweed",
    r"\bpuddles?\b|\braindrops?\b|\bumbrellas?\b": "rain",
    r"\bladybirds?\b|\bbeetles?\b|\bbutterfl\w+|\bmoths?\b": "bugs",
    r"\bstream\b|\bstepping stones\b": "stream",
    r"\bclouds?\b": "sky",
    # The sun rising and setting is seen only under an open sky; stars, the moon and
    # the sky itself wherever there is sky or, far out in space, stars. "Moon" counts
    # in small letters only, so a goal called "the Moon Pearl" fits anywhere.
    r"\bsunsets?\b|\bsunrise\b|\bsun (?:went|goes|came|comes|was|is) (?:down|up)\b|\bsun (?:rose|set|sank)\b"
    r"|\bbefore the sun\b": "sky",
    r"\bstars? came out\b|\bthe (?:first|little|tiny|evening|silver) stars\b|\bstarry\b|\bstarlight\b"
    r"|(?-i:\bmoon(?:light|lit|beams?|rise)?\b)|\bsky\b|\bskies\b": "stars",
    r"\bleaf\b|\bleaves\b": "leaves",
    r"\bgrass\b": "grass",
    r"\bmud\b|\bmuddy\b": "mud",
}
_TELLTALES = [(re.compile(pattern, re.IGNORECASE), need) for pattern, need in TELLTALES.items()]
# "clouds" fit wherever there is sky; "leaves" wherever there are trees; stars and
# the moon wherever there is sky.
_IMPLIED = {"leaves": ("trees",), "grass": ("grass",), "stars": ("sky",)}


# A simile names no thing that is there: "a fib is like a snowball" fits anywhere.
_SIMILE = re.compile(r"\blike an? [\w-]+", re.IGNORECASE)


def words_out_of_place(text: str, kind: PlaceKind) -> list[str]:
    """The words of `text` that belong to other kinds of place than `kind`."""
    text = _SIMILE.sub(" ", text)
    found = []
    for pattern, need in _TELLTALES:
        if need in kind.has or any(other in kind.has for other in _IMPLIED.get(need, ())):
            continue
        found += [match[0] for match in pattern.finditer(text)]
    return found


# How the head word of a setting takes its preposition: on a farm, at school.
_ON = {
    "farm", "beach", "island", "ship", "boat", "train", "mountain", "mountainside", "hill", "hilltop", "moon",
    "planet", "shore", "coast", "pier", "ranch", "street", "road", "raft", "cloud", "mars",
}  # fmt: skip
_AT = {"school", "seaside", "museum", "zoo", "library", "fair", "funfair", "circus", "station", "market", "party"}
_BY = {"river", "sea", "lake", "pond", "stream", "canal", "riverbank"}
_LEADS = ("in", "on", "at", "under", "by", "near", "inside", "above", "beside", "up", "down", "far", "deep", "high")


def kind_find(text: str) -> PlaceKind | None:
    """The kind of place `text` talks about ("a snowy mountain village" -> snow), or None."""
    lowered = text.lower()
    # A kind's own name of more than one word first: "the bottom of the sea" is under
    # the sea, though "sea" alone is the seaside.
    for kind in KINDS:
        name = kind.name.removeprefix("the ")
        if " " in name and re.search(rf"\b{re.escape(name)}\b", lowered):
            return kind
    for kind in KINDS:
        for keyword in kind.keywords:
            if re.search(rf"\b{re.escape(keyword)}s?\b", lowered):
                return kind
    return None


def place_for_setting(setting: str, choice: int) -> PlaceKind:
    """The place a story happens: the brief's own words when it has some (with
    everything else from the kind they name, or the meadow when they name none),
    else one of the built-in kinds, picked by `choice`."""
    setting = " ".join(setting.split()).rstrip(".")
    if not setting:
        return KINDS[choice % len(KINDS)]
    kind = kind_find(setting) or KINDS_BY_KEY["meadow"]
    bare = setting.lower().removeprefix("the ")
    if bare in kind.keywords or setting.lower() == kind.name:
        return kind
    words = setting.split()
    if words[0].lower() in _LEADS:
        where = setting
        name = re.sub(r"^(?:\w+ )+?(?=(?:a|an|the|my|our)\b)", "", setting, count=1)
        name = name if name != setting else kind.name  # "far out in space": the kind's own name
    else:
        where, name = f"{preposition(setting)} {setting}", setting
    name = re.sub(r"^(?:a|an) ", "the ", name, count=1, flags=re.IGNORECASE)
    return replace(kind, name=name, where=where)


def preposition(setting: str) -> str:
    """The preposition a setting takes: "in a snowy mountain village", "on a farm"."""
    head = re.split(r"\s+(?:in|on|at|of|by|near|with|under|above|beside|behind)\s+", setting.lower())[0]
    head_word = re.sub(r"[^a-z ]", "", head).split()[-1:] or [""]
    word = head_word[0].removesuffix("s") if head_word[0] not in ("seas",) else "sea"
    if word in _AT or head_word[0] in _AT:
        return "at"
    if word in _BY:
        return "by"
    if word in _ON or head_word[0] in _ON:
        return "on"
    return "in"
