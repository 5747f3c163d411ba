"""The offline artist's canvas: a `Pen` that draws shapes in a house style, the
colours and outlines each art style gives them, and the star that the sky, the
scenery and the characters all share.

Pictures are drawn at twice their size and halved at the end, which smooths every
edge for the price of one `reduce`. A `Pen` takes coordinates in final pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import cos, sin

from PIL import Image, ImageDraw

RGB = tuple[int, int, int]
SUPERSAMPLE = 2


@dataclass(frozen=True)
class ArtStyle:
    outline: RGB | None  # a fixed outline colour; None: a darker shade of each fill
    weight: float  # outline width, in final pixels per 100 pixels of figure
    saturation: float  # 1.0 keeps colours; lower is softer
    wash: float  # how much of the paper colour shows through the background
    paper: RGB
    strokes: str  # "", "crayon", "hatch", "wash": the texture laid over the background
    shadow: bool  # paper cut-outs cast a shadow


STYLES = {
    "watercolour": ArtStyle(None, 0.5, 0.85, 0.25, (252, 248, 238), "wash", False),
    "crayon": ArtStyle(None, 1.3, 1.0, 0.1, (250, 246, 236), "crayon", False),
    "storybook": ArtStyle((92, 62, 40), 0.9, 0.95, 0.08, (255, 246, 228), "", False),
    "paper-cut": ArtStyle(None, 0.0, 1.0, 0.0, (245, 240, 230), "", True),
    "pencil": ArtStyle((72, 72, 84), 0.6, 0.8, 0.2, (250, 250, 246), "hatch", False),
    "cartoon": ArtStyle((34, 30, 44), 1.6, 1.1, 0.0, (255, 255, 255), "", False),
}


def style_for(key: str) -> ArtStyle:
    return STYLES.get(key, STYLES["storybook"])


def mix(a: RGB, b: RGB, share: float) -> RGB:
    """`share` of the way from colour a to colour b."""
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def darker(colour: RGB, amount: float = 0.3) -> RGB:
    return mix(colour, (20, 16, 28), amount)


def lighter(colour: RGB, amount: float = 0.3) -> RGB:
    return mix(colour, (255, 255, 255), amount)


def saturate(colour: RGB, factor: float) -> RGB:
    grey = sum(colour) / 3
    return tuple(max(0, min(255, round(grey + (c - grey) * factor))) for c in colour)  # type: ignore[return-value]


def hex_rgb(value: str | None) -> RGB | None:
    """ "#rrggbb" as a colour; None for anything else, and for a fully transparent "#rrggbb00"."""
    if not value or not value.startswith("#") or len(value) not in (7, 9):
        return None
    try:
        channels = tuple(int(value[index : index + 2], 16) for index in range(1, len(value), 2))
    except ValueError:
        return None
    if len(channels) == 4 and channels[3] == 0:
        return None
    return channels[:3]  # type: ignore[return-value]


class Pen:
    """ImageDraw in final-pixel coordinates, outlining shapes the art style's way."""

    def __init__(self, image: Image.Image, style: ArtStyle):
        self.image = image
        self.draw = ImageDraw.Draw(image, "RGBA")
        self.style = style
        self.weight = 1.0  # outline width in final pixels, set per figure
        self.flat: RGB | None = None  # when set, everything is drawn in this colour (a cut-out's shadow)

    def _paint(self, fill: RGB | tuple[int, int, int, int]) -> tuple:
        if self.flat is not None:
            return (*self.flat, 90)
        return fill

    def _edge(self, fill) -> tuple[tuple | None, int]:
        width = round(self.weight * SUPERSAMPLE)
        if self.flat is not None or width <= 0:
            return None, 0
        if self.style.outline is not None:
            return self.style.outline, width
        return darker(fill[:3], 0.35), width

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, fill, outline: bool = True) -> None:
        s = SUPERSAMPLE
        edge, width = self._edge(fill) if outline else (None, 0)
        box = (s * (cx - rx), s * (cy - ry), s * (cx + rx), s * (cy + ry))
        self.draw.ellipse(box, fill=self._paint(fill), outline=edge, width=width)

    def circle(self, cx: float, cy: float, r: float, fill, outline: bool = True) -> None:
        self.ellipse(cx, cy, r, r, fill, outline)

    def poly(self, points, fill, outline: bool = True) -> None:
        s = SUPERSAMPLE
        edge, width = self._edge(fill) if outline else (None, 0)
        scaled = [(s * x, s * y) for x, y in points]
        self.draw.polygon(scaled, fill=self._paint(fill), outline=edge, width=width)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill, radius: float = 0, outline: bool = True) -> None:
        s = SUPERSAMPLE
        edge, width = self._edge(fill) if outline else (None, 0)
        box = (s * min(x0, x1), s * min(y0, y1), s * max(x0, x1), s * max(y0, y1))
        self.draw.rounded_rectangle(box, radius=s * radius, fill=self._paint(fill), outline=edge, width=width)

    def line(self, points, fill, width: float, rounded: bool = True) -> None:
        s = SUPERSAMPLE
        scaled = [(s * x, s * y) for x, y in points]
        self.draw.line(scaled, fill=self._paint(fill), width=max(1, round(s * width)), joint="curve")
        if rounded:
            for x, y in (points[0], points[-1]):
                self.draw.ellipse(
                    (s * x - s * width / 2, s * y - s * width / 2, s * x + s * width / 2, s * y + s * width / 2),
                    fill=self._paint(fill),
                )

    def arc(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float, fill, width: float) -> None:
        s = SUPERSAMPLE
        box = (s * (cx - rx), s * (cy - ry), s * (cx + rx), s * (cy + ry))
        self.draw.arc(box, start, end, fill=self._paint(fill), width=max(1, round(s * width)))

    def pieslice(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float, fill) -> None:
        s = SUPERSAMPLE
        edge, width = self._edge(fill)
        box = (s * (cx - rx), s * (cy - ry), s * (cx + rx), s * (cy + ry))
        self.draw.pieslice(box, start, end, fill=self._paint(fill), outline=edge, width=width)

    def chord(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float, fill) -> None:
        s = SUPERSAMPLE
        edge, width = self._edge(fill)
        box = (s * (cx - rx), s * (cy - ry), s * (cx + rx), s * (cy + ry))
        self.draw.chord(box, start, end, fill=self._paint(fill), outline=edge, width=width)


def star_draw(pen: Pen, x: float, y: float, size: float, colour: RGB) -> None:
    # 3.14159 rather than math.pi: the stars of every picture already drawn for a
    # seed are placed with it, and the same seed must keep drawing the same picture.
    points = []
    for index in range(10):
        angle = 3.14159 * (-0.5 + index * 0.2)
        reach = size if index % 2 == 0 else size * 0.45
        points.append((x + reach * cos(angle), y + reach * sin(angle)))
    pen.poly(points, colour)
