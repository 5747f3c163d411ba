"""What a character looks like to the offline artist: their colours and shapes, read
from the character sheet.

Colours come from `CharacterSheet.colours` when the sheet has them, else from the
catalogue's palette keys, else from the clothing's own words ("a yellow raincoat").
Whatever is still missing is picked from the character's name, never from a
picture's seed, so every portrait candidate and every page shows the same Mia.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass

from storyforge.core.appearance import EYE_COLOURS, HAIR_COLOURS, HAIR_STYLES, SKIN_TONES, swatch_hex
from storyforge.generation.providers.base import CharacterSheet
from storyforge.generation.providers.offline.canvas import RGB, hex_rgb
from storyforge.generation.providers.offline.cast import SPECIES, species_of

HUMAN_KINDS = ("child", "grown-up", "fairy", "alien")
STYLES = tuple(key for key, _ in HAIR_STYLES)

CLOTHING_WORDS: dict[str, RGB] = {
    "red": (214, 64, 58),
    "scarlet": (204, 40, 48),
    "orange": (240, 140, 48),
    "yellow": (246, 204, 64),
    "gold": (222, 178, 52),
    "golden": (222, 178, 52),
    "green": (76, 164, 88),
    "teal": (40, 150, 150),
    "blue": (62, 120, 210),
    "navy": (40, 58, 120),
    "purple": (138, 86, 190),
    "violet": (150, 100, 210),
    "lilac": (190, 160, 220),
    "pink": (236, 128, 170),
    "white": (244, 244, 240),
    "black": (46, 44, 52),
    "grey": (140, 140, 148),
    "gray": (140, 140, 148),
    "brown": (130, 88, 56),
    "silver": (190, 198, 206),
    "turquoise": (64, 196, 200),
}
_CLOTHES = (
    (214, 64, 58),
    (246, 204, 64),
    (62, 120, 210),
    (76, 164, 88),
    (138, 86, 190),
    (240, 140, 48),
    (40, 150, 150),
)
_FURS = ((224, 123, 46), (155, 155, 155), (141, 90, 59), (200, 150, 96), (240, 232, 220), (92, 70, 56))
# The fur an animal or toy has when its sheet does not say.
_SPECIES_FUR: dict[str, RGB] = {
    "fox": (224, 123, 46),
    "tiger": (236, 140, 50),
    "lion": (222, 176, 90),
    "bear": (141, 90, 59),
    "teddy": (196, 142, 88),
    "mouse": (170, 166, 170),
    "elephant": (160, 166, 180),
    "pig": (246, 176, 186),
    "sheep": (246, 242, 232),
    "frog": (110, 180, 80),
    "duck": (250, 214, 80),
    "penguin": (60, 64, 80),
    "panda": (240, 240, 236),
}
_SCALES = ((90, 160, 90), (64, 150, 160), (150, 96, 200), (210, 84, 70))
_MONSTERS = ((142, 108, 201), (63, 176, 169), (91, 141, 239), (240, 150, 60), (230, 110, 160))
_ALIENS = ((124, 207, 107), (100, 200, 190), (170, 140, 230))


@dataclass(frozen=True)
class Look:
    kind: str
    skin: RGB  # skin, fur, scales or metal
    hair: RGB | None  # None: no hair
    hair_style: str
    eyes: RGB
    clothing: RGB
    accent: RGB  # trousers, shoes, a robot's antenna
    ears: str  # for animals and toys: pointy, round, floppy, long or none
    garment: str  # shirt, dress or dungarees
    extras: frozenset[str]  # glasses, freckles, scarf, hat, crown, bow
    identity: int  # a number of the character's own, for the small choices a picture makes


def look_for(sheet: CharacterSheet) -> Look:
    identity = zlib.crc32(f"{sheet.name.strip().lower()}|{sheet.kind}".encode())
    rng = random.Random(identity)
    kind = sheet.kind if sheet.kind in (*HUMAN_KINDS, "animal", "robot", "dragon", "monster", "toy") else "child"
    words = " ".join((sheet.clothing, sheet.distinctive_features, sheet.appearance)).lower()

    species = species_of(sheet)
    skin = _colour(sheet, "skin", SKIN_TONES, sheet.skin_tone) or _SPECIES_FUR.get(species) or _skin_default(kind, rng)
    eyes = _colour(sheet, "eyes", EYE_COLOURS, sheet.eye_colour) or hex_rgb(rng.choice(EYE_COLOURS).hex)
    hair_style = sheet.hair_style if sheet.hair_style in STYLES else ""
    hair: RGB | None
    given_hair = sheet.colours.get("hair")
    if sheet.hair_colour == "none" or hair_style == "bald" or (given_hair and hex_rgb(given_hair) is None):
        hair = None
    else:
        hair = _colour(sheet, "hair", HAIR_COLOURS, sheet.hair_colour)
        if hair is None and kind in HUMAN_KINDS:
            hair = hex_rgb(rng.choice(HAIR_COLOURS[:7]).hex)
    if not hair_style:
        hair_style = rng.choice(("short", "long", "curly", "ponytail", "bun")) if kind in HUMAN_KINDS else "fluffy"

    named = [CLOTHING_WORDS[word] for word in re.findall(r"[a-z]+", sheet.clothing.lower()) if word in CLOTHING_WORDS]
    clothing = hex_rgb(sheet.colours.get("clothing")) or (named[0] if named else rng.choice(_CLOTHES))
    others = [colour for colour in (*named[1:], *_CLOTHES) if colour != clothing]
    accent = others[0] if len(named) > 1 else rng.choice(others)

    ears = SPECIES.get(species, "")
    if not ears:
        ears = {"toy": "round", "animal": rng.choice(("pointy", "round", "floppy", "long"))}.get(kind, "none")
    garment = "dress" if re.search(r"\b(dress|skirt|gown|tutu)\b", words) else "shirt"
    if re.search(r"\b(dungarees|overalls)\b", words):
        garment = "dungarees"
    extras = {
        extra
        for extra, pattern in (
            ("glasses", r"\b(glasses|spectacles)\b"),
            ("freckles", r"\bfreckles?\b"),
            ("scarf", r"\bscarf\b"),
            ("hat", r"\b(hat|cap|beanie)\b"),
            ("crown", r"\b(crown|tiara)\b"),
            ("bow", r"\b(bow|ribbon)\b"),
        )
        if re.search(pattern, words)
    }
    return Look(kind, skin, hair, hair_style, eyes, clothing, accent, ears, garment, frozenset(extras), identity)


def _colour(sheet: CharacterSheet, key: str, swatches, palette_key: str) -> RGB | None:
    given = sheet.colours.get(key)
    if given:
        return hex_rgb(given)
    if palette_key:
        return hex_rgb(swatch_hex(swatches, palette_key, default=""))
    return None


def _skin_default(kind: str, rng: random.Random) -> RGB:
    if kind in ("child", "grown-up", "fairy"):
        return hex_rgb(rng.choice(SKIN_TONES[:6]).hex)  # type: ignore[return-value]
    palette = {
        "animal": _FURS,
        "toy": _FURS,
        "robot": ((184, 196, 204), (150, 170, 190)),
        "dragon": _SCALES,
        "monster": _MONSTERS,
        "alien": _ALIENS,
    }[kind]
    return rng.choice(palette)
