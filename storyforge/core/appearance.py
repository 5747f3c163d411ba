"""What a character can look like: kinds, pronouns, and the palettes of hair, eyes and
skin. The character wizard shows them as swatches, the models store their keys, and
the AI providers (prompts, the offline artist) read them, so they live here, below
both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Kind(models.TextChoices):
    CHILD = "child", "Child"
    GROWN_UP = "grown-up", "Grown-up"
    ANIMAL = "animal", "Animal"
    ROBOT = "robot", "Robot"
    DRAGON = "dragon", "Dragon"
    FAIRY = "fairy", "Fairy"
    MONSTER = "monster", "Friendly monster"
    ALIEN = "alien", "Alien"
    TOY = "toy", "Toy"


class Pronouns(models.TextChoices):
    SHE = "she/her", "she/her"
    HE = "he/him", "he/him"
    THEY = "they/them", "they/them"
    IT = "it/its", "it/its"


@dataclass(frozen=True)
class Swatch:
    key: str
    label: str
    hex: str


HAIR_COLOURS: tuple[Swatch, ...] = (
    Swatch("black", "Black", "#1f1a17"),
    Swatch("dark-brown", "Dark brown", "#4a2f1d"),
    Swatch("brown", "Brown", "#7b4a2a"),
    Swatch("auburn", "Auburn", "#9a3f1c"),
    Swatch("ginger", "Ginger", "#d2691e"),
    Swatch("blonde", "Blonde", "#e3c16f"),
    Swatch("grey", "Grey", "#a8a8a8"),
    Swatch("white", "White", "#f2f0e9"),
    Swatch("blue", "Blue", "#3f7fd9"),
    Swatch("pink", "Pink", "#e98bbd"),
    Swatch("green", "Green", "#4caf50"),
    Swatch("none", "No hair", "#00000000"),
)
EYE_COLOURS: tuple[Swatch, ...] = (
    Swatch("brown", "Brown", "#5b3a1e"),
    Swatch("hazel", "Hazel", "#8e7340"),
    Swatch("green", "Green", "#3f8f4f"),
    Swatch("blue", "Blue", "#3d7cc9"),
    Swatch("grey", "Grey", "#7d8a96"),
    Swatch("amber", "Amber", "#d69a2d"),
    Swatch("violet", "Violet", "#7b4fb3"),
)
SKIN_TONES: tuple[Swatch, ...] = (
    Swatch("porcelain", "Porcelain", "#f7dfcf"),
    Swatch("light", "Light", "#eec1a2"),
    Swatch("warm-beige", "Warm beige", "#d9a07b"),
    Swatch("olive", "Olive", "#b98a5e"),
    Swatch("brown", "Brown", "#8d5a3b"),
    Swatch("deep-brown", "Deep brown", "#5c3824"),
    Swatch("fur-orange", "Orange fur", "#e07b2e"),
    Swatch("fur-grey", "Grey fur", "#9b9b9b"),
    Swatch("scales-green", "Green scales", "#5aa05a"),
    Swatch("metal", "Shiny metal", "#b8c4cc"),
)
HAIR_STYLES = (
    ("short", "Short"),
    ("long", "Long"),
    ("curly", "Curly"),
    ("braids", "Braids"),
    ("ponytail", "Ponytail"),
    ("bun", "Bun"),
    ("spiky", "Spiky"),
    ("afro", "Afro"),
    ("bald", "Bald"),
    ("fluffy", "Fluffy"),
)

# How each style reads in the appearance description, around "<colour> hair".
HAIR_STYLE_PHRASES = {
    "short": "short {colour}",
    "long": "long {colour}",
    "curly": "curly {colour}",
    "braids": "{colour} in braids",
    "ponytail": "{colour} in a ponytail",
    "bun": "{colour} in a bun",
    "spiky": "spiky {colour}",
    "afro": "{colour} in an afro",
    "fluffy": "fluffy {colour}",
}


def swatch_choices(swatches: tuple[Swatch, ...]) -> list[tuple[str, str]]:
    return [(swatch.key, swatch.label) for swatch in swatches]


def swatch_hex(swatches: tuple[Swatch, ...], key: str, default: str = "#888888") -> str:
    for swatch in swatches:
        if swatch.key == key:
            return swatch.hex
    return default


def appearance_describe(
    *, kind: str, hair_colour: str, hair_style: str, eye_colour: str, skin_tone: str, clothing: str, features: str
) -> str:
    """The canonical appearance description: the same words in every picture prompt
    of a character, so that it looks the same on every page."""
    labels = {
        "hair": _label(HAIR_COLOURS, hair_colour),
        "eyes": _label(EYE_COLOURS, eye_colour),
        "skin": _label(SKIN_TONES, skin_tone),
        "style": dict(HAIR_STYLES).get(hair_style, hair_style),
    }
    parts = []
    if hair_colour == "none" or hair_style == "bald":
        if kind in (Kind.CHILD, Kind.GROWN_UP):
            parts.append("a bald head")
    elif labels["hair"] or labels["style"]:
        colour = f"{labels['hair'].lower()} hair" if labels["hair"] else "hair"
        parts.append(HAIR_STYLE_PHRASES.get(hair_style, "{colour}").format(colour=colour))
    if labels["eyes"]:
        parts.append(f"{labels['eyes'].lower()} eyes")
    if labels["skin"]:
        noun = "" if any(word in labels["skin"].lower() for word in ("fur", "scales", "metal")) else " skin"
        parts.append(f"{labels['skin'].lower()}{noun}")
    if clothing:
        parts.append(f"wearing {clothing}")
    if features:
        parts.append(features)
    kind_label = dict(Kind.choices).get(kind, kind).lower()
    return f"a {kind_label} with " + ", ".join(parts) if parts else f"a {kind_label}"


def _label(swatches: tuple[Swatch, ...], key: str) -> str:
    for swatch in swatches:
        if swatch.key == key:
            return swatch.label
    return key


def appearance_of(looks) -> str:
    """`appearance_describe` for anything with a character's look fields (a Character,
    a CharacterSheet): kind, hair_colour, hair_style, eye_colour, skin_tone, clothing
    and distinctive_features."""
    return appearance_describe(
        kind=looks.kind,
        hair_colour=looks.hair_colour,
        hair_style=looks.hair_style,
        eye_colour=looks.eye_colour,
        skin_tone=looks.skin_tone,
        clothing=looks.clothing,
        features=looks.distinctive_features,
    )
