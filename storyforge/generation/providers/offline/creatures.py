"""The offline artist's animals, toys, robots, dragons and friendly monsters.

Each draws one standing character with its feet at (x, feet), measured in shares of
its head's radius `r` like the people in people.py, with the eyes and scarf from
features.py that people are drawn with too.
"""

from __future__ import annotations

from storyforge.generation.providers.offline.canvas import RGB, Pen, darker, lighter, mix, star_draw
from storyforge.generation.providers.offline.features import INK, WHITE, eyes_draw, scarf_draw
from storyforge.generation.providers.offline.looks import Look
from storyforge.generation.providers.offline.poses import CHEER, FLY, SIT, STAND, arm_end, knee_up, leg_step

_INNER_EAR: RGB = (244, 170, 180)
_HORN: RGB = (246, 232, 196)
# Where a paw goes for each place a hand can go (poses.arm_end), in head radii from
# the middle of the body: x for the right paw (mirrored for the left), then y.
_PAWS = {"front": (0.3, -0.2), "out": (1.4, -0.6), "forward": (1.05, 0.05), "back": (0.8, 0.45)}


def _paw(pose: str, side: int, x: float, body_y: float, r: float, up, down) -> tuple[float, float]:
    """The end of the paw on `side`: `up` and `down` are the drawer's own (dx, dy)."""
    end = arm_end(pose, side)
    dx, dy = up if end == "up" else _PAWS.get(end, down)
    return x + side * r * dx, body_y + r * dy


def _leg(pen: Pen, hip: tuple[float, float], feet: float, r: float, pose: str, side: int, colour: RGB) -> float:
    """A walking, climbing or kicking leg from `hip`; returns the foot's x."""
    foot = (hip[0] + leg_step(pose, side) * r, feet - knee_up(pose, side) * (feet - hip[1]) - r * 0.05)
    pen.line([hip, foot], darker(colour, 0.25), r * 0.46)
    pen.line([hip, foot], colour, r * 0.38)
    return foot[0]


def animal_draw(pen: Pen, look: Look, x: float, feet: float, height: float, pose: str = STAND) -> tuple[float, float]:
    """An animal, or a toy (a stitched, button-eyed teddy of the same shape); returns
    where its paws meet, for whatever it holds."""
    r = height * 0.25
    head_y = feet - height + r
    body_y = head_y + r * 1.75
    if pose == SIT:
        head_y, body_y = head_y + r * 0.45, body_y + r * 0.45
    fur, pale = look.skin, lighter(look.skin, 0.5)
    toy = look.kind == "toy"
    _tail(pen, look.ears, x, body_y, r, fur)
    for side in (-1, 1):  # legs, then arms
        foot_x = x + side * r * 0.42
        if pose == SIT:
            foot_x += side * r * 0.25
        elif leg_step(pose, side) or knee_up(pose, side):
            foot_x = _leg(pen, (foot_x, body_y + r * 0.45), feet, r, pose, side, fur)
        else:
            pen.rect(foot_x - r * 0.2, body_y + r * 0.4, foot_x + r * 0.2, feet, fur, radius=r * 0.16)
        pen.ellipse(foot_x, feet - r * 0.05 - knee_up(pose, side) * r, r * 0.24, r * 0.12, darker(fur, 0.2))
    pen.ellipse(x, body_y, r * 0.85, r * 0.95, fur)
    pen.ellipse(x, body_y + r * 0.15, r * 0.55, r * 0.68, pale, outline=False)
    if toy:
        _stitches(pen, x, body_y - r * 0.45, body_y + r * 0.75, r)
        pen.rect(x - r * 0.7, body_y - r * 0.1, x - r * 0.35, body_y + r * 0.25, look.accent, radius=r * 0.05)
    for side in (-1, 1):
        shoulder = (x + side * r * 0.62, body_y - r * 0.45)
        paw = _paw(pose, side, x, body_y, r, (1.2, -1.1), (0.95, 0.25))
        pen.line([shoulder, paw], darker(fur, 0.25), r * 0.34)
        pen.line([shoulder, paw], fur, r * 0.26)
    scarf_draw(pen, x, body_y - r * 0.82, r * 0.9, look.clothing)
    _ears(pen, look.ears, x, head_y, r, fur, behind=True)
    pen.circle(x, head_y, r, fur)
    _ears(pen, look.ears, x, head_y, r, fur, behind=False)
    if look.hair is not None:
        for dx, dy in ((-0.18, -0.95), (0.05, -1.02), (0.25, -0.92)):
            pen.circle(x + dx * r, head_y + dy * r, r * 0.17, look.hair)
    pen.ellipse(x, head_y + r * 0.42, r * 0.42, r * 0.3, pale)
    if toy:
        for side in (-1, 1):  # button eyes
            pen.circle(x + side * r * 0.38, head_y - r * 0.05, r * 0.15, look.eyes)
            pen.circle(x + side * r * 0.38 - r * 0.04, head_y - r * 0.05, r * 0.025, INK, outline=False)
            pen.circle(x + side * r * 0.38 + r * 0.04, head_y - r * 0.05, r * 0.025, INK, outline=False)
    else:
        eyes_draw(pen, x, head_y - r * 0.05, r, look.eyes, spacing=0.38, size=0.9)
    pen.ellipse(x, head_y + r * 0.28, r * 0.13, r * 0.09, INK)
    for side in (-1, 1):
        pen.arc(x + side * r * 0.1, head_y + r * 0.42, r * 0.1, r * 0.08, 20, 160, INK, r * 0.04)
        pen.ellipse(x + side * r * 0.62, head_y + r * 0.3, r * 0.13, r * 0.08, (240, 120, 130, 110), outline=False)
        if look.ears == "pointy" and not toy:
            for dy in (-0.04, 0.06):
                start = (x + side * r * 0.45, head_y + r * (0.42 + dy))
                pen.line([start, (x + side * r * 0.95, head_y + r * (0.38 + dy * 2))], INK, r * 0.02, rounded=False)
    return x, body_y - r * 0.15


