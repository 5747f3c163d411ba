"""What people and creatures are both drawn with: their eyes, the scarf any of them
may wear, and the ink and white those are drawn in.

The people (people.py) and the creatures (creatures.py) take these from here, so
that neither imports the other. Measures are shares of the head's radius `r`.
"""

from __future__ import annotations

from storyforge.generation.providers.offline.canvas import RGB, Pen

WHITE: RGB = (255, 255, 255)
INK: RGB = (40, 30, 40)


def eyes_draw(pen: Pen, x: float, y: float, r: float, iris: RGB, spacing: float = 0.38, size: float = 1.0) -> None:
    for side in (-1, 1):
        ex = x + side * r * spacing
        pen.ellipse(ex, y, r * 0.18 * size, r * 0.21 * size, WHITE)
        pen.circle(ex, y + r * 0.03 * size, r * 0.13 * size, iris, outline=False)
        pen.circle(ex, y + r * 0.03 * size, r * 0.06 * size, INK, outline=False)
        pen.circle(ex + r * 0.05 * size, y - r * 0.03 * size, r * 0.035 * size, WHITE, outline=False)


def scarf_draw(pen: Pen, x: float, neck: float, r: float, colour: RGB) -> None:
    pen.rect(x - r * 0.65, neck - r * 0.12, x + r * 0.65, neck + r * 0.2, colour, radius=r * 0.12)
    pen.rect(x + r * 0.2, neck, x + r * 0.48, neck + r * 0.85, colour, radius=r * 0.08)
