"""The offline artist: portraits and page illustrations drawn with Pillow, no network
and no model, the same picture every time for the same seed.

A page is first read into a plan (scene_reading.py): exactly the story's cast, each
in a pose that fits the page (walking, flying, sitting, climbing, holding the thing
the page is about), the kind of place and its things, and the time of day. Animals
and helpers the words mention are never drawn as extra characters. A scene with
page number 0 is the cover: the cast together and large, the title's subject drawn
big, a glow behind them, so it is not page 1 again.

A character is drawn in their own colours and shapes (looks.py) by people.py or
creatures.py, whichever `figure_draw` picks for their kind; the backdrop comes from
backdrops.py; the art style changes outlines, colour and texture (canvas.py).
Pictures are drawn at twice their size and halved, then saved as PNG with light
compression, which keeps a whole 12-page book well under two seconds on one core.
"""

from __future__ import annotations

import io
import random

from PIL import Image

from storyforge.generation.providers.base import CharacterSheet, DrawnImage, Scene
from storyforge.generation.providers.offline.backdrops import GROUNDS, scene_draw
from storyforge.generation.providers.offline.canvas import SUPERSAMPLE, ArtStyle, Pen, lighter, style_for
from storyforge.generation.providers.offline.creatures import animal_draw, dragon_draw, monster_draw, robot_draw
from storyforge.generation.providers.offline.looks import Look, look_for
from storyforge.generation.providers.offline.people import human_draw
from storyforge.generation.providers.offline.poses import CLIMB, LIFT, PORTRAIT_POSES, STAND, WAVE
from storyforge.generation.providers.offline.props import climbable_draw, props_draw
from storyforge.generation.providers.offline.scene_reading import (
    COVER_PAGE,
    Figure,
    PicturePlan,
    figures_planned,
    picture_plan,
    place_of,
    time_of_day,
)
from storyforge.generation.providers.offline.scenery import portrait_background
from storyforge.generation.providers.offline.things import thing_draw

__all__ = [
    "COVER_PAGE",
    "MODEL",
    "cover_scene",
    "figure_draw",
    "figures_count",
    "figures_planned",
    "page_illustrate",
    "picture_plan",
    "place_of",
    "portrait_draw",
    "time_of_day",
]

MODEL = "offline-artist-1"
PORTRAIT_SIZE = 512
PAGE_SIZE = (1024, 768)

# Per kind: the head's radius as a share of standing height, and how far below the
# top of the figure the head's centre sits, in head radii (horns and antennae above).
_FRAMING = {
    "grown-up": (0.15, 1.0),
    "alien": (0.23, 1.0),
    "animal": (0.25, 1.0),
    "toy": (0.25, 1.0),
    "robot": (1 / 5.2, 1.25),
    "dragon": (0.23, 1.3),
    "monster": (0.2, 1.25),
}
# Standing height on a page, as a share of the page's height.
_HEIGHTS = {
    "grown-up": 0.52,
    "animal": 0.33,
    "toy": 0.28,
    "robot": 0.42,
    "dragon": 0.45,
    "monster": 0.42,
    "fairy": 0.36,
}
# Who draws each kind of character; any other kind is a person.
_DRAWERS = {
    "animal": animal_draw,
    "toy": animal_draw,
    "robot": robot_draw,
    "dragon": dragon_draw,
    "monster": monster_draw,
}


def portrait_draw(character: CharacterSheet, count: int, art_style: str, seed: int) -> list[DrawnImage]:
    """`count` 512x512 portraits of one character; candidate i is drawn from seed + i."""
    look = look_for(character)
    prompt = f"Portrait of {character.name}, {character.appearance or character.kind}, {art_style} style"
    return [
        DrawnImage(png=_portrait(look, art_style, seed + index), prompt=prompt, model=MODEL, seed=seed + index)
        for index in range(count)
    ]


def page_illustrate(scene: Scene) -> DrawnImage:
    """A 1024x768 picture of one page: the place, the time of day and everyone in the scene."""
    return DrawnImage(png=_page(scene), prompt=scene.visual_description, model=MODEL, seed=scene.seed)


figures_count = figures_planned  # the name the quality report (bench/storyteller_quality.py) asks for


def cover_scene(title: str, characters: tuple[CharacterSheet, ...], setting: str, art_style: str, seed: int) -> Scene:
    """The scene a book's cover is drawn from: page 0, its words the title."""
    return Scene(COVER_PAGE, title, title, characters, setting, art_style, seed)


