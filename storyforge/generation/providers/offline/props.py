"""The things a page's words put in its picture: rain, a picnic blanket, a map, a kite,
footprints, a puddle, a stream. Each is drawn when its words appear in the page's
picture description, so the pages of one book do not all look alike.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from math import sin

from storyforge.generation.providers.offline.canvas import Pen, darker

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


# Which words draw what; stream and puddle lie on the ground, the rest fly or fall.
PROPS: tuple[tuple[re.Pattern[str], Draw, bool], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), draw, on_ground)
    for pattern, draw, on_ground in (
        (r"\b(oak|tree|orchard|pine trees)\b", _big_tree, True),
        (r"\b(pond|lake|brook|rock pools)\b", _pond, True),
        (r"\bgate\b", _gate, True),
        (r"\bmushrooms?\b", _mushrooms, True),
        (r"\b(rocks?|stones?|boulders?)\b", _rocks, True),
        (r"\b(stream|stepping stones|river)\b", _stream, True),
        (r"\b(puddle|splash(ing)?)\b", _puddle, True),
        (r"\b(picnic|snack)\b", _picnic, True),
        (r"\bmap\b", _map, True),
        (r"\b(footprints|clues?)\b", _footprints, True),
        (r"\bkite\b", _kite, False),
        (r"\bballoons?\b", _balloon, False),
        (r"\b(rain|raining|raindrops)\b", _rain, False),
    )
)


def props_draw(
    pen: Pen, description: str, width: float, height: float, ground: float, rng: random.Random, on_ground: bool
) -> None:
    """The props the description names: those lying on the ground, or those above it."""
    for pattern, draw, lies in PROPS:
        if lies == on_ground and pattern.search(description):
            draw(pen, width, height, ground, rng)