def _ears(pen: Pen, shape: str, x: float, y: float, r: float, fur: RGB, behind: bool) -> None:
    if shape == "floppy":
        if not behind:
            for side in (-1, 1):
                pen.ellipse(x + side * r * 0.92, y + r * 0.15, r * 0.28, r * 0.58, darker(fur, 0.25))
        return
    if not behind:
        return
    for side in (-1, 1):
        if shape == "pointy":
            pen.poly(
                [
                    (x + side * r * 0.25, y - r * 0.8),
                    (x + side * r * 0.9, y - r * 1.35),
                    (x + side * r * 0.95, y - r * 0.2),
                ],
                fur,
            )
            pen.poly(
                [
                    (x + side * r * 0.4, y - r * 0.72),
                    (x + side * r * 0.82, y - r * 1.1),
                    (x + side * r * 0.83, y - r * 0.4),
                ],
                _INNER_EAR,
                outline=False,
            )
        elif shape == "round":
            pen.circle(x + side * r * 0.72, y - r * 0.72, r * 0.33, fur)
            pen.circle(x + side * r * 0.72, y - r * 0.72, r * 0.18, _INNER_EAR, outline=False)
        elif shape == "long":
            pen.ellipse(x + side * r * 0.4, y - r * 1.35, r * 0.22, r * 0.62, fur)
            pen.ellipse(x + side * r * 0.4, y - r * 1.3, r * 0.11, r * 0.45, _INNER_EAR, outline=False)


def _tail(pen: Pen, shape: str, x: float, body_y: float, r: float, fur: RGB) -> None:
    """Behind the body, on the left: the right paw is the one that waves."""
    if shape == "pointy":
        curve = [(x - r * 0.5, body_y + r * 0.55), (x - r * 1.3, body_y + r * 0.45), (x - r * 1.55, body_y - r * 0.25)]
        pen.line(curve, darker(fur, 0.2), r * 0.4)
        pen.line(curve, fur, r * 0.32)
        pen.circle(x - r * 1.55, body_y - r * 0.3, r * 0.19, lighter(fur, 0.6))
    elif shape == "long":
        pen.circle(x - r * 0.85, body_y + r * 0.5, r * 0.25, lighter(fur, 0.7))
    elif shape in ("floppy", "round"):
        pen.line([(x - r * 0.6, body_y + r * 0.4), (x - r * 1.1, body_y + r * 0.05)], fur, r * 0.18)


