"""The offline artist's rooms: home, school, a museum, a train and a library. Each
has a wall, a floor and a window whose sky shows the time of day; backdrops.py
picks among these and the outdoor places.
"""

from __future__ import annotations

from storyforge.generation.providers.offline.canvas import RGB, Pen, darker, lighter
from storyforge.generation.providers.offline.scenery import FLOWERS, SKIES, gradient, moon, sun


def _room(pen, time, width, height, rng, c, wall: RGB, floor: RGB) -> float:
    pen.rect(0, 0, width, height * 0.72, c(wall), outline=False)
    for index in range(int(width // 48) + 1):
        pen.rect(index * 48, 0, index * 48 + 14, height * 0.72, c(lighter(wall, 0.25)), outline=False)
    pen.rect(0, height * 0.72, width, height, c(floor), outline=False)
    for index in range(1, 6):
        pen.line(
            [(0, height * (0.72 + index * 0.056)), (width, height * (0.72 + index * 0.056))],
            darker(c(floor), 0.12),
            2,
            rounded=False,
        )
    window = width * rng.uniform(0.6, 0.8)
    sky = SKIES[time]
    gradient(pen, window - 110, height * 0.12, window + 110, height * 0.46, sky[0], sky[1], bands=10)
    if time == "night":
        moon(pen, window + 40, height * 0.22, 26, sky[0])
    else:
        sun(pen, window - 40, height * 0.22, 22, (252, 214, 80))
    pen.line([(window, height * 0.12), (window, height * 0.46)], (250, 250, 250), 8, rounded=False)
    pen.line([(window - 110, height * 0.29), (window + 110, height * 0.29)], (250, 250, 250), 8, rounded=False)
    pen.rect(window - 125, height * 0.45, window + 125, height * 0.48, (250, 250, 250))
    return window


def home(pen, time, width, height, rng, c) -> float:
    window = _room(
        pen,
        time,
        width,
        height,
        rng,
        c,
        rng.choice(((240, 220, 200), (214, 230, 214), (230, 214, 240))),
        (190, 140, 100),
    )
    pen.ellipse(width / 2, height * 0.9, width * 0.3, height * 0.07, c((220, 110, 110)))
    bed = width * 0.16 if window > width / 2 else width * 0.84
    pen.rect(bed - 140, height * 0.52, bed + 140, height * 0.76, c((120, 90, 160)), radius=16)
    pen.rect(bed - 150, height * 0.58, bed + 150, height * 0.7, c((250, 248, 240)), radius=20)
    pen.ellipse(bed - 90, height * 0.58, 50, 22, (255, 255, 255))
    pen.rect(width * 0.4, height * 0.15, width * 0.5, height * 0.28, c((250, 210, 120)))
    pen.rect(width * 0.41, height * 0.165, width * 0.49, height * 0.265, c((130, 190, 230)))
    return height * 0.94


def school(pen, time, width, height, rng, c) -> float:
    _room(pen, time, width, height, rng, c, (246, 236, 200), (200, 160, 110))
    board = width * 0.28
    pen.rect(board - 190, height * 0.1, board + 190, height * 0.42, (150, 110, 70), radius=6)
    pen.rect(board - 178, height * 0.12, board + 178, height * 0.4, (46, 90, 70))
    for index, letter_width in enumerate((30, 26, 34)):
        x = board - 140 + index * 60
        pen.arc(x, height * 0.2, letter_width / 2, 18, 0, 300, (250, 250, 240), 3)
    pen.line([(board - 20, height * 0.3), (board + 120, height * 0.3)], (250, 250, 240), 3)
    for index in range(14):
        x = index * width / 14
        pen.poly(
            [(x, height * 0.05), (x + width / 14, height * 0.05), (x + width / 28, height * 0.1)],
            c(FLOWERS[index % 5]),
        )
    pen.line([(0, height * 0.05), (width, height * 0.05)], (120, 90, 60), 2, rounded=False)
    return height * 0.94


def museum(pen: Pen, time, width, height, rng, c) -> float:
    window = _room(pen, time, width, height, rng, c, (236, 230, 220), (170, 150, 130))
    for index, frame in enumerate((0.12, 0.34)):
        x = width * frame if window > width / 2 else width * (1 - frame)
        pen.rect(x - 70, height * 0.14, x + 70, height * 0.36, (200, 160, 70))
        pen.rect(x - 58, height * 0.16, x + 58, height * 0.34, c(((130, 190, 230), (240, 200, 150))[index]))
        pen.circle(x + 20, height * 0.22, 12, c((250, 210, 80)))
        pen.poly([(x - 58, height * 0.34), (x - 10, height * 0.25), (x + 40, height * 0.34)], c((90, 150, 90)))
    stand = width * 0.5
    pen.rect(stand - 50, height * 0.56, stand + 50, height * 0.74, (245, 242, 236))
    pen.ellipse(stand, height * 0.49, 34, 50, c((90, 150, 200)))  # a vase on its plinth
    pen.rect(stand - 14, height * 0.4, stand + 14, height * 0.43, c((90, 150, 200)))
    pen.line([(stand - 160, height * 0.72), (stand + 160, height * 0.72)], (200, 60, 60), 3, rounded=False)
    return height * 0.94


def train(pen: Pen, time, width, height, rng, c) -> float:
    pen.rect(0, 0, width, height, c((200, 170, 130)), outline=False)
    sky = SKIES[time]
    for index in range(3):  # windows, with the country going by
        x = width * (0.18 + index * 0.32)
        pen.rect(x - 118, height * 0.12, x + 118, height * 0.46, (120, 90, 60), radius=14, outline=False)
        gradient(pen, x - 110, height * 0.14, x + 110, height * 0.44, sky[0], sky[1], bands=8)
        pen.chord(x - 40, height * 0.44, 110, 50, 180, 360, c((110, 170, 100)))
        pen.chord(x + 60, height * 0.44, 90, 36, 180, 360, c((90, 150, 90)))
        if time == "night":
            moon(pen, x + 40, height * 0.22, 16, sky[0])
    pen.rect(0, height * 0.46, width, height * 0.49, c((150, 110, 70)), outline=False)
    for index in range(4):
        x = width * (0.05 + index * 0.3)
        pen.rect(x, height * 0.52, x + width * 0.2, height * 0.76, c((60, 100, 160)), radius=14)
    pen.rect(0, height * 0.78, width, height, c((120, 110, 110)), outline=False)
    return height * 0.94


def library(pen: Pen, time, width, height, rng, c) -> float:
    _room(pen, time, width, height, rng, c, (230, 214, 190), (160, 110, 80))
    for shelf_x in (width * 0.02, width * 0.3):
        pen.rect(shelf_x, height * 0.08, shelf_x + width * 0.24, height * 0.72, c((140, 94, 60)))
        for row in range(4):
            y = height * (0.1 + row * 0.155)
            x = shelf_x + 8
            while x < shelf_x + width * 0.24 - 20:
                wide = rng.uniform(10, 20)
                spine = c(rng.choice(((200, 70, 60), (70, 120, 200), (240, 190, 70), (90, 160, 90), (150, 100, 190))))
                pen.rect(x, y + rng.uniform(0, 14), x + wide, y + height * 0.14, spine, outline=False)
                x += wide + 2
            pen.rect(shelf_x, y + height * 0.14, shelf_x + width * 0.24, y + height * 0.155, c((110, 72, 44)))
    pen.ellipse(width * 0.62, height * 0.9, width * 0.22, height * 0.06, c((120, 160, 110)))
    return height * 0.94
