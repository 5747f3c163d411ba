"""The offline artist: portraits and page illustrations drawn with Pillow, no network
and no model, the same picture every time for the same seed.

A character is drawn in their own colours and shapes (looks.py) by people.py or
creatures.py, whichever `figure_draw` picks for their kind; a page's backdrop comes
from the place its words name (backdrops.py); the art style changes outlines,
colour and texture (canvas.py).
Pictures are drawn at twice their size and halved, then saved as PNG with light
compression, which keeps a whole 12-page book well under two seconds on one core.
"""

from __future__ import annotations

import io
import random
import re

from PIL import Image

from storyforge.generation.providers.base import CharacterSheet, DrawnImage, Scene
from storyforge.generation.providers.offline.backdrops import scene_draw
from storyforge.generation.providers.offline.canvas import SUPERSAMPLE, ArtStyle, Pen, lighter, style_for
from storyforge.generation.providers.offline.cast import SPECIES
from storyforge.generation.providers.offline.creatures import animal_draw, dragon_draw, monster_draw, robot_draw
from storyforge.generation.providers.offline.looks import Look, look_for
from storyforge.generation.providers.offline.people import human_draw
from storyforge.generation.providers.offline.phrases import place_find
from storyforge.generation.providers.offline.props import props_draw
from storyforge.generation.providers.offline.scenery import portrait_background

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
_INDOORS = re.compile(r"\b(in bed|at home|bedroom|indoors|classroom)\b", re.IGNORECASE)
_SKY = re.compile(r"\b(moon|moonlight|moonlit|stars?|starry)\b", re.IGNORECASE)
_ANIMAL = re.compile(r"\b(?:a|an|the) (?:[a-z]+ )?([a-z]+)\b")
_HELPER = re.compile(r"\b([A-Z][a-z]+) the ([a-z]+(?: [a-z]+)?)\b")
_NIGHT = re.compile(r"\b(night|bedtime|midnight|moonlight|moonlit|starry|asleep|sleeping|in bed)\b", re.IGNORECASE)
_SUNSET = re.compile(r"\b(sunset|dusk|evening|twilight|sundown)\b", re.IGNORECASE)


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


def time_of_day(text: str) -> str:
    if _NIGHT.search(text):
        return "night"
    return "sunset" if _SUNSET.search(text) else "day"


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
    _figure(pen, style, look, x, head_y - offset * radius + height, height, rng.choice((0, 1, 1, 2)))
    return _png(image)


def _page(scene: Scene) -> bytes:
    rng = random.Random(scene.seed * 7919 + scene.page_number)
    style = style_for(scene.art_style)
    width, height = PAGE_SIZE
    image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), style.paper)
    pen = Pen(image, style)
    description = scene.visual_description
    ground = scene_draw(pen, place_key(scene), time_of_day(description), width, height, rng)
    _texture(pen, style, width, height, rng)
    props_draw(pen, description, width, height, ground, rng, on_ground=True)
    for feet, x, tall, look in _cast_place(scene, ground, rng):
        if look.kind != "fairy":  # a fairy floats: no shadow on the ground
            pen.ellipse(x, feet + 2, tall * 0.22, tall * 0.035, (0, 0, 0, 40), outline=False)
        _figure(pen, style, look, x, feet, tall, rng.choice((0, 1, 2)))
    props_draw(pen, description, width, height, ground, rng, on_ground=False)
    return _png(image)


def place_key(scene: Scene) -> str:
    """The backdrop for a page: indoors when the words say so, else the place the
    description names (its moon and stars are the night's, not outer space's), else
    the story's setting."""
    description = scene.visual_description
    if _INDOORS.search(description):
        return "school" if re.search(r"\b(school|classroom)\b", description, re.IGNORECASE) else "home"
    place = place_find(_SKY.sub(" ", description)) or place_find(scene.setting) or place_find(description)
    return place.key if place else "garden"


def _cast_place(scene: Scene, ground: float, rng: random.Random) -> list[tuple[float, float, float, Look]]:
    """(feet, x, height, look) of everyone drawn, the farthest first. Whoever the
    description names stands in front; the others a step behind, a little smaller;
    an animal it mentions ("Olive the owl", "a squirrel") joins them."""
    width, height = PAGE_SIZE
    description = scene.visual_description
    named = [character for character in scene.characters if character.name.split()[0] in description]
    people = [(look_for(character), character in named or not named) for character in scene.characters]
    taken = {character.name for character in scene.characters}
    for name, noun in _HELPER.findall(description):
        guest = _guest(name, noun)
        if name not in taken and guest is not None:
            taken.add(name)
            people.append((look_for(guest), True))
    for noun in [noun for noun in _ANIMAL.findall(description) if noun in SPECIES][:1]:  # "laughing with a squirrel"
        if len(people) < 5 and not any(noun in name for name in taken):
            people.append((look_for(CharacterSheet(noun, "animal", "it/its", appearance=noun)), True))
    rng.shuffle(people)
    zoom = rng.uniform(0.85, 1.15) * (0.88 if len(people) > 2 else 1.0)
    # A row across the page, or a group to one side leaving room for the place.
    left, right = rng.choice(((0.0, 1.0), (0.0, 0.75), (0.25, 1.0))) if len(people) < 4 else (0.0, 1.0)
    placed = []
    for index, (look, front) in enumerate(people):
        tall = height * _HEIGHTS.get(look.kind, 0.4) * zoom * (1.0 if front else 0.8) * rng.uniform(0.95, 1.05)
        feet = ground - (0 if front else height * 0.07) - rng.uniform(0, height * 0.03)
        if look.kind == "fairy":
            feet -= height * 0.07
        x = width * (left + (right - left) * (index + 1) / (len(people) + 1) + rng.uniform(-0.03, 0.03))
        placed.append((feet, x, tall, look))
    return sorted(placed, key=lambda item: item[0])


def _guest(name: str, noun: str) -> CharacterSheet | None:
    """Someone the story meets ("Hazel the hedgehog", "Amara the new girl"), if drawable."""
    words = noun.split()
    if words[-1] in ("girl", "boy", "child"):
        return CharacterSheet(name, "child", "they/them")
    if "robot" in words:
        return CharacterSheet(name, "robot", "it/its")
    if any(word in SPECIES for word in words):
        return CharacterSheet(name, "animal", "it/its", appearance=noun)
    return None


def _figure(pen: Pen, style: ArtStyle, look: Look, x: float, feet: float, height: float, pose: int) -> None:
    if style.shadow:  # a paper cut-out's shadow, a little down and to the right
        pen.flat = (40, 30, 30)
        figure_draw(pen, look, x + height * 0.025, feet + height * 0.02, height, pose)
        pen.flat = None
    figure_draw(pen, look, x, feet, height, pose)


def figure_draw(pen: Pen, look: Look, x: float, feet: float, height: float, pose: int) -> None:
    """One character standing with their feet at (x, feet). `pose`: 0 arms down, 1 waving, 2 cheering."""
    pen.weight = pen.style.weight * height / 200
    _DRAWERS.get(look.kind, human_draw)(pen, look, x, feet, height, pose)


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
