"""The poses of the offline artist's figures, in words both people.py and
creatures.py understand, so neither needs the other.

A pose says where each hand goes and what the legs do; every drawer turns those
words into its own shapes. The portraits use only the first three poses, in the
order they always had, so a portrait's seed keeps drawing the same portrait.
"""

from __future__ import annotations

STAND = "stand"
WAVE = "wave"
CHEER = "cheer"
WALK = "walk"
SIT = "sit"
FLY = "fly"
CLIMB = "climb"
HOLD = "hold"
SWIM = "swim"

PORTRAIT_POSES = (STAND, WAVE, CHEER)
POSES = (STAND, WAVE, CHEER, WALK, SIT, FLY, CLIMB, HOLD, SWIM)

# How far above the ground the feet are, as a share of the figure's height.
LIFT = {FLY: 0.32, SWIM: 0.22, CLIMB: 0.16}


def arm_end(pose: str, side: int) -> str:
    """Where the hand on `side` (-1 left, 1 right) goes: down, up, front, out,
    forward or back (walking arms swing)."""
    if pose in (CHEER, CLIMB):
        return "up"
    if pose == WAVE:
        return "up" if side == 1 else "down"
    if pose in (HOLD, SIT):  # sitting, hands rest in the lap or hold something there
        return "front"
    if pose in (FLY, SWIM):
        return "out"
    if pose == WALK:
        return "forward" if side == 1 else "back"
    return "down"


def leg_step(pose: str, side: int) -> float:
    """How far the foot on `side` moves sideways from under its hip, in head radii:
    a stride when walking, one knee up when climbing, a kick when swimming."""
    if pose == WALK:
        return 0.45 * side
    if pose == SWIM:
        return 0.3 * side
    if pose == CLIMB and side == 1:
        return 0.35
    return 0.0


def knee_up(pose: str, side: int) -> float:
    """How far the foot on `side` is raised, as a share of the leg's length."""
    if pose == CLIMB and side == 1:
        return 0.4
    if pose == SWIM and side == -1:
        return 0.15
    return 0.0
