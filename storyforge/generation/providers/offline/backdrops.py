"""Where the offline artist's pictures happen: a backdrop for each kind of place the
storyteller knows (places.KINDS), by day, at sunset or at night.

`backdrop_for` picks the drawing for a kind of place: its own when the artist has
one, else one that the kind's name or words suggest ("beach" is drawn as the
seaside), else open countryside, so a kind of place added to the storyteller
later is still drawn somewhere sensible. The rooms are in interiors.py, a few more
outdoor places in landscapes.py.

All drawing is in final pixels on a `Pen`; `rng` makes the seed's choices (where the
trees stand, how many clouds), so two seeds of one page differ.
"""

from __future__ import annotations

import random
import re
from math import cos, sin

from storyforge.generation.providers.offline import interiors, landscapes
from storyforge.generation.providers.offline.canvas import RGB, Pen, lighter, saturate, star_draw
from storyforge.generation.providers.offline.scenery import (
    SKIES,
    cloud,
    flowers,
    gradient,
    hills,
    moon,
    pine,
    stars,
    sun,
    tree,
)

# What the ground is made of, for the props that only fit some grounds (props.py).
GROUNDS = {
    "snow": "snow",
    "seaside": "sand",
    "desert": "sand",
    "space": "moon",
    "underwater": "seabed",
    "cave": "rock",
    "sky": "cloud",
    "home": "floor",
    "school": "floor",
    "museum": "floor",
    "train": "floor",
    "library": "floor",
}
# Words that name a place the artist draws with one of its drawings.
_ALIASES = {
    **dict.fromkeys(
        ("beach", "sea", "ocean", "coast", "shore", "island", "harbour", "lighthouse", "ship", "pirate"), "seaside"
    ),
    **dict.fromkeys(("reef", "coral", "seabed", "mermaid"), "underwater"),
    **dict.fromkeys(("mountain", "mountains", "arctic", "polar", "winter", "ice", "icy", "snowy", "glacier"), "snow"),
    **dict.fromkeys(("woods", "wood", "woodland", "trees"), "forest"),
    **dict.fromkeys(("rainforest", "jungles", "tropical"), "jungle"),
    **dict.fromkeys(("dunes", "oasis", "pyramid", "pyramids", "sahara", "savanna", "safari"), "desert"),
    **dict.fromkeys(("lake", "canal", "boat", "stream", "riverbank", "pond"), "river"),
    **dict.fromkeys(
        ("city", "village", "street", "market", "shop", "bakery", "square", "fair", "funfair", "circus"), "town"
    ),
    **dict.fromkeys(("park", "playground", "allotment", "zoo"), "garden"),
    **dict.fromkeys(("meadow", "hills", "valley", "prairie"), "countryside"),
    **dict.fromkeys(("barn", "field", "fields", "orchard"), "farm"),
    **dict.fromkeys(("palace", "kingdom", "knight", "tower"), "castle"),
    **dict.fromkeys(("gallery", "exhibition", "dinosaur"), "museum"),
    **dict.fromkeys(("railway", "station", "carriage", "locomotive"), "train"),
    **dict.fromkeys(("bookshop", "books"), "library"),
    **dict.fromkeys(("classroom", "nursery", "kindergarten"), "school"),
    **dict.fromkeys(("house", "bedroom", "kitchen", "cottage", "attic"), "home"),
    **dict.fromkeys(("planet", "moon", "rocket", "galaxy", "spaceship", "stars"), "space"),
    **dict.fromkeys(("clouds", "cloud", "air", "skies", "balloon"), "sky"),
    **dict.fromkeys(("caves", "cavern", "mine", "tunnel", "underground"), "cave"),
}


# Drawings that are a closer likeness of a kind of place when the story's own
# setting names them: "a jungle" is a forest to the storyteller, a jungle here.
_CLOSER = {
    "forest": {"jungle": "jungle", "rainforest": "jungle"},
    "garden": {"river": "river", "riverbank": "river", "lake": "river"},
    "town": {"library": "library", "museum": "museum", "city": "town"},
}