def _portrait(look: Look, art_style: str, seed: int) -> bytes:
    rng = random.Random(seed)
    style = style_for(art_style)
    image = Image.new("RGB", (PORTRAIT_SIZE * SUPERSAMPLE,) * 2, style.paper)
    pen = Pen(image, style)
    portrait_background(pen, PORTRAIT_SIZE, rng)
    _texture(pen, style, PORTRAIT_SIZE, PORTRAIT_SIZE, rng)
    share, offset = _FRAMING.get(look.kind, (0.2, 1.0))
    radius = 118 * rng.uniform(0.95, 1.03)
    height = radius / share
    head_y = PORTRAIT_SIZE * 0.4 + rng.uniform(-6, 6)
    x = PORTRAIT_SIZE / 2 + rng.uniform(-10, 10)
    pose = rng.choice((PORTRAIT_POSES[0], PORTRAIT_POSES[1], PORTRAIT_POSES[1], PORTRAIT_POSES[2]))
    _figure(pen, style, look, x, head_y - offset * radius + height, height, pose)
    return _png(image)


def _page(scene: Scene) -> bytes:
    plan = picture_plan(scene)
    rng = random.Random(scene.seed * 7919 + scene.page_number)
    style = style_for(scene.art_style)
    width, height = PAGE_SIZE
    image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), style.paper)
    pen = Pen(image, style)
    ground_kind = GROUNDS.get(plan.backdrop, "")
    ground = scene_draw(pen, plan.backdrop, plan.time, width, height, rng)
    _texture(pen, style, width, height, rng)
    if plan.cover:
        _cover_glow(pen, width, ground, height, plan.time)
    props_draw(pen, plan.props, width, height, ground, rng, True, ground_kind)
    placed = _cast_place(scene, plan, ground, rng)
    for feet, x, tall, _, figure in placed:
        if figure.pose == CLIMB:
            climbable_draw(pen, x + tall * 0.05, ground, feet - tall * 1.05, ground_kind)
    for feet, x, tall, look, figure in placed:
        if look.kind != "fairy" and feet >= ground - height * 0.2:  # whoever flies or floats has no shadow
            pen.ellipse(x, feet + 2, tall * 0.22, tall * 0.035, (0, 0, 0, 40), outline=False)
        hands = _figure(pen, style, look, x, feet, tall, figure.pose)
        if figure.holding:
            _held_draw(pen, figure, hands, tall * (0.34 if plan.cover else 0.24), height)
    if plan.subject_shown:
        _subject_draw(pen, plan, placed, width, height, ground)
    props_draw(pen, plan.props, width, height, ground, rng, False, ground_kind)
    return _png(image)


