"""People in the offline artist's pictures: children, grown-ups, fairies and aliens,
with their hair styles, faces and the little things they wear. Animals, toys,
robots, dragons and monsters are in creatures.py; the eyes and scarf both kinds
share are in features.py, and artist.py picks which draws a character.

Every measure is a share of the head's radius `r`, so one figure drawn 500 pixels
tall for a portrait and 250 for a page is the same character.
"""

from __future__ import annotations

from math import cos, sin

from storyforge.generation.providers.offline.canvas import RGB, Pen, darker, lighter, mix, star_draw
from storyforge.generation.providers.offline.features import INK, eyes_draw, scarf_draw
from storyforge.generation.providers.offline.looks import Look
from storyforge.generation.providers.offline.poses import CHEER, SIT, STAND, WAVE, arm_end, knee_up, leg_step

BLUSH: RGB = (240, 120, 130)

# Head radius as a share of standing height, and the torso's length in head radii.
_PROPORTIONS = {"child": (0.2, 1.3), "fairy": (0.2, 1.3), "alien": (0.23, 1.3), "grown-up": (0.15, 1.9)}


def human_draw(pen: Pen, look: Look, x: float, feet: float, height: float, pose: str = STAND) -> tuple[float, float]:
    """One person with their feet at (x, feet) in `pose` (poses.py); returns where
    their hands meet, for whatever they hold."""
    share, torso = _PROPORTIONS.get(look.kind, _PROPORTIONS["child"])
    r = height * share
    head_y = feet - height + r
    shoulder_y = head_y + r * 0.92
    hip_y = shoulder_y + r * torso
    if pose == SIT:  # sitting on the ground: everything above the legs comes down
        drop = feet - hip_y - r * 0.3
        head_y, shoulder_y, hip_y = head_y + drop, shoulder_y + drop, hip_y + drop
    if look.kind == "fairy":
        wings_draw(pen, x, shoulder_y + r * 0.3, r, look.clothing)
    hair_back(pen, look, x, head_y, r)
    legs_draw(pen, look, x, hip_y, feet, r, pose)
    torso_draw(pen, look, x, shoulder_y, hip_y, r)
    arms_draw(pen, look.clothing, look.skin, x, shoulder_y, hip_y, r, pose)
    if "scarf" in look.extras:
        scarf_draw(pen, x, shoulder_y, r, look.accent)
    if look.kind == "alien":
        for side in (-1, 1):
            pen.line([(x + side * r * 0.35, head_y - r * 0.8), (x + side * r * 0.7, head_y - r * 1.5)], INK, r * 0.07)
            pen.circle(x + side * r * 0.7, head_y - r * 1.5, r * 0.16, look.accent)
    else:
        for side in (-1, 1):
            pen.circle(x + side * r * 0.97, head_y + r * 0.1, r * 0.2, look.skin)
    pen.circle(x, head_y, r, look.skin)
    face_draw(pen, look, x, head_y, r, pose, big_eyes=look.kind == "alien")
    hair_front(pen, look, x, head_y, r)
    extras_draw(pen, look, x, head_y, r)
    if look.kind == "fairy" and pose in (WAVE, CHEER):
        wand_x, wand_y = x + r * 1.9, shoulder_y - r * 1.1
        pen.line([(wand_x - r * 0.2, wand_y + r * 0.5), (wand_x, wand_y - r * 0.2)], (120, 90, 60), r * 0.07)
        star_draw(pen, wand_x, wand_y - r * 0.3, r * 0.3, (250, 214, 80))
    return x, shoulder_y + r * 0.8


def legs_draw(pen: Pen, look: Look, x: float, hip_y: float, feet: float, r: float, pose: str = STAND) -> None:
    trousers = look.skin if look.garment == "dress" else look.accent
    if look.garment == "dungarees":
        trousers = look.clothing
    shoe = darker(look.accent, 0.45)
    for side in (-1, 1):
        leg_x = x + side * r * 0.3
        if pose == SIT:  # knees out to the sides, feet in front
            pen.ellipse(leg_x + side * r * 0.25, hip_y + r * 0.05, r * 0.5, r * 0.2, trousers)
            pen.ellipse(leg_x + side * r * 0.7, feet - r * 0.08, r * 0.24, r * 0.14, shoe)
            continue
        step, lift = leg_step(pose, side) * r, knee_up(pose, side) * (feet - hip_y)
        if not step and not lift:
            pen.rect(leg_x - r * 0.17, hip_y - r * 0.2, leg_x + r * 0.17, feet - r * 0.08, trousers, radius=r * 0.08)
            pen.ellipse(leg_x + side * r * 0.08, feet - r * 0.06, r * 0.27, r * 0.14, shoe)
            continue
        foot = (leg_x + step, feet - lift - r * 0.1)
        pen.line([(leg_x, hip_y - r * 0.15), foot], darker(trousers, 0.3), r * 0.38)
        pen.line([(leg_x, hip_y - r * 0.15), foot], trousers, r * 0.3)
        pen.ellipse(foot[0] + side * r * 0.08, foot[1] + r * 0.04, r * 0.27, r * 0.14, shoe)