def backdrop_for(key: str, words: str = "", setting: str = "") -> str:
    """The drawing for kind of place `key`: a closer likeness when the story's
    `setting` names one, else its own, else one that `words` (the kind's own words,
    the setting) suggest, else the open countryside."""
    for word in re.findall(r"[a-z]+", setting.lower()):
        if word in _CLOSER.get(_ALIASES.get(key, key), {}):
            return _CLOSER[_ALIASES.get(key, key)][word]
    for word in (key, *re.findall(r"[a-z]+", words.lower())):
        if word in _SCENES:
            return word
        if word in _ALIASES:
            return _ALIASES[word]
    return "countryside"


def scene_draw(pen: Pen, key: str, time: str, width: int, height: int, rng: random.Random) -> float:
    """The backdrop `key` (a drawing's name, see backdrop_for) of one page, with the
    light of its time of day; returns the height where the characters stand."""
    tone = pen.style.saturation

    def c(colour: RGB) -> RGB:
        return saturate(colour, tone)

    drawer = _SCENES.get(key, landscapes.countryside)
    if key in _ROOMS:
        ground = drawer(pen, time, width, height, rng, c)
    else:
        sky = SKIES["night"] if key == "space" else SKIES[time]
        horizon = height * rng.uniform(0.55, 0.63)
        gradient(pen, 0, 0, width, horizon + 4, c(sky[0]), c(sky[1]))
        if key == "space" or time == "night":
            stars(pen, width, horizon, rng, 60 if key == "space" else 35)
            moon(pen, width * rng.uniform(0.1, 0.9), height * rng.uniform(0.1, 0.2), height * 0.06, c(sky[0]))
        elif key != "underwater":
            glow = (252, 214, 80) if time == "day" else (250, 140, 70)
            sun(
                pen, width * rng.uniform(0.08, 0.92), height * (0.13 if time == "day" else 0.38), height * 0.07, c(glow)
            )
            for _ in range(rng.randint(2, 4)):
                cloud(
                    pen, width * rng.random(), height * rng.uniform(0.08, 0.3), height * rng.uniform(0.04, 0.07), time
                )
        ground = drawer(pen, time, width, height, rng, c, horizon)
    if time == "night" and key != "space":  # the whole place in the dark, not only its sky; rooms have lamps
        pen.rect(0, 0, width, height, (14, 20, 60, 70 if key in _ROOMS and key != "cave" else 96), outline=False)
    elif time == "sunset":
        pen.rect(0, 0, width, height, (250, 130, 60, 34), outline=False)
    return ground


