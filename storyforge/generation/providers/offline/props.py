"""The things a page's words put in its picture: rain, a picnic blanket, a map, a kite,
footprints, a puddle, a stream. Each is drawn when its words appear in the page's
picture description and it fits the place (no kite under the sea, no apple tree in
the snow), so the pages of one book do not all look alike.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from math import sin

from storyforge.generation.providers.offline.canvas import Pen, darker
from storyforge.generation.providers.offline.scenery import pine

Draw = Callable[[Pen, float, float, float, random.Random], None]


def _rain(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    for _ in range(90):
        x, y = width * rng.random(), ground * rng.random()
        pen.line([(x, y), (x - 6, y + 22)], (120, 160, 230, 150), 2.2, rounded=False)
    for _ in range(3):
        pen.ellipse(
            width * rng.random(),
            ground - rng.uniform(0, 20),
            rng.uniform(40, 70),
            10,
            (110, 160, 220, 170),
            outline=False,
        )


def _picnic(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x, y, size = width * rng.uniform(0.3, 0.7), ground + 4, 34
    for row in range(3):
        for column in range(8):
            colour = (220, 70, 70) if (row + column) % 2 else (250, 246, 240)
            left = x + (column - 4) * size + row * 14
            pen.poly(
                [
                    (left, y - row * 12),
                    (left + size, y - row * 12),
                    (left + size - 14, y - row * 12 - 12),
                    (left - 14, y - row * 12 - 12),
                ],
                colour,
                outline=False,
            )
    pen.rect(x + 120, y - 70, x + 190, y - 30, (190, 140, 80), radius=8)
    pen.arc(x + 155, y - 70, 30, 26, 180, 360, (150, 100, 60), 5)


def _map(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x, y = width * rng.uniform(0.35, 0.65), ground - 20
    pen.poly([(x - 70, y - 40), (x + 70, y - 48), (x + 78, y + 20), (x - 62, y + 28)], (246, 230, 190))
    for step in range(6):
        pen.circle(x - 50 + step * 18, y - 10 + 10 * sin(step), 2.5, (200, 70, 60), outline=False)
    pen.line([(x + 52, y - 22), (x + 68, y - 6)], (200, 50, 50), 4, rounded=False)
    pen.line([(x + 68, y - 22), (x + 52, y - 6)], (200, 50, 50), 4, rounded=False)


def _kite(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x, y = width * rng.uniform(0.15, 0.85), height * rng.uniform(0.12, 0.25)
    colour = rng.choice(((230, 70, 60), (70, 130, 220), (250, 200, 60)))
    pen.line(
        [(x, y + 40), (x + 40, y + 120), (x + 10, y + 220), (x + 60, ground - 120)], (90, 80, 80), 1.5, rounded=False
    )
    pen.poly([(x, y - 45), (x + 32, y), (x, y + 45), (x - 32, y)], colour)
    for offset in (70, 100, 130):
        pen.poly(
            [
                (x + offset * 0.35, y + offset),
                (x + offset * 0.35 + 8, y + offset + 8),
                (x + offset * 0.35 - 8, y + offset + 8),
            ],
            darker(colour, 0.1),
            outline=False,
        )


def _balloon(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x, y = width * rng.uniform(0.15, 0.85), height * rng.uniform(0.15, 0.3)
    pen.line([(x, y + 40), (x + 10, y + 120), (x - 5, y + 200)], (90, 80, 80), 1.5, rounded=False)
    pen.ellipse(x, y, 32, 40, (70, 130, 220))
    pen.ellipse(x - 10, y - 14, 7, 11, (200, 220, 250), outline=False)


def _footprints(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x = width * rng.uniform(0.05, 0.2)
    for step in range(10):
        pen.ellipse(x + step * 55, ground + 10 + (6 if step % 2 else -6), 9, 5, (90, 70, 60, 120), outline=False)


def _puddle(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x = width * rng.uniform(0.3, 0.7)
    pen.ellipse(x, ground + 6, 110, 18, (110, 160, 220))
    for dx in (-60, -20, 30, 70):
        pen.circle(x + dx, ground - 30 - abs(dx) * 0.3, 6, (140, 190, 240), outline=False)


def _stream(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    top = min(ground + 10, height - 40)
    points = [(x, top + 8 * sin(x / 60)) for x in range(0, int(width) + 40, 40)]
    pen.poly([*points, (width, height), (0, height)], (100, 170, 225), outline=False)
    for index in range(5):
        pen.ellipse(width * (0.15 + index * 0.18), top + 22, 30, 11, (170, 170, 175))


def _big_tree(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x = width * rng.choice((0.06, 0.94))
    pen.rect(x - 28, ground - 260, x + 28, ground - 10, (126, 84, 52), radius=10)
    for dx, dy, r in ((-70, -300, 95), (70, -300, 95), (0, -380, 110), (0, -250, 90)):
        pen.circle(x + dx, ground + dy, r, (70, 150, 80))
    for _ in range(6):
        pen.circle(x + rng.uniform(-120, 120), ground + rng.uniform(-420, -240), 9, (230, 80, 70), outline=False)


def _pond(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x = width * rng.choice((0.2, 0.8))
    pen.ellipse(x, ground - 40, 160, 34, (96, 160, 215))
    pen.ellipse(x - 40, ground - 46, 50, 8, (170, 210, 240), outline=False)
    for dx in (-110, 90):
        pen.ellipse(x + dx, ground - 40, 22, 8, (80, 160, 90))


def _gate(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x = width * rng.choice((0.12, 0.88))
    for dx in (-60, 60):
        pen.rect(x + dx - 8, ground - 150, x + dx + 8, ground - 20, (150, 100, 60))
    for dy in (-120, -70):
        pen.rect(x - 55, ground + dy, x + 55, ground + dy + 12, (190, 140, 90))
    pen.line([(x - 55, ground - 60), (x + 55, ground - 116)], (190, 140, 90), 10, rounded=False)


def _mushrooms(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    for _ in range(7):
        x, size = width * rng.random(), rng.uniform(14, 26)
        y = ground - rng.uniform(0, 30)
        pen.rect(x - size * 0.3, y - size, x + size * 0.3, y, (245, 238, 220))
        pen.chord(x, y - size, size, size * 0.8, 180, 360, (220, 70, 60))
        pen.circle(x - size * 0.3, y - size * 1.35, size * 0.12, (255, 255, 255), outline=False)


def _rocks(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    for _ in range(4):
        x, size = width * rng.random(), rng.uniform(30, 60)
        pen.ellipse(x, ground - size * 0.3, size, size * 0.6, (160, 158, 164))
        pen.ellipse(x - size * 0.3, ground - size * 0.55, size * 0.3, size * 0.12, (200, 200, 205), outline=False)


def _ice(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    x = width * rng.choice((0.2, 0.8))
    pen.ellipse(x, ground - 40, 160, 34, (210, 234, 248))
    for dx in (-60, 10, 70):
        pen.line([(x + dx - 30, ground - 46), (x + dx + 20, ground - 30)], (250, 252, 255), 3, rounded=False)


def _snowy_pine(pen: Pen, width: float, height: float, ground: float, rng: random.Random) -> None:
    pine(pen, width * rng.choice((0.07, 0.93)), ground - 10, rng.uniform(300, 360), snow=True)


_NOWHERE = frozenset(("moon", "seabed", "floor", "cloud"))  # no trees, ponds or gates in space, at sea or indoors
_NO_SKY = frozenset(("moon", "seabed", "floor", "rock"))  # nowhere for a kite, a balloon or the rain
# Name, the words that draw it, how, whether it lies on the ground (else it flies
# or falls), and the grounds (backdrops.GROUNDS) it never appears on.
PROPS: tuple[tuple[str, re.Pattern[str], Draw, bool, frozenset[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE), draw, on_ground, frozenset(never))
    for name, pattern, draw, on_ground, never in (
        ("tree", r"\b(oak|tree|orchard|pine trees)\b", _big_tree, True, {*_NOWHERE, "rock"}),
        ("pond", r"\b(pond|lake|brook|rock pools)\b", _pond, True, _NOWHERE),
        ("gate", r"\bgate\b", _gate, True, _NOWHERE),
        ("mushrooms", r"\bmushrooms?\b", _mushrooms, True, {*_NOWHERE, "snow", "sand"}),
        ("rocks", r"\b(rocks?|stones?|boulders?)\b", _rocks, True, {"floor", "cloud"}),
        ("stream", r"\b(stream|stepping stones|river)\b", _stream, True, _NOWHERE),
        ("puddle", r"\b(puddle|splash(ing)?)\b", _puddle, True, {*_NOWHERE, "snow"}),
        ("picnic", r"\b(picnic|snack)\b", _picnic, True, {"seabed", "cloud"}),
        ("map", r"\bmap\b", _map, True, set()),
        ("footprints", r"\b(footprints|clues?)\b", _footprints, True, {"seabed", "floor", "cloud"}),
        ("kite", r"\bkite\b", _kite, False, {*_NO_SKY}),
        ("balloon", r"\bballoons?\b", _balloon, False, {*_NO_SKY}),
        ("rain", r"\b(rain|raining|raindrops)\b", _rain, False, {*_NO_SKY, "cloud"}),
    )
)
# What a prop becomes on snow: a snowy pine, not an apple tree; ice, not a pond.
_ON_SNOW = {"tree": _snowy_pine, "pond": _ice}


def props_named(description: str, ground_kind: str = "", skip: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The names of the props `description` asks for that fit a ground of `ground_kind`
    (backdrops.GROUNDS, "" for earth), leaving out those in `skip` (a thing someone
    holds or is looking for)."""
    return tuple(
        name
        for name, pattern, _, _, never in PROPS
        if name not in skip and ground_kind not in never and pattern.search(description)
    )