def torso_draw(pen: Pen, look: Look, x: float, top: float, bottom: float, r: float) -> None:
    half = r * 0.72
    if look.garment == "dress":
        flare = r * 1.05
        pen.poly(
            [(x - half, top), (x + half, top), (x + flare, bottom + r * 0.35), (x - flare, bottom + r * 0.35)],
            look.clothing,
        )
        pen.line(
            [(x - half * 0.9, top + r * 0.55), (x + half * 0.9, top + r * 0.55)], darker(look.clothing, 0.2), r * 0.08
        )
        return
    pen.rect(x - half, top, x + half, bottom, look.clothing, radius=r * 0.3)
    if look.garment == "dungarees":
        pen.rect(x - half * 0.6, top + r * 0.35, x + half * 0.6, bottom, look.accent, radius=r * 0.1)
        for side in (-1, 1):
            pen.circle(x + side * half * 0.4, top + r * 0.45, r * 0.06, (240, 210, 90))
    else:
        pen.line(
            [(x - half * 0.95, bottom - r * 0.18), (x + half * 0.95, bottom - r * 0.18)],
            darker(look.clothing, 0.25),
            r * 0.08,
        )


# Elbow and hand, in head radii from the middle of the shoulders, for each place a
# hand can go (poses.arm_end); x is for the right arm and mirrored for the left.
_ARMS = {
    "front": ((0.95, 0.6), (0.35, 0.85)),
    "out": ((1.2, 0.15), (1.75, 0.0)),
    "forward": ((1.05, 0.65), (1.35, 1.0)),
    "back": ((0.9, 0.7), (0.75, 1.35)),
}


def arms_draw(pen: Pen, sleeve: RGB, hand: RGB, x: float, top: float, bottom: float, r: float, pose: str) -> None:
    for side in (-1, 1):
        shoulder = (x + side * r * 0.68, top + r * 0.22)
        end = arm_end(pose, side)
        if end == "up":
            elbow = (x + side * r * 1.2, top - r * 0.05)
            hand_at = (x + side * r * 1.45, top - r * 0.75)
        elif end in _ARMS:
            (elbow_x, elbow_y), (hand_x, hand_y) = _ARMS[end]
            elbow = (x + side * r * elbow_x, top + r * elbow_y)
            hand_at = (x + side * r * hand_x, top + r * hand_y)
        else:
            elbow = (x + side * r * 0.98, top + r * 0.7)
            hand_at = (x + side * r * 1.05, bottom - r * 0.05)
        pen.line([shoulder, elbow, hand_at], darker(sleeve, 0.3), r * 0.32)
        pen.line([shoulder, elbow, hand_at], sleeve, r * 0.24)
        pen.circle(*hand_at, r * 0.17, hand)


def face_draw(pen: Pen, look: Look, x: float, y: float, r: float, pose: str, big_eyes: bool = False) -> None:
    size = 1.3 if big_eyes else 1.0
    eyes_draw(pen, x, y + r * 0.05, r, look.eyes, spacing=0.38, size=size)
    for side in (-1, 1):
        pen.ellipse(x + side * r * 0.6, y + r * 0.38, r * 0.15, r * 0.09, (*BLUSH, 110), outline=False)
    pen.ellipse(x, y + r * 0.27, r * 0.08, r * 0.06, darker(look.skin, 0.18), outline=False)
    mouth_draw(pen, x, y + r * 0.5, r, open_mouth=pose == CHEER)
    if "freckles" in look.extras:
        for dx, dy in ((-0.45, 0.22), (-0.35, 0.3), (-0.52, 0.32), (0.45, 0.22), (0.35, 0.3), (0.52, 0.32)):
            pen.circle(x + dx * r, y + dy * r, r * 0.025, darker(look.skin, 0.35), outline=False)
    if "glasses" in look.extras:
        for side in (-1, 1):
            pen.arc(x + side * r * 0.38, y + r * 0.05, r * 0.27, r * 0.27, 0, 360, INK, r * 0.05)
        pen.line([(x - r * 0.12, y + r * 0.02), (x + r * 0.12, y + r * 0.02)], INK, r * 0.05)


def mouth_draw(pen: Pen, x: float, y: float, r: float, open_mouth: bool) -> None:
    if open_mouth:
        pen.chord(x, y - r * 0.08, r * 0.22, r * 0.2, 0, 180, (150, 50, 60))
        pen.ellipse(x, y + r * 0.05, r * 0.1, r * 0.05, (240, 130, 140), outline=False)
    else:
        pen.arc(x, y - r * 0.12, r * 0.24, r * 0.16, 25, 155, (150, 50, 60), r * 0.055)