def _garden(pen, time, width, height, rng, c, horizon) -> float:
    hills(pen, width, horizon, c((120, 186, 100)), rng)
    pen.rect(0, horizon + 30, width, height, c((118, 190, 92)), outline=False)
    for index in range(int(width // 40) + 1):
        x = index * 40 + 10
        pen.poly(
            [(x, horizon + 60), (x + 22, horizon + 60), (x + 22, horizon + 10), (x + 11, horizon), (x, horizon + 10)],
            (250, 248, 240),
        )
    pen.rect(0, horizon + 22, width, horizon + 30, (240, 236, 228))
    for _ in range(rng.randint(2, 3)):
        pen.ellipse(width * rng.random(), horizon + 70, rng.uniform(50, 90), 35, c((80, 150, 70)))
    flowers(pen, width, horizon + 80, height - 20, rng, 22)
    return height * 0.93


def _forest(pen, time, width, height, rng, c, horizon) -> float:
    hills(pen, width, horizon, c((70, 130, 80)), rng)
    pen.rect(0, horizon + 20, width, height, c((96, 160, 78)), outline=False)
    for _ in range(rng.randint(6, 8)):
        tree(pen, width * rng.random(), horizon + rng.uniform(30, 70), rng.uniform(110, 170), c((60, 140, 70)), rng)
    for _ in range(rng.randint(3, 5)):
        x, y = width * rng.random(), rng.uniform(horizon + 120, height - 20)
        pen.rect(x - 4, y - 14, x + 4, y, (245, 240, 225))
        pen.chord(x, y - 12, 16, 12, 180, 360, (220, 70, 60))
    flowers(pen, width, horizon + 120, height - 15, rng, 10)
    return height * 0.93


def _seaside(pen, time, width, height, rng, c, horizon) -> float:
    sea_bottom = horizon + height * 0.15
    gradient(pen, 0, horizon, width, sea_bottom, c((60, 140, 200)), c((100, 190, 220)), bands=12)
    for row in range(3):
        for index in range(int(width // 60) + 1):
            x, y = index * 60 + row * 20 + rng.uniform(-8, 8), horizon + 18 + row * 30
            pen.arc(x, y, 14, 6, 200, 340, (240, 250, 255), 3)
    pen.rect(0, sea_bottom, width, height, c((242, 218, 160)), outline=False)
    pen.ellipse(width / 2, sea_bottom, width * 0.7, 14, c((250, 250, 250)), outline=False)
    tower = width * rng.choice((0.08, 0.92))
    for index in range(5):
        top = horizon - 150 + index * 30
        pen.rect(tower - 22 + index, top, tower + 22 - index, top + 30, (230, 70, 60) if index % 2 else (250, 250, 250))
    pen.poly([(tower - 28, horizon - 150), (tower + 28, horizon - 150), (tower, horizon - 185)], (60, 60, 80))
    for _ in range(5):
        x, y = width * rng.random(), rng.uniform(sea_bottom + 40, height - 15)
        star_draw(pen, x, y, rng.uniform(8, 13), c((240, 130, 100)))
    for _ in range(3):
        x, y = width * rng.random(), height * rng.uniform(0.15, 0.35)
        pen.arc(x - 10, y, 10, 7, 200, 340, (60, 60, 70), 2)
        pen.arc(x + 10, y, 10, 7, 200, 340, (60, 60, 70), 2)
    return height * 0.94


def _castle(pen, time, width, height, rng, c, horizon) -> float:
    hills(pen, width, horizon, c((110, 170, 100)), rng)
    stone, roof = c((200, 196, 210)), c((120, 90, 180))
    centre = width * rng.uniform(0.3, 0.7)
    pen.rect(centre - 170, horizon - 150, centre + 170, horizon + 20, stone)
    for dx, tall in ((-170, 250), (170, 250), (-60, 300), (60, 300)):
        pen.rect(centre + dx - 38, horizon - tall, centre + dx + 38, horizon + 20, stone)
        pen.poly(
            [
                (centre + dx - 48, horizon - tall),
                (centre + dx + 48, horizon - tall),
                (centre + dx, horizon - tall - 90),
            ],
            roof,
        )
        pen.line([(centre + dx, horizon - tall - 90), (centre + dx, horizon - tall - 130)], (80, 60, 50), 3)
        pen.poly(
            [
                (centre + dx, horizon - tall - 130),
                (centre + dx + 34, horizon - tall - 118),
                (centre + dx, horizon - tall - 106),
            ],
            c((230, 70, 70)),
        )
        pen.rect(
            centre + dx - 12,
            horizon - tall + 40,
            centre + dx + 12,
            horizon - tall + 75,
            (250, 220, 120) if time == "night" else (70, 60, 90),
            radius=12,
        )
    pen.chord(centre, horizon + 20, 45, 70, 180, 360, (110, 74, 50))
    pen.rect(0, horizon + 20, width, height, c((110, 176, 90)), outline=False)
    pen.poly(
        [(centre - 45, horizon + 20), (centre + 45, horizon + 20), (centre + 160, height), (centre - 160, height)],
        c((214, 196, 150)),
        outline=False,
    )
    flowers(pen, width, horizon + 60, height - 15, rng, 8)
    return height * 0.93


def _town(pen, time, width, height, rng, c, horizon) -> float:
    x = rng.uniform(-60, 0)
    while x < width:
        wide, tall = rng.uniform(110, 170), rng.uniform(130, 230)
        wall = c(rng.choice(((240, 200, 150), (200, 220, 240), (250, 190, 190), (220, 240, 200), (250, 230, 160))))
        pen.rect(x, horizon - tall, x + wide, horizon + 40, wall)
        pen.poly(
            [(x - 8, horizon - tall), (x + wide + 8, horizon - tall), (x + wide / 2, horizon - tall - 60)],
            c((190, 80, 70)),
        )
        glow = (252, 220, 120) if time != "day" else (150, 200, 235)
        for row in range(int(tall // 70)):
            for column in (0.28, 0.72):
                pen.rect(
                    x + wide * column - 14,
                    horizon - tall + 30 + row * 70,
                    x + wide * column + 14,
                    horizon - tall + 66 + row * 70,
                    glow,
                )
        x += wide + rng.uniform(10, 40)
    pen.rect(0, horizon + 40, width, horizon + 70, c((210, 206, 200)), outline=False)
    pen.rect(0, horizon + 70, width, height, c((150, 150, 160)), outline=False)
    for index in range(int(width // 120) + 1):
        pen.rect(index * 120 + 20, height * 0.97 - 6, index * 120 + 80, height * 0.97, (250, 250, 240), outline=False)
    return height * 0.92


def _snow(pen, time, width, height, rng, c, horizon) -> float:
    for _ in range(3):
        x, tall = width * rng.random(), rng.uniform(180, 280)
        pen.poly([(x - tall, horizon + 20), (x + tall, horizon + 20), (x, horizon - tall)], c((150, 160, 190)))
        pen.poly(
            [(x - tall * 0.3, horizon - tall * 0.7), (x + tall * 0.3, horizon - tall * 0.7), (x, horizon - tall)],
            (250, 252, 255),
            outline=False,
        )
    pen.rect(0, horizon + 20, width, height, c((236, 242, 252)), outline=False)
    for _ in range(rng.randint(4, 6)):
        pine(pen, width * rng.random(), horizon + rng.uniform(40, 90), rng.uniform(90, 140), snow=True)
    for _ in range(40):
        pen.circle(width * rng.random(), height * rng.random(), rng.uniform(2, 4), (255, 255, 255), outline=False)
    return height * 0.93


def _farm(pen, time, width, height, rng, c, horizon) -> float:
    for index, colour in enumerate(((170, 200, 90), (226, 200, 100), (120, 180, 80))):
        pen.ellipse(width * (0.2 + 0.35 * index), horizon + 40, width * 0.45, 90, c(colour))
    barn = width * rng.choice((0.15, 0.85))
    pen.rect(barn - 90, horizon - 120, barn + 90, horizon + 40, c((200, 60, 50)))
    pen.poly([(barn - 105, horizon - 120), (barn + 105, horizon - 120), (barn, horizon - 200)], c((120, 60, 50)))
    pen.rect(barn - 40, horizon - 40, barn + 40, horizon + 40, (250, 246, 236))
    pen.line([(barn - 40, horizon - 40), (barn + 40, horizon + 40)], c((200, 60, 50)), 6, rounded=False)
    pen.line([(barn + 40, horizon - 40), (barn - 40, horizon + 40)], c((200, 60, 50)), 6, rounded=False)
    pen.rect(0, horizon + 60, width, height, c((130, 190, 90)), outline=False)
    for index in range(int(width // 70) + 1):
        pen.rect(index * 70, horizon + 70, index * 70 + 10, horizon + 130, (170, 120, 80))
    pen.rect(0, horizon + 85, width, horizon + 95, (170, 120, 80))
    for _ in range(2):
        x = width * rng.random()
        pen.rect(x - 30, horizon + 150, x + 30, horizon + 190, c((236, 200, 90)), radius=10)
    return height * 0.94


def _underwater(pen, time, width, height, rng, c, horizon) -> float:
    gradient(pen, 0, 0, width, height, c((70, 170, 220)), c((20, 70, 140)))
    for index in range(6):
        x = width * (index + rng.random()) / 6
        pen.poly(
            [(x - 30, 0), (x + 30, 0), (x + 120, height * 0.7), (x + 60, height * 0.7)],
            (255, 255, 255, 18),
            outline=False,
        )
    pen.rect(0, height * 0.8, width, height, c((230, 206, 150)), outline=False)
    for _ in range(rng.randint(6, 9)):
        x, tall = width * rng.random(), rng.uniform(120, 240)
        points = [(x + 12 * sin(step / 2), height * 0.82 - step * tall / 8) for step in range(9)]
        pen.line(points, c((60, 150, 80)), 9)
    for _ in range(4):
        x = width * rng.random()
        for angle in (-0.6, -0.2, 0.2, 0.6):
            pen.line(
                [(x, height * 0.83), (x + 60 * sin(angle), height * 0.83 - 70 * cos(angle))], c((240, 110, 140)), 8
            )
    for _ in range(5):
        x, y, fin = (
            width * rng.random(),
            height * rng.uniform(0.1, 0.6),
            c(rng.choice(((250, 160, 60), (250, 220, 80), (240, 110, 150)))),
        )
        pen.ellipse(x, y, 26, 15, fin)
        pen.poly([(x + 22, y), (x + 42, y - 14), (x + 42, y + 14)], fin)
        pen.circle(x - 12, y - 3, 3, (30, 30, 40), outline=False)
    for _ in range(25):
        pen.arc(width * rng.random(), height * rng.random(), 6, 6, 0, 360, (230, 245, 255), 2)
    return height * 0.95


def _space(pen, time, width, height, rng, c, horizon) -> float:
    planet = c(rng.choice(((240, 150, 90), (150, 120, 220), (100, 190, 170))))
    x, y = width * rng.uniform(0.6, 0.85), height * rng.uniform(0.18, 0.3)
    pen.ellipse(x, y, 120, 22, lighter(planet, 0.4))
    pen.circle(x, y, 70, planet)
    pen.chord(x, y, 120, 22, 0, 180, lighter(planet, 0.4))
    pen.ellipse(width / 2, height * 1.05, width * 0.8, height * 0.32, c((190, 190, 205)))
    for _ in range(7):
        cx, cy, r = width * rng.random(), height * rng.uniform(0.82, 0.98), rng.uniform(15, 35)
        pen.ellipse(cx, cy, r, r * 0.35, c((160, 160, 178)))
    rocket = width * rng.uniform(0.08, 0.3)
    pen.rect(rocket - 22, height * 0.32, rocket + 22, height * 0.5, (240, 240, 245), radius=18)
    pen.poly([(rocket - 22, height * 0.34), (rocket + 22, height * 0.34), (rocket, height * 0.24)], (230, 70, 60))
    pen.circle(rocket, height * 0.39, 10, (120, 190, 240))
    pen.poly(
        [(rocket - 12, height * 0.5), (rocket + 12, height * 0.5), (rocket, height * 0.57)],
        (250, 180, 60),
        outline=False,
    )
    return height * 0.92


_ROOMS = {
    "home": interiors.home,
    "school": interiors.school,
    "museum": interiors.museum,
    "train": interiors.train,
    "library": interiors.library,
    "cave": landscapes.cave,
}
_SCENES = {
    "garden": _garden,
    "forest": _forest,
    "seaside": _seaside,
    "castle": _castle,
    "town": _town,
    "snow": _snow,
    "farm": _farm,
    "underwater": _underwater,
    "space": _space,
    "jungle": landscapes.jungle,
    "desert": landscapes.desert,
    "river": landscapes.river,
    "sky": landscapes.sky,
    "countryside": landscapes.countryside,
    **_ROOMS,
}
BACKDROPS = tuple(_SCENES)  # every drawing of a place the artist has
