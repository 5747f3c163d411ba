"""The offline artist's scenery: skies, sun and moon, clouds, hills, trees and
flowers that the backdrops are built from, and the backgrounds of portraits.
"""

from __future__ import annotations

import random
from math import cos, pi, sin

from storyforge.generation.providers.offline.canvas import RGB, Pen, darker, lighter, mix, star_draw

SKIES = {
    "day": ((112, 178, 236), (206, 232, 250)),
    "sunset": ((122, 112, 190), (252, 178, 122)),
    "night": ((16, 22, 58), (56, 66, 118)),
}
FLOWERS = ((236, 96, 120), (250, 204, 70), (150, 110, 220), (250, 150, 60), (255, 255, 255))


def gradient(pen: Pen, x0: float, y0: float, x1: float, y1: float, top: RGB, bottom: RGB, bands: int = 48) -> None:
    step = (y1 - y0) / bands
    for index in range(bands):
        colour = mix(top, bottom, index / max(1, bands - 1))
        pen.rect(x0, y0 + index * step, x1, y0 + (index + 1) * step + 1, colour, outline=False)


def stars(pen: Pen, width: float, bottom: float, rng: random.Random, count: int) -> None:
    for _ in range(count):
        x, y = width * rng.random(), bottom * rng.random()
        if rng.random() < 0.2:
            star_draw(pen, x, y, rng.uniform(5, 9), (255, 240, 180))
        else:
            pen.circle(x, y, rng.uniform(1.2, 2.6), (255, 250, 220), outline=False)


def moon(pen: Pen, x: float, y: float, r: float, sky: RGB) -> None:
    pen.circle(x, y, r, (250, 242, 200), outline=False)
    pen.circle(x + r * 0.45, y - r * 0.2, r * 0.85, sky, outline=False)


def sun(pen: Pen, x: float, y: float, r: float, colour: RGB) -> None:
    for index in range(12):
        angle = index * pi / 6
        pen.line(
            [
                (x + cos(angle) * r * 1.25, y + sin(angle) * r * 1.25),
                (x + cos(angle) * r * 1.6, y + sin(angle) * r * 1.6),
            ],
            colour,
            r * 0.12,
        )
    pen.circle(x, y, r, colour)


def cloud(pen: Pen, x: float, y: float, r: float, time: str) -> None:
    colour = (255, 255, 255) if time == "day" else (255, 222, 214)
    for dx, dy, size in ((-1.1, 0.2, 0.7), (-0.4, -0.2, 1.0), (0.5, -0.05, 0.85), (1.2, 0.25, 0.6)):
        pen.circle(x + dx * r, y + dy * r, size * r, colour, outline=False)


def hills(pen: Pen, width: float, horizon: float, colour: RGB, rng: random.Random) -> None:
    for _ in range(3):
        x, r = width * rng.random(), width * rng.uniform(0.25, 0.4)
        pen.ellipse(x, horizon + r * 0.35, r, r * 0.55, colour)


def tree(pen: Pen, x: float, ground: float, size: float, leaves: RGB, rng: random.Random) -> None:
    pen.rect(x - size * 0.1, ground - size * 0.9, x + size * 0.1, ground, (120, 80, 50))
    for dx, dy, r in ((-0.3, -1.0, 0.42), (0.3, -1.0, 0.42), (0.0, -1.35, 0.5), (0.0, -0.85, 0.4)):
        pen.circle(x + dx * size, ground + dy * size, r * size, mix(leaves, (40, 90, 40), rng.random() * 0.3))


def pine(pen: Pen, x: float, ground: float, size: float, snow: bool) -> None:
    pen.rect(x - size * 0.07, ground - size * 0.3, x + size * 0.07, ground, (110, 74, 46))
    for level in range(3):
        base, tip = ground - size * (0.25 + level * 0.35), ground - size * (0.85 + level * 0.35)
        half = size * (0.45 - level * 0.1)
        pen.poly([(x - half, base), (x + half, base), (x, tip)], (46, 110, 74))
        if snow:
            pen.poly(
                [(x - half * 0.4, tip + (base - tip) * 0.45), (x + half * 0.4, tip + (base - tip) * 0.45), (x, tip)],
                (250, 252, 255),
                outline=False,
            )


def flowers(pen: Pen, width: float, top: float, bottom: float, rng: random.Random, count: int) -> None:
    for _ in range(count):
        x, y, r = width * rng.random(), rng.uniform(top, bottom), rng.uniform(5, 9)
        petal = rng.choice(FLOWERS)
        pen.line([(x, y), (x, y + r * 2.2)], (70, 140, 70), r * 0.35, rounded=False)
        for index in range(5):
            angle = index * 2 * pi / 5
            pen.circle(x + cos(angle) * r * 0.7, y + sin(angle) * r * 0.7, r * 0.55, petal, outline=False)
        pen.circle(x, y, r * 0.4, (250, 200, 60), outline=False)


def portrait_background(pen: Pen, size: int, rng: random.Random) -> None:
    """A soft two-colour ground with a pattern the seed picks, and a glow behind the head."""
    pastels = ((255, 226, 200), (206, 232, 250), (224, 244, 210), (246, 218, 240), (255, 244, 196), (220, 214, 250))
    top, bottom = rng.sample(pastels, 2)
    gradient(pen, 0, 0, size, size, top, bottom, bands=32)
    pattern = rng.choice(("dots", "stars", "confetti", "rays", "hills", "bubbles"))
    ink = darker(mix(top, bottom, 0.5), 0.12)
    if pattern == "rays":
        for index in range(16):
            angle = index * pi / 8 + rng.random() * 0.1
            tip = (size / 2 + cos(angle) * size, size * 0.42 + sin(angle) * size)
            side = (size / 2 + cos(angle + 0.12) * size, size * 0.42 + sin(angle + 0.12) * size)
            pen.poly([(size / 2, size * 0.42), tip, side], (*lighter(ink, 0.55), 120), outline=False)
    elif pattern == "hills":
        pen.ellipse(size * 0.2, size * 1.0, size * 0.55, size * 0.3, lighter((120, 190, 100), 0.4), outline=False)
        pen.ellipse(size * 0.85, size * 1.02, size * 0.5, size * 0.28, lighter((100, 170, 90), 0.4), outline=False)
    else:
        for _ in range(34):
            x, y = size * rng.random(), size * rng.random()
            if pattern == "stars":
                star_draw(pen, x, y, rng.uniform(6, 12), (*lighter(ink, 0.3), 160))
            elif pattern == "confetti":
                pen.rect(
                    x, y, x + rng.uniform(6, 12), y + rng.uniform(3, 6), (*rng.choice(FLOWERS), 150), outline=False
                )
            elif pattern == "bubbles":
                pen.arc(x, y, 9, 9, 0, 360, (*lighter(ink, 0.3), 170), 2)
            else:
                pen.circle(x, y, rng.uniform(3, 7), (*lighter(ink, 0.35), 150), outline=False)
    pen.circle(size / 2, size * 0.42, size * 0.36, (255, 255, 255, 90), outline=False)