def _stitches(pen: Pen, x: float, top: float, bottom: float, r: float) -> None:
    y = top
    while y < bottom:
        pen.line([(x, y), (x, y + r * 0.08)], darker(INK, 0.0), r * 0.03, rounded=False)
        pen.line([(x - r * 0.05, y + r * 0.04), (x + r * 0.05, y + r * 0.04)], INK, r * 0.025, rounded=False)
        y += r * 0.16


def robot_draw(pen: Pen, look: Look, x: float, feet: float, height: float, pose: str = STAND) -> tuple[float, float]:
    r = height / 5.2
    head_y = feet - height + r * 1.25
    metal, dark_metal = look.skin, darker(look.skin, 0.3)
    if pose == SIT:
        head_y += r * 1.1
    body_top, body_bottom = head_y + r * 0.95, head_y + r * 2.4
    for side in (-1, 1):
        if pose == SIT or leg_step(pose, side) or knee_up(pose, side):
            hip = (x + side * r * 0.45, body_bottom)
            foot_x = hip[0] + side * r * 0.5 if pose == SIT else _leg(pen, hip, feet, r * 0.55, pose, side, dark_metal)
            lift = knee_up(pose, side) * (feet - body_bottom)
            if pose == SIT:
                pen.line([hip, (foot_x, feet - r * 0.2)], dark_metal, r * 0.22)
            pen.rect(
                foot_x - r * 0.32, feet - lift - r * 0.25, foot_x + r * 0.32, feet - lift, look.accent, radius=r * 0.1
            )
            continue
        pen.rect(
            x + side * r * 0.45 - r * 0.2,
            body_bottom - r * 0.1,
            x + side * r * 0.45 + r * 0.2,
            feet - r * 0.15,
            dark_metal,
        )
        pen.rect(
            x + side * r * 0.45 - r * 0.32,
            feet - r * 0.25,
            x + side * r * 0.45 + r * 0.32,
            feet,
            look.accent,
            radius=r * 0.1,
        )
    for side in (-1, 1):
        end = arm_end(pose, side)
        raised = end == "up"
        shoulder = (x + side * r * 0.85, body_top + r * 0.3)
        elbow = (x + side * r * 1.35, body_top + (r * -0.1 if raised else r * 0.7))
        hand = (x + side * r * 1.45, body_top + (r * -0.8 if raised else r * 1.35))
        if end in _PAWS:
            hand = _paw(pose, side, x, body_top + r * 0.9, r * 1.1, (0, 0), (0, 0))
            elbow = ((shoulder[0] + hand[0]) / 2 + side * r * 0.35, (shoulder[1] + hand[1]) / 2 + r * 0.2)
        pen.line([shoulder, elbow, hand], dark_metal, r * 0.22)
        pen.circle(*elbow, r * 0.14, look.accent)
        pen.arc(hand[0], hand[1], r * 0.2, r * 0.2, 200 if raised else 20, 340 if raised else 160, INK, r * 0.08)
    pen.rect(x - r * 0.85, body_top, x + r * 0.85, body_bottom, metal, radius=r * 0.18)
    pen.rect(x - r * 0.55, body_top + r * 0.25, x + r * 0.55, body_bottom - r * 0.3, look.clothing, radius=r * 0.1)
    for index, colour in enumerate(((230, 70, 60), (250, 210, 60), (80, 190, 100))):
        pen.circle(x + r * (-0.3 + index * 0.3), body_top + r * 0.55, r * 0.1, colour)
    pen.line([(x, head_y - r * 0.8), (x, head_y - r * 1.2)], INK, r * 0.06)
    pen.circle(x, head_y - r * 1.22, r * 0.15, look.accent)
    for side in (-1, 1):
        pen.circle(x + side * r * 1.02, head_y, r * 0.16, look.accent)
    pen.rect(x - r, head_y - r * 0.8, x + r, head_y + r * 0.8, metal, radius=r * 0.28)
    pen.rect(x - r * 0.75, head_y - r * 0.4, x + r * 0.75, head_y + r * 0.2, (44, 54, 76), radius=r * 0.18)
    for side in (-1, 1):
        pen.circle(x + side * r * 0.36, head_y - r * 0.1, r * 0.17, look.eyes, outline=False)
        pen.circle(x + side * r * 0.36 + r * 0.05, head_y - r * 0.15, r * 0.05, WHITE, outline=False)
    pen.rect(x - r * 0.35, head_y + r * 0.38, x + r * 0.35, head_y + r * 0.58, dark_metal, radius=r * 0.05)
    for index in range(1, 4):
        grille = x - r * 0.35 + index * r * 0.175
        pen.line([(grille, head_y + r * 0.4), (grille, head_y + r * 0.56)], metal, r * 0.03, rounded=False)
    return x, body_top + r * 0.75