def props_draw(
    pen: Pen,
    names: tuple[str, ...],
    width: float,
    height: float,
    ground: float,
    rng: random.Random,
    on_ground: bool,
    ground_kind: str = "",
) -> None:
    """The props `names` (from props_named): those lying on the ground, or those above it."""
    for name, _, draw, lies, _ in PROPS:
        if lies == on_ground and name in names:
            (_ON_SNOW.get(name, draw) if ground_kind == "snow" else draw)(pen, width, height, ground, rng)


def climbable_draw(pen: Pen, x: float, ground: float, top: float, ground_kind: str) -> None:
    """What someone climbs at x, from the ground up to `top`: a ladder indoors, a pile
    of rocks where nothing grows, else a tree trunk with branches to hold."""
    if ground_kind == "floor":
        for side in (-1, 1):
            pen.rect(x + side * 38 - 5, top, x + side * 38 + 5, ground, (170, 120, 70))
        rung = top + 20
        while rung < ground:
            pen.rect(x - 38, rung, x + 38, rung + 7, (190, 140, 90))
            rung += 48
    elif ground_kind in ("snow", "moon", "rock", "sand", "seabed", "cloud"):
        grey = (150, 150, 160) if ground_kind != "sand" else (200, 160, 110)
        pen.poly([(x - 150, ground), (x - 40, top), (x + 60, top + 30), (x + 150, ground)], grey)
        pen.poly(
            [(x - 40, top), (x + 10, top - 10), (x + 60, top + 30)], (250, 252, 255) if ground_kind == "snow" else grey
        )
    else:
        pen.rect(x - 30, top - 40, x + 30, ground, (126, 84, 52), radius=10)
        for dy, side in ((0.25, -1), (0.5, 1), (0.75, -1)):
            y = top + (ground - top) * dy
            pen.line([(x, y), (x + side * 80, y - 40)], (126, 84, 52), 12)
        for dx, dy, r in ((-60, -60, 70), (60, -50, 70), (0, -100, 80)):
            pen.circle(x + dx, top + dy, r, (70, 150, 80))
