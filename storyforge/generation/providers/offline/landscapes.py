"""More of the offline artist's outdoor places: a jungle, a desert, a river, a cave,
high in the sky, and the open countryside that stands in for any kind of place the
artist has no drawing of. backdrops.py picks among these and its own.

Each takes the sky already drawn and returns the height where the characters stand;
`c` softens a colour to the art style's saturation.
"""

from __future__ import annotations

from math import sin

from storyforge.generation.providers.offline.canvas import Pen, darker, lighter, mix
from storyforge.generation.providers.offline.scenery import cloud, gradient, hills, tree


def jungle(pen: Pen, time, width, height, rng, c, horizon) -> float:
    leaves = c((40, 130, 70))
    pen.rect(0, horizon - 40, width, height, darker(leaves, 0.25), outline=False)
    for _ in range(rng.randint(7, 9)):
        x, tall = width * rng.random(), rng.uniform(200, 320)
        pen.rect(x - 14, horizon - tall, x + 14, horizon + 60, c((110, 80, 50)))
        for dx, dy in ((-60, 0), (60, 10), (0, -40), (-30, 30), (40, -20)):
            pen.ellipse(x + dx, horizon - tall + dy, 70, 34, mix(leaves, (20, 80, 40), rng.random() * 0.4))
        vine = [(x + 30, horizon - tall + 20), (x + 40, horizon - tall + 120), (x + 28, horizon - tall + 200)]
        pen.line(vine, c((60, 150, 60)), 4)
    pen.rect(0, horizon + 40, width, height, c((80, 150, 70)), outline=False)
    for _ in range(2):  # a parrot on a branch
        x, y = width * rng.random(), horizon - rng.uniform(120, 220)
        pen.ellipse(x, y, 12, 20, c((230, 60, 50)))
        pen.poly([(x + 8, y - 14), (x + 18, y - 10), (x + 8, y - 6)], (250, 200, 60))
    for side in (0, 1):  # big leaves in front, at the edges
        x = width * side
        for angle in (-0.6, -0.2, 0.3):
            pen.ellipse(x + (1 - 2 * side) * 60, height - 60 + angle * 120, 120, 40, c((50, 150, 70)))
    return height * 0.93


def desert(pen: Pen, time, width, height, rng, c, horizon) -> float:
    sand = c((236, 200, 130))
    for index in range(3):
        x = width * (0.15 + index * 0.35 + rng.uniform(-0.05, 0.05))
        pen.ellipse(x, horizon + 40, width * 0.35, 90, lighter(sand, 0.1 * index))
    if rng.random() < 0.6:
        x = width * rng.uniform(0.6, 0.85)
        pen.poly([(x - 110, horizon + 10), (x + 110, horizon + 10), (x, horizon - 120)], c((220, 180, 110)))
        pen.poly([(x, horizon - 120), (x + 110, horizon + 10), (x + 40, horizon + 10)], c((200, 160, 95)))
    pen.rect(0, horizon + 40, width, height, sand, outline=False)
    for _ in range(rng.randint(3, 4)):
        x, y, tall = width * rng.random(), rng.uniform(horizon + 30, horizon + 90), rng.uniform(60, 110)
        green = c((80, 160, 90))
        pen.rect(x - 12, y - tall, x + 12, y, green, radius=12)
        for side in (-1, 1):
            pen.line(
                [(x, y - tall * 0.45), (x + side * 26, y - tall * 0.5), (x + side * 26, y - tall * 0.8)], green, 12
            )
    for _ in range(12):
        x, y = width * rng.random(), rng.uniform(horizon + 100, height)
        pen.arc(x, y, 40, 8, 200, 340, darker(sand, 0.12), 2)
    return height * 0.93


