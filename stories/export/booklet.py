"""A book's PDF imposed as a booklet for printing at home: two pages side by side on
each landscape sheet, in the order that folds into a saddle-stitched book.

The book's pages (cover, dedication, story pages, end page) are padded with blank
pages to a multiple of four, n in all. Numbering them 1 to n, sheet k (from 0) has
n - 2k on its left and 2k + 1 on its right on the front, and 2k + 2 on its left and
n - 2k - 1 on its right on the back. So an 8-page book prints on two sheets:
[8, 1] / [2, 7] and [6, 3] / [4, 5]. Printed double-sided, flipped on the short edge,
the stack folded in half and stapled in the middle, it reads 1 to n.

The sheet is paper a home printer takes: A4 for the A5 and A4 books, US Letter for
the Letter and 8 x 8 in books. Each page is scaled to fit its half of the sheet and
centred there: an A5 book fits A4 exactly; an A4 book is printed at A5, a Letter
book at 5.5 x 7.1 in and a square one at 5.5 x 5.5 in. A booklet has no bleed and no
crop marks: a home printer cannot print to the edge of the paper anyway.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

BOOKLET_INSTRUCTION = "Print double-sided, flip on the short edge, fold in half, staple in the middle."


@dataclass(frozen=True)
class Sheet:
    label: str
    width_pt: float  # landscape: the long side
    height_pt: float


A4_SHEET = Sheet("A4", 297 * 72 / 25.4, 210 * 72 / 25.4)
LETTER_SHEET = Sheet("US Letter", 792, 612)
# The paper each book size is printed on as a booklet.
BOOKLET_SHEETS = {"a5": A4_SHEET, "a4": A4_SHEET, "letter": LETTER_SHEET, "square": LETTER_SHEET}


def booklet_order(count: int) -> list[tuple[int | None, int | None]]:
    """The sides of the sheets in printing order (front of sheet 1, its back, front of
    sheet 2, ...), each as (left, right): 0-based indexes into the `count` pages, None
    for a blank page added to make a multiple of four."""
    total = -(-max(count, 1) // 4) * 4
    sides = []
    for sheet in range(total // 4):
        sides.append((total - 1 - 2 * sheet, 2 * sheet))
        sides.append((2 * sheet + 1, total - 2 - 2 * sheet))
    return [tuple(index if index < count else None for index in side) for side in sides]


def booklet_impose(pdf: bytes, *, size: str) -> bytes:
    """The pages of `pdf` (a book laid out at `size`, without bleed) imposed two to a
    sheet of the paper BOOKLET_SHEETS names for `size`."""
    from pypdf import PdfReader, PdfWriter, Transformation

    sheet = BOOKLET_SHEETS[size]
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    half = sheet.width_pt / 2
    for side in booklet_order(len(reader.pages)):
        target = writer.add_blank_page(width=sheet.width_pt, height=sheet.height_pt)
        for index, left_edge in zip(side, (0, half), strict=True):
            if index is None:
                continue
            page = reader.pages[index]
            box = page.mediabox
            width, height = float(box.width), float(box.height)
            scale = min(half / width, sheet.height_pt / height)
            x = left_edge + (half - width * scale) / 2 - float(box.left) * scale
            y = (sheet.height_pt - height * scale) / 2 - float(box.bottom) * scale
            target.merge_transformed_page(page, Transformation().scale(scale).translate(x, y))
    if reader.metadata:
        writer.add_metadata({key: str(value) for key, value in reader.metadata.items()})
    writer.add_metadata({"/Subject": BOOKLET_INSTRUCTION})
    writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