def hair_back(pen: Pen, look: Look, x: float, y: float, r: float) -> None:
    hair, style = look.hair, look.hair_style
    if hair is None:
        return
    if style == "long":
        pen.rect(x - r * 1.12, y - r * 0.4, x + r * 1.12, y + r * 1.75, hair, radius=r * 0.55)
        pen.circle(x, y - r * 0.05, r * 1.12, hair)
    elif style == "afro":
        pen.circle(x, y - r * 0.2, r * 1.45, hair)
    elif style == "bun":
        pen.circle(x, y - r * 1.05, r * 0.42, hair)
    elif style == "ponytail":
        for dx, dy, size in ((1.0, -0.55, 0.38), (1.35, -0.2, 0.32), (1.45, 0.3, 0.26), (1.4, 0.7, 0.2)):
            pen.circle(x + dx * r, y + dy * r, size * r, hair)
    elif style in ("curly", "fluffy"):
        for index in range(11):
            angle = 3.14159 * (0.95 + index * 0.11)
            pen.circle(x + 1.0 * r * cos(angle), y + 1.0 * r * sin(angle), r * 0.36, hair)
    elif style == "braids":
        for side in (-1, 1):
            for index in range(5):
                pen.ellipse(
                    x + side * r * (1.05 + index * 0.04), y + r * (0.1 + index * 0.34), r * 0.22, r * 0.21, hair
                )
            pen.poly(_bow(x + side * r * 1.25, y + r * 1.85, r * 0.22), look.accent)


def hair_front(pen: Pen, look: Look, x: float, y: float, r: float) -> None:
    hair, style = look.hair, look.hair_style
    if hair is None:
        if style == "bald" or look.kind == "grown-up":
            pen.ellipse(x - r * 0.3, y - r * 0.62, r * 0.22, r * 0.1, lighter(look.skin, 0.35), outline=False)
        return
    if style == "spiky":
        points = []
        for index in range(9):
            angle = 3.14159 * (1.08 + index * 0.105)
            reach = 1.42 if index % 2 else 0.95
            points.append((x + reach * r * cos(angle), y - r * 0.05 + reach * r * sin(angle)))
        pen.poly([(x - r * 0.95, y - r * 0.2), *points, (x + r * 0.95, y - r * 0.2)], hair)
    pen.chord(x, y, r * 1.06, r * 1.06, 200, 340, hair)
    if style in ("curly", "fluffy", "afro"):
        for index in range(6):
            pen.circle(x + r * (-0.7 + index * 0.28), y - r * 0.5, r * 0.2, hair, outline=False)
    elif style != "spiky":
        for index in range(5):
            pen.circle(x + r * (-0.6 + index * 0.3), y - r * 0.48, r * 0.19, hair, outline=False)
    if style == "short":
        for side in (-1, 1):
            pen.rect(
                x + side * r * 0.98 - r * 0.12, y - r * 0.55, x + side * r * 0.98 + r * 0.12, y, hair, radius=r * 0.1
            )


def extras_draw(pen: Pen, look: Look, x: float, y: float, r: float) -> None:
    if "crown" in look.extras:
        top = y - r * 0.85
        pen.poly(
            [(x - r * 0.55, top), (x - r * 0.55, top - r * 0.5), (x - r * 0.27, top - r * 0.25), (x, top - r * 0.6),
             (x + r * 0.27, top - r * 0.25), (x + r * 0.55, top - r * 0.5), (x + r * 0.55, top)],
            (246, 200, 70),
        )  # fmt: skip
    elif "hat" in look.extras:
        pen.ellipse(x, y - r * 0.72, r * 1.2, r * 0.2, look.accent)
        pen.rect(x - r * 0.7, y - r * 1.45, x + r * 0.7, y - r * 0.72, look.accent, radius=r * 0.2)
        pen.rect(x - r * 0.7, y - r * 0.98, x + r * 0.7, y - r * 0.8, look.clothing, radius=r * 0.05)
    if "bow" in look.extras:
        pen.poly(_bow(x + r * 0.7, y - r * 0.75, r * 0.3), look.accent)


def wings_draw(pen: Pen, x: float, y: float, r: float, tint: RGB) -> None:
    colour = (*lighter(mix(tint, (190, 230, 255), 0.5), 0.45), 200)
    for side in (-1, 1):
        pen.ellipse(x + side * r * 1.15, y - r * 0.55, r * 0.85, r * 0.6, colour)
        pen.ellipse(x + side * r * 0.95, y + r * 0.45, r * 0.55, r * 0.42, colour)


def _bow(x: float, y: float, size: float) -> list[tuple[float, float]]:
    return [
        (x, y),
        (x - size, y - size * 0.6),
        (x - size, y + size * 0.6),
        (x, y),
        (x + size, y - size * 0.6),
        (x + size, y + size * 0.6),
    ]