def dragon_draw(pen: Pen, look: Look, x: float, feet: float, height: float, pose: str = STAND) -> tuple[float, float]:
    r = height * 0.23
    head_y = feet - height + r * 1.3
    body_y = head_y + r * 1.85
    if pose == SIT:
        head_y, body_y = head_y + r * 0.4, body_y + r * 0.4
    scales, wing = look.skin, darker(look.skin, 0.22)
    belly = mix(lighter(scales, 0.45), (250, 224, 150), 0.5)
    top = body_y - r * 0.8
    span, rise = (1.5, 1.9) if pose == FLY else (1.0, 1.0)  # flying: wings spread wide and high
    for side in (-1, 1):
        pen.poly(
            [(x + side * r * 0.4, top), (x + side * r * 2.1 * span, top - r * 1.2 * rise),
             (x + side * r * 1.95 * span, top + r * 0.15), (x + side * r * 1.55 * span, top - r * 0.15),
             (x + side * r * 1.25 * span, top + r * 0.35), (x + side * r * 0.85 * span, top + r * 0.1),
             (x + side * r * 0.45, top + r * 0.7)],
            wing,
        )  # fmt: skip
    tail = [(x + r * 0.5, body_y + r * 0.55), (x + r * 1.4, body_y + r * 0.8), (x + r * 1.9, body_y + r * 0.2)]
    pen.line(tail, darker(scales, 0.25), r * 0.38)
    pen.line(tail, scales, r * 0.3)
    pen.poly(
        [(x + r * 1.75, body_y + r * 0.15), (x + r * 2.2, body_y - r * 0.2), (x + r * 2.05, body_y + r * 0.3)],
        look.accent,
    )
    for side in (-1, 1):
        foot_x = x + side * r * 0.42
        if pose == SIT:
            foot_x += side * r * 0.3
            pen.ellipse(foot_x, feet - r * 0.12, r * 0.3, r * 0.16, scales)
        elif leg_step(pose, side) or knee_up(pose, side):
            foot_x = _leg(pen, (foot_x, body_y + r * 0.45), feet, r * 0.8, pose, side, scales)
        else:
            pen.rect(foot_x - r * 0.22, body_y + r * 0.4, foot_x + r * 0.22, feet, scales, radius=r * 0.15)
        for claw in (-1, 0, 1):
            claw_y = feet - r * 0.02 - knee_up(pose, side) * r
            pen.circle(foot_x + claw * r * 0.1, claw_y, r * 0.05, _HORN, outline=False)
    pen.ellipse(x, body_y, r * 0.9, r * 1.0, scales)
    pen.ellipse(x, body_y + r * 0.12, r * 0.52, r * 0.75, belly, outline=False)
    for index in range(4):
        stripe = body_y - r * 0.35 + index * r * 0.3
        pen.line([(x - r * 0.38, stripe), (x + r * 0.38, stripe)], darker(belly, 0.15), r * 0.035)
    for side in (-1, 1):
        shoulder = (x + side * r * 0.65, body_y - r * 0.45)
        paw = _paw(pose, side, x, body_y, r, (1.2, -1.05), (0.95, 0.2))
        pen.line([shoulder, paw], scales, r * 0.24)
    scarf_draw(pen, x, body_y - r * 0.85, r * 0.9, look.clothing)
    for side in (-1, 1):
        pen.poly(
            [
                (x + side * r * 0.3, head_y - r * 0.8),
                (x + side * r * 0.62, head_y - r * 1.45),
                (x + side * r * 0.68, head_y - r * 0.62),
            ],
            _HORN,
        )
    for dx in (-0.25, 0.0, 0.25):
        pen.poly(
            [
                (x + (dx - 0.1) * r, head_y - r * 0.92),
                (x + dx * r, head_y - r * 1.2),
                (x + (dx + 0.1) * r, head_y - r * 0.92),
            ],
            look.accent,
        )
    pen.circle(x, head_y, r, scales)
    for dx, dy in ((-0.55, -0.45), (0.6, -0.35), (0.0, -0.65)):
        pen.circle(x + dx * r, head_y + dy * r, r * 0.08, darker(scales, 0.18), outline=False)
    pen.ellipse(x, head_y + r * 0.45, r * 0.58, r * 0.36, lighter(scales, 0.3))
    for side in (-1, 1):
        pen.ellipse(x + side * r * 0.18, head_y + r * 0.35, r * 0.06, r * 0.04, INK, outline=False)
    pen.arc(x, head_y + r * 0.45, r * 0.3, r * 0.18, 20, 160, INK, r * 0.045)
    eyes_draw(pen, x, head_y - r * 0.12, r, look.eyes, spacing=0.4, size=0.95)
    return x, body_y - r * 0.2