def _cast_place(
    scene: Scene, plan: PicturePlan, ground: float, rng: random.Random
) -> list[tuple[float, float, float, Look, Figure]]:
    """(feet, x, height, look, figure) of everyone drawn, the farthest first. Whoever
    the page is about stands in front; the others a step behind, a little smaller.
    On the cover everyone stands together in the middle, larger, the hero at the centre."""
    width, height = PAGE_SIZE
    people = [(look_for(sheet), figure) for sheet, figure in zip(scene.characters, plan.figures, strict=True)]
    if plan.cover:
        hero = next((index for index, (_, figure) in enumerate(people) if figure.pose != WAVE), 0)
        people.insert(len(people) // 2, people.pop(hero))
        zoom, (left, right) = 1.3 * (0.85 if len(people) > 2 else 1.0), (0.15, 0.85)
    else:
        rng.shuffle(people)
        zoom = rng.uniform(0.85, 1.15) * (0.88 if len(people) > 2 else 1.0)
        # A row across the page, or a group to one side leaving room for the place.
        left, right = rng.choice(((0.0, 1.0), (0.0, 0.75), (0.25, 1.0))) if len(people) < 4 else (0.0, 1.0)
    placed = []
    for index, (look, figure) in enumerate(people):
        front = figure.front
        tall = height * _HEIGHTS.get(look.kind, 0.4) * zoom * (1.0 if front else 0.8) * rng.uniform(0.95, 1.05)
        feet = ground - (0 if front else height * 0.07) - rng.uniform(0, height * 0.03)
        if look.kind == "fairy" and figure.pose not in LIFT:
            feet -= height * 0.07
        feet -= LIFT.get(figure.pose, 0.0) * tall
        x = width * (left + (right - left) * (index + 1) / (len(people) + 1) + rng.uniform(-0.03, 0.03))
        placed.append((feet, x, tall, look, figure))
    return sorted(placed, key=lambda item: item[0])


def _held_draw(pen: Pen, figure: Figure, hands: tuple[float, float], size: float, height: int) -> None:
    x, y = hands
    if figure.holding == "kite":  # a kite flies high on its string
        kite_x, kite_y = x + size * 2.2, max(height * 0.1, y - size * 5)
        pen.line([(x, y), (kite_x - size * 0.2, kite_y + size * 0.6)], (90, 80, 80), 1.5, rounded=False)
        thing_draw(pen, "kite", kite_x, kite_y, size * 1.6, figure.colour)
        return
    thing_draw(pen, figure.holding, x, y, size, figure.colour)


def _subject_draw(pen: Pen, plan: PicturePlan, placed, width: int, height: int, ground: float) -> None:
    """The thing the page or the title is about, when nobody holds it: big in the
    cover's sky, or on the ground beside whoever the page is about."""
    if plan.cover:
        thing_draw(pen, plan.subject, width / 2, height * 0.2, height * 0.26, plan.subject_colour)
        return
    front = [item for item in placed if item[4].front] or placed
    if not front:
        thing_draw(pen, plan.subject, width / 2, ground - height * 0.06, height * 0.1, plan.subject_colour)
        return
    feet, x, tall, _, _ = max(front, key=lambda item: item[1])
    side = 1 if x < width * 0.8 else -1
    size = tall * 0.22
    thing_draw(pen, plan.subject, x + side * tall * 0.45, min(feet, ground) - size * 0.45, size, plan.subject_colour)


def _cover_glow(pen: Pen, width: int, ground: float, height: int, time: str) -> None:
    """The cover's own look: soft rays behind the group and a frame round the picture."""
    centre = (width / 2, ground - height * 0.35)
    ray = (255, 250, 220, 50) if time != "night" else (200, 210, 255, 40)
    for index in range(12):
        start, end = index * 30, index * 30 + 14
        pen.draw.pieslice(
            [SUPERSAMPLE * (centre[0] - width), SUPERSAMPLE * (centre[1] - width),
             SUPERSAMPLE * (centre[0] + width), SUPERSAMPLE * (centre[1] + width)],
            start, end, fill=ray,
        )  # fmt: skip
    pen.circle(centre[0], centre[1] + height * 0.1, height * 0.32, (255, 255, 255, 60), outline=False)
    for inset, colour in ((0, (250, 214, 80)), (10, (255, 255, 255))):
        pen.draw.rectangle(
            (
                SUPERSAMPLE * inset,
                SUPERSAMPLE * inset,
                SUPERSAMPLE * (width - inset) - 1,
                SUPERSAMPLE * (height - inset) - 1,
            ),
            outline=colour,
            width=SUPERSAMPLE * 6,
        )


def _figure(
    pen: Pen, style: ArtStyle, look: Look, x: float, feet: float, height: float, pose: str
) -> tuple[float, float]:
    if style.shadow:  # a paper cut-out's shadow, a little down and to the right
        pen.flat = (40, 30, 30)
        figure_draw(pen, look, x + height * 0.025, feet + height * 0.02, height, pose)
        pen.flat = None
    return figure_draw(pen, look, x, feet, height, pose)


def figure_draw(pen: Pen, look: Look, x: float, feet: float, height: float, pose: str = STAND) -> tuple[float, float]:
    """One character with their feet at (x, feet) in `pose` (poses.POSES); returns
    where their hands meet, for what they hold."""
    pen.weight = pen.style.weight * height / 200
    return _DRAWERS.get(look.kind, human_draw)(pen, look, x, feet, height, pose)


def _texture(pen: Pen, style: ArtStyle, width: int, height: int, rng: random.Random) -> None:
    """The art style's paper and strokes, laid over the background before anyone is drawn."""
    if style.strokes == "wash":
        for _ in range(14):
            tint = lighter(rng.choice(((120, 170, 230), (240, 170, 140), (170, 220, 160), (250, 220, 150))), 0.3)
            pen.ellipse(
                width * rng.random(),
                height * rng.random(),
                width * rng.uniform(0.08, 0.2),
                height * rng.uniform(0.06, 0.15),
                (*tint, 22),
                outline=False,
            )
    elif style.strokes == "crayon":
        for _ in range(int(width * height / 1400)):
            x, y = width * rng.random(), height * rng.random()
            shade = (255, 255, 255, 60) if rng.random() < 0.5 else (60, 40, 30, 26)
            pen.line([(x, y), (x + rng.uniform(8, 18), y - rng.uniform(3, 9))], shade, 1.3, rounded=False)
    elif style.strokes == "hatch":
        for offset in range(-height, width, 9):
            pen.line([(offset, height), (offset + height, 0)], (90, 90, 100, 26), 1, rounded=False)
    if style.wash:
        pen.rect(0, 0, width, height, (*style.paper, round(255 * style.wash)), outline=False)
    if style.outline is not None and style.weight > 1.2:  # a cartoon's frame
        pen.draw.rectangle((0, 0, width * SUPERSAMPLE - 1, height * SUPERSAMPLE - 1), outline=style.outline, width=6)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.reduce(SUPERSAMPLE).save(buffer, "PNG", optimize=False, compress_level=3)
    return buffer.getvalue()