def river(pen: Pen, time, width, height, rng, c, horizon) -> float:
    hills(pen, width, horizon, c((110, 175, 100)), rng)
    pen.rect(0, horizon + 20, width, height, c((110, 180, 90)), outline=False)
    top, bottom = horizon + 60, horizon + 150
    bank = [(x, top + 10 * sin(x / 90)) for x in range(0, int(width) + 60, 60)]
    lower = [(x, bottom + 12 * sin(x / 70 + 1)) for x in range(int(width) + 60, -60, -60)]
    pen.poly([*bank, *lower], c((90, 160, 220)), outline=False)
    for _ in range(8):
        x, y = width * rng.random(), rng.uniform(top + 20, bottom - 10)
        pen.arc(x, y, 18, 5, 200, 340, (220, 240, 255), 2)
    bridge = width * rng.uniform(0.2, 0.8)
    pen.arc(bridge, bottom, 130, 110, 200, 340, c((150, 100, 60)), 12)
    boat = width * rng.uniform(0.1, 0.9)
    pen.chord(boat, top + 40, 50, 22, 0, 180, c((200, 80, 60)))
    pen.line([(boat, top + 40), (boat, top - 20)], (110, 80, 50), 3)
    pen.poly([(boat + 2, top - 18), (boat + 36, top + 30), (boat + 2, top + 30)], (250, 248, 240))
    for _ in range(10):
        x = width * rng.random()
        pen.line([(x, bottom + 20), (x + rng.uniform(-6, 6), bottom - 20)], c((70, 130, 60)), 3)
    return height * 0.94


def cave(pen: Pen, time, width, height, rng, c) -> float:
    gradient(pen, 0, 0, width, height, c((90, 80, 96)), c((50, 44, 56)), bands=24)
    opening = width * rng.uniform(0.25, 0.75)
    light = (250, 220, 160) if time != "night" else (40, 50, 100)
    pen.chord(opening, height * 0.8, width * 0.17, height * 0.5, 180, 360, c(light))  # the way out, an arch
    for index in range(int(width // 70) + 1):  # stalactites
        x, long = index * 70 + rng.uniform(-15, 15), rng.uniform(40, 110)
        pen.poly([(x - 20, 0), (x + 20, 0), (x, long)], c((110, 100, 116)))
    pen.rect(0, height * 0.78, width, height, c((100, 92, 104)), outline=False)
    for _ in range(6):  # glowing crystals
        x, y = width * rng.random(), height * rng.uniform(0.75, 0.95)
        glow = c(rng.choice(((120, 220, 240), (200, 140, 240), (140, 240, 170))))
        pen.circle(x, y - 12, 26, (*glow, 60), outline=False)
        pen.poly([(x - 9, y), (x + 9, y), (x + 4, y - 34), (x - 3, y - 30)], glow)
    return height * 0.94


def sky(pen: Pen, time, width, height, rng, c, horizon) -> float:
    for _ in range(5):
        cloud(pen, width * rng.random(), height * rng.uniform(0.1, 0.5), height * rng.uniform(0.04, 0.08), time)
    balloon = width * rng.uniform(0.1, 0.9)
    pen.line([(balloon - 20, height * 0.3), (balloon - 14, height * 0.4)], (90, 70, 60), 2)
    pen.line([(balloon + 20, height * 0.3), (balloon + 14, height * 0.4)], (90, 70, 60), 2)
    pen.ellipse(balloon, height * 0.22, 44, 54, c((230, 80, 70)))
    pen.rect(balloon - 16, height * 0.4, balloon + 16, height * 0.44, (150, 100, 60))
    white = (255, 255, 255) if time == "day" else (250, 226, 220)
    for index in range(7):  # the big cloud they stand on
        pen.circle(width * (index + 0.5) / 7, height * 0.86, width * 0.1, white, outline=False)
    pen.rect(0, height * 0.88, width, height, white, outline=False)
    return height * 0.9


def countryside(pen: Pen, time, width, height, rng, c, horizon) -> float:
    """Any place the artist has no drawing of: green hills, a path and a few trees."""
    hills(pen, width, horizon, c((130, 186, 110)), rng)
    pen.rect(0, horizon + 25, width, height, c((126, 190, 100)), outline=False)
    bend = width * rng.uniform(0.3, 0.7)
    pen.poly(
        [(bend - 20, horizon + 25), (bend + 20, horizon + 25), (bend + 200, height), (bend - 140, height)],
        c((222, 204, 160)),
        outline=False,
    )
    for _ in range(rng.randint(2, 4)):
        tree(pen, width * rng.random(), horizon + rng.uniform(20, 50), rng.uniform(80, 130), c((80, 150, 80)), rng)
    return height * 0.93