def monster_draw(pen: Pen, look: Look, x: float, feet: float, height: float, pose: str = STAND) -> tuple[float, float]:
    r = height / 5.0
    sink = r * 0.5 if pose == SIT else 0.0
    centre, top = feet - r * 2.35 + sink, feet - r * 4.6 + sink
    fur = look.skin
    for side in (-1, 1):
        foot_x = x + side * r * (0.6 + leg_step(pose, side) * 0.5 + (0.3 if pose == SIT else 0))
        lift = knee_up(pose, side) * r * 0.8
        pen.rect(foot_x - r * 0.28, feet - r * 0.8 - lift, foot_x + r * 0.28, feet - lift, fur, radius=r * 0.14)
        for claw in (-1, 0, 1):
            pen.circle(foot_x + claw * r * 0.14, feet - r * 0.04 - lift, r * 0.07, WHITE, outline=False)
    for side in (-1, 1):
        shoulder = (x + side * r * 1.35, centre - r * 0.2)
        paw = _paw(pose, side, x, centre, r, (2.05, -1.1), (1.95, 0.6))
        pen.line([shoulder, paw], darker(fur, 0.25), r * 0.42)
        pen.line([shoulder, paw], fur, r * 0.34)
    for side in (-1, 1):
        pen.poly(
            [
                (x + side * r * 0.45, top + r * 0.35),
                (x + side * r * 0.75, top - r * 0.35),
                (x + side * r * 0.95, top + r * 0.55),
            ],
            _HORN,
        )
    pen.ellipse(x, centre, r * 1.55, r * 2.25, fur)
    pen.ellipse(x, centre + r * 0.85, r * 0.95, r * 1.05, lighter(fur, 0.35), outline=False)
    if look.hair is not None:
        for dx in (-0.5, -0.2, 0.1, 0.4):
            pen.poly(
                [
                    (x + (dx - 0.15) * r, top + r * 0.3),
                    (x + dx * r, top - r * 0.15),
                    (x + (dx + 0.15) * r, top + r * 0.3),
                ],
                look.hair,
            )
    eyes_draw(pen, x, top + r * 1.25, r * 1.25, look.eyes, spacing=0.45, size=1.0)
    eyes_draw(pen, x, top + r * 0.65, r * 0.9, look.eyes, spacing=0.0, size=0.9)  # the third eye
    pen.chord(x, top + r * 2.05, r * 0.75, r * 0.5, 0, 180, (120, 40, 60))
    for side in (-1, 1):
        pen.poly(
            [
                (x + side * r * 0.15, top + r * 2.05),
                (x + side * r * 0.38, top + r * 2.05),
                (x + side * r * 0.27, top + r * 2.3),
            ],
            WHITE,
            outline=False,
        )
    pen.poly(
        [(x, centre + r * 1.1), (x - r * 0.45, centre + r * 0.85), (x - r * 0.45, centre + r * 1.35)], look.clothing
    )
    pen.poly(
        [(x, centre + r * 1.1), (x + r * 0.45, centre + r * 0.85), (x + r * 0.45, centre + r * 1.35)], look.clothing
    )
    pen.circle(x, centre + r * 1.1, r * 0.12, darker(look.clothing, 0.2))
    if pose == CHEER:
        star_draw(pen, x + r * 2.3, centre - r * 1.6, r * 0.3, (250, 214, 80))
    return x, centre + r * 0.3
