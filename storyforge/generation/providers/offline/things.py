"""The small things a page is about, drawn by the offline artist: held in someone's
hands on a page ("carrying the baby bird", "holding a lantern"), or drawn large on
a cover ("Pip and the Lost Red Kite").

`thing_find` reads the thing out of some words; `thing_draw` draws it centred on a
point, `size` pixels across, in the colour the words gave it when they gave one.
Things are never characters: a baby bird in Mia's hands is not one more figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from math import cos, pi, sin

from storyforge.generation.providers.offline.canvas import RGB, Pen, darker, lighter, star_draw
from storyforge.generation.providers.offline.looks import CLOTHING_WORDS

Draw = Callable[[Pen, float, float, float, RGB], None]


def _kite(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.poly([(x, y - s * 0.5), (x + s * 0.35, y), (x, y + s * 0.5), (x - s * 0.35, y)], colour)
    pen.line([(x, y - s * 0.5), (x, y + s * 0.5)], darker(colour, 0.3), s * 0.03)
    pen.line([(x, y + s * 0.5), (x + s * 0.15, y + s * 0.75), (x - s * 0.05, y + s)], (90, 80, 80), s * 0.02)


def _bird(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.ellipse(x, y + s * 0.05, s * 0.38, s * 0.3, colour)
    pen.circle(x + s * 0.22, y - s * 0.2, s * 0.2, colour)
    pen.poly([(x + s * 0.4, y - s * 0.22), (x + s * 0.55, y - s * 0.16), (x + s * 0.4, y - s * 0.1)], (250, 170, 50))
    pen.circle(x + s * 0.27, y - s * 0.24, s * 0.04, (40, 30, 40), outline=False)
    pen.ellipse(x - s * 0.08, y + s * 0.02, s * 0.2, s * 0.12, darker(colour, 0.15))


def _map(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.poly([(x - s * 0.5, y - s * 0.3), (x + s * 0.5, y - s * 0.36), (x + s * 0.55, y + s * 0.3),
              (x - s * 0.45, y + s * 0.36)], (246, 230, 190))  # fmt: skip
    for step in range(5):
        pen.circle(x - s * 0.35 + step * s * 0.13, y + s * 0.08 * sin(step), s * 0.025, (200, 70, 60), outline=False)
    pen.line([(x + s * 0.28, y - s * 0.12), (x + s * 0.42, y + s * 0.02)], (200, 50, 50), s * 0.04)
    pen.line([(x + s * 0.42, y - s * 0.12), (x + s * 0.28, y + s * 0.02)], (200, 50, 50), s * 0.04)


def _flower(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.line([(x, y), (x, y + s * 0.6)], (70, 140, 70), s * 0.06)
    for index in range(5):
        angle = index * 2 * pi / 5
        pen.circle(x + cos(angle) * s * 0.17, y + sin(angle) * s * 0.17, s * 0.14, colour)
    pen.circle(x, y, s * 0.1, (250, 200, 60))


def _book(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.rect(x - s * 0.42, y - s * 0.3, x + s * 0.42, y + s * 0.3, colour, radius=s * 0.04)
    pen.rect(x - s * 0.36, y - s * 0.24, x - s * 0.02, y + s * 0.24, (250, 248, 238), outline=False)
    pen.rect(x + s * 0.02, y - s * 0.24, x + s * 0.36, y + s * 0.24, (250, 248, 238), outline=False)
    for row in range(4):
        for side in (-1, 1):
            line_y = y - s * 0.14 + row * s * 0.09
            pen.line([(x + side * s * 0.08, line_y), (x + side * s * 0.3, line_y)], (170, 170, 180), s * 0.015)


def _lantern(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.circle(x, y, s * 0.6, (255, 230, 140, 70), outline=False)
    pen.arc(x, y - s * 0.35, s * 0.14, s * 0.14, 180, 360, (70, 60, 60), s * 0.03)
    pen.rect(x - s * 0.2, y - s * 0.3, x + s * 0.2, y + s * 0.3, (255, 226, 120), radius=s * 0.06)
    pen.rect(x - s * 0.24, y - s * 0.34, x + s * 0.24, y - s * 0.26, darker(colour, 0.2))
    pen.rect(x - s * 0.24, y + s * 0.26, x + s * 0.24, y + s * 0.34, darker(colour, 0.2))


def _shell(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.pieslice(x, y + s * 0.25, s * 0.4, s * 0.55, 200, 340, colour)
    for index in range(5):
        angle = pi * (1.15 + index * 0.175)
        pen.line([(x, y + s * 0.25), (x + cos(angle) * s * 0.38, y + s * 0.25 + sin(angle) * s * 0.5)],
                 darker(colour, 0.2), s * 0.02)  # fmt: skip


def _ball(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.circle(x, y, s * 0.35, colour)
    pen.arc(x, y, s * 0.35, s * 0.12, 0, 360, (255, 255, 255), s * 0.04)
    pen.circle(x - s * 0.12, y - s * 0.14, s * 0.06, lighter(colour, 0.6), outline=False)


def _star(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.circle(x, y, s * 0.55, (255, 240, 160, 60), outline=False)
    star_draw(pen, x, y, s * 0.45, colour)


def _present(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.rect(x - s * 0.35, y - s * 0.25, x + s * 0.35, y + s * 0.3, colour, radius=s * 0.03)
    ribbon = (250, 220, 90) if colour != (250, 220, 90) else (220, 70, 70)
    pen.rect(x - s * 0.06, y - s * 0.25, x + s * 0.06, y + s * 0.3, ribbon, outline=False)
    for side in (-1, 1):
        pen.ellipse(x + side * s * 0.12, y - s * 0.32, s * 0.12, s * 0.07, ribbon)


def _basket(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.arc(x, y - s * 0.05, s * 0.3, s * 0.35, 180, 360, (150, 100, 60), s * 0.05)
    pen.circle(x - s * 0.12, y - s * 0.02, s * 0.12, (220, 60, 60))
    pen.circle(x + s * 0.1, y - s * 0.04, s * 0.12, (250, 200, 70))
    pen.poly([(x - s * 0.4, y), (x + s * 0.4, y), (x + s * 0.3, y + s * 0.35), (x - s * 0.3, y + s * 0.35)],
             (200, 150, 90))  # fmt: skip


def _egg(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.ellipse(x, y, s * 0.28, s * 0.36, colour)
    for dy in (-0.1, 0.1):
        pen.arc(x, y + s * dy, s * 0.27, s * 0.08, 10, 170, darker(colour, 0.25), s * 0.03)


def _key(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.arc(x - s * 0.25, y, s * 0.15, s * 0.15, 0, 360, colour, s * 0.06)
    pen.line([(x - s * 0.1, y), (x + s * 0.4, y)], colour, s * 0.06)
    for dx in (0.25, 0.35):
        pen.line([(x + s * dx, y), (x + s * dx, y + s * 0.12)], colour, s * 0.05)


def _letter(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.rect(x - s * 0.4, y - s * 0.25, x + s * 0.4, y + s * 0.25, (250, 248, 240))
    pen.line([(x - s * 0.4, y - s * 0.25), (x, y + s * 0.05), (x + s * 0.4, y - s * 0.25)], (170, 160, 150), s * 0.03)
    pen.circle(x, y + s * 0.05, s * 0.06, colour)


def _cake(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.rect(x - s * 0.38, y - s * 0.05, x + s * 0.38, y + s * 0.3, (240, 200, 140), radius=s * 0.05)
    pen.rect(x - s * 0.38, y - s * 0.12, x + s * 0.38, y + s * 0.02, lighter(colour, 0.5), radius=s * 0.05)
    pen.rect(x - s * 0.03, y - s * 0.35, x + s * 0.03, y - s * 0.12, (120, 180, 240), outline=False)
    pen.ellipse(x, y - s * 0.4, s * 0.04, s * 0.07, (250, 180, 60), outline=False)


def _apple(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.circle(x, y, s * 0.3, colour)
    pen.line([(x, y - s * 0.28), (x + s * 0.05, y - s * 0.42)], (110, 80, 50), s * 0.04)
    pen.ellipse(x + s * 0.15, y - s * 0.36, s * 0.1, s * 0.05, (80, 160, 80))


def _treasure(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.rect(x - s * 0.45, y - s * 0.1, x + s * 0.45, y + s * 0.32, (150, 96, 56), radius=s * 0.04)
    for dx in (-0.25, 0.0, 0.25):
        pen.circle(x + s * dx, y - s * 0.14, s * 0.1, (246, 200, 70))
    pen.chord(x, y - s * 0.1, s * 0.45, s * 0.25, 180, 360, (170, 110, 64))
    pen.rect(x - s * 0.06, y - s * 0.04, x + s * 0.06, y + s * 0.1, (246, 200, 70))


def _balloon(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.line([(x, y + s * 0.4), (x + s * 0.05, y + s * 0.9)], (90, 80, 80), s * 0.015)
    pen.ellipse(x, y, s * 0.3, s * 0.4, colour)
    pen.ellipse(x - s * 0.1, y - s * 0.14, s * 0.06, s * 0.1, lighter(colour, 0.6), outline=False)


def _umbrella(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.line([(x, y - s * 0.3), (x, y + s * 0.45)], (90, 70, 60), s * 0.04)
    pen.chord(x, y - s * 0.25, s * 0.55, s * 0.35, 180, 360, colour)


def _feather(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.ellipse(x, y, s * 0.12, s * 0.4, colour)
    pen.line([(x, y - s * 0.4), (x, y + s * 0.5)], darker(colour, 0.3), s * 0.02)


def _crown(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.poly([(x - s * 0.4, y + s * 0.2), (x - s * 0.4, y - s * 0.2), (x - s * 0.2, y), (x, y - s * 0.3),
              (x + s * 0.2, y), (x + s * 0.4, y - s * 0.2), (x + s * 0.4, y + s * 0.2)], (246, 200, 70))  # fmt: skip
    pen.circle(x, y + s * 0.08, s * 0.06, colour)


def _cup(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.arc(x + s * 0.28, y, s * 0.12, s * 0.12, 270, 90, darker(colour, 0.2), s * 0.05)
    pen.rect(x - s * 0.25, y - s * 0.2, x + s * 0.25, y + s * 0.22, colour, radius=s * 0.08)


def _gem(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.poly([(x - s * 0.3, y - s * 0.1), (x - s * 0.15, y - s * 0.28), (x + s * 0.15, y - s * 0.28),
              (x + s * 0.3, y - s * 0.1), (x, y + s * 0.3)], lighter(colour, 0.2))  # fmt: skip
    pen.line([(x - s * 0.3, y - s * 0.1), (x + s * 0.3, y - s * 0.1)], lighter(colour, 0.6), s * 0.03)


def _leaf(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    pen.ellipse(x, y, s * 0.35, s * 0.18, colour)
    pen.line([(x - s * 0.4, y + s * 0.04), (x + s * 0.3, y)], darker(colour, 0.3), s * 0.025)


def _bug(pen: Pen, x: float, y: float, s: float, colour: RGB) -> None:
    """A ladybird on a leaf: small enough to be a thing, not a character."""
    _leaf(pen, x, y + s * 0.1, s, (90, 160, 80))
    pen.circle(x, y, s * 0.14, colour)
    pen.line([(x, y - s * 0.14), (x, y + s * 0.14)], (40, 30, 40), s * 0.02)
    pen.circle(x - s * 0.05, y - s * 0.03, s * 0.025, (40, 30, 40), outline=False)


# Each thing: the words that name it, how to draw it and the colour it has when the
# words give none.
_THINGS: dict[str, tuple[str, Draw, RGB]] = {
    "kite": ("kites?", _kite, (230, 70, 60)),
    "bird": ("(?:baby )?birds?|chicks?|birdie", _bird, (120, 170, 230)),
    "map": ("maps?|treasure maps?", _map, (246, 230, 190)),
    "flower": ("flowers?|daisy|daisies|roses?|sunflowers?|bouquet|tulips?", _flower, (236, 96, 120)),
    "book": ("books?|storybooks?|diary|notebook", _book, (70, 120, 200)),
    "lantern": ("lanterns?|torch|torches|lamp|candle", _lantern, (90, 80, 90)),
    "shell": ("shells?|seashells?", _shell, (246, 186, 170)),
    "ball": ("balls?|football", _ball, (70, 130, 220)),
    "star": ("stars?|wish", _star, (250, 214, 80)),
    "present": ("presents?|gifts?|parcels?|package|boxe?s?", _present, (150, 110, 220)),
    "basket": ("baskets?", _basket, (200, 150, 90)),
    "egg": ("eggs?", _egg, (250, 240, 220)),
    "key": ("keys?", _key, (222, 178, 52)),
    "letter": ("letters?|notes?|cards?|envelopes?|messages?", _letter, (220, 70, 70)),
    "cake": ("cakes?|cupcakes?|pies?|biscuits?|cookies?|sandwich(?:es)?|snacks?", _cake, (236, 128, 170)),
    "apple": ("apples?|pears?|berries|strawberr(?:y|ies)|fruit", _apple, (214, 64, 58)),
    "treasure": ("treasure(?: chest)?|chest|coins?|gold", _treasure, (246, 200, 70)),
    "balloon": ("balloons?", _balloon, (70, 130, 220)),
    "umbrella": ("umbrellas?", _umbrella, (240, 140, 48)),
    "feather": ("feathers?", _feather, (240, 140, 48)),
    "crown": ("crowns?|tiara", _crown, (214, 64, 58)),
    "cup": ("cups?|mugs?|teacups?|cocoa", _cup, (62, 120, 210)),
    "gem": ("gems?|jewels?|crystals?|pebbles?|diamonds?", _gem, (64, 196, 200)),
    "leaf": ("leaf|leaves|acorns?|pine ?cones?", _leaf, (220, 140, 50)),
    "ladybird": ("ladybirds?|ladybugs?|butterfl(?:y|ies)|beetles?|snails?", _bug, (214, 50, 50)),
}
_WORDS = [(key, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for key, (words, _, _) in _THINGS.items()]
_COLOUR = re.compile(rf"\b({'|'.join(CLOTHING_WORDS)})\b", re.IGNORECASE)
THINGS = tuple(_THINGS)


def thing_find(words: str) -> tuple[str, str]:
    """The first thing `words` name and the colour word just before it: ("kite", "red")
    for "the lost red kite"; ("", "") when they name none."""
    found = [(match.start(), key, match) for key, pattern in _WORDS if (match := pattern.search(words))]
    if not found:
        return "", ""
    start, key, _ = min(found)
    before = words[max(0, start - 24) : start]
    colours = _COLOUR.findall(before)
    return key, colours[-1].lower() if colours else ""


def thing_draw(pen: Pen, key: str, x: float, y: float, size: float, colour: str = "") -> None:
    """Thing `key` (one of THINGS) centred on (x, y), `size` pixels across."""
    _, draw, default = _THINGS[key]
    draw(pen, x, y, size, CLOTHING_WORDS.get(colour, default))
