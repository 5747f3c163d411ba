"""The read-along EPUB laid out as fixed pages (EPUB 3 fixed layout, `pre-paginated`),
one page at a time: Apple Books plays Media Overlays ("Read Aloud") only in fixed-layout
books, and a picture book is one anyway.

The plain EPUB's documents keep their markup, so the words, the pictures and their
descriptions are the plain edition's; each gets a `viewport` of VIEWPORT_WIDTH x
VIEWPORT_HEIGHT CSS pixels and a second stylesheet (css/fixed-layout.css, from
templates/stories/export/epub/fixed-layout.css) that makes its body exactly that
page. The page is square, as the 8 x 8 in printed book, and is that printed page
scaled up: the same margin and the same type sizes (`pdf.page_type_size`), so a page
with many words gets smaller type and the picture gives up room, as in print, and
nothing runs off the page.

The package document declares the layout (`rendition:layout` pre-paginated,
`rendition:spread` none: each page has its picture and its words and is shown alone)
and, as Apple's Books Asset Guide asks of a book with embedded fonts,
`ibooks:specified-fonts` (the `ibooks` prefix declared on `<package>`).
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from stories.export.book import Book
from stories.export.pdf import MARGIN_PT, TITLE_PT, TRIM_SIZES, page_type_size, text_size_fitting

VIEWPORT_WIDTH = VIEWPORT_HEIGHT = 1200  # CSS pixels
STYLESHEET = "css/fixed-layout.css"
IBOOKS_VOCABULARY = "http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/"
METADATA = [
    '<meta property="rendition:layout">pre-paginated</meta>',
    '<meta property="rendition:spread">none</meta>',
    '<meta property="ibooks:specified-fonts">true</meta>',
]
MANIFEST = [f'<item id="css-fixed-layout" href="{STYLESHEET}" media-type="text/css"/>']

_TRIM = TRIM_SIZES["square"]
_PX_PER_PT = VIEWPORT_WIDTH / _TRIM.width_pt
_CONTENT_PT = _TRIM.width_pt - 2 * MARGIN_PT
# The share of the page the cover's title and the end page's moral may take.
_TITLE_SHARE = 0.2
_MORAL_SHARE = 0.5
_MORAL_PT = 20
_STYLESHEET_LINK = '<link rel="stylesheet" type="text/css" href="css/book.css"/>'
_PACKAGE = re.compile(r"<package ")


def fixed_layout_documents(files: dict[str, bytes], book: Book) -> bytes:
    """Lays out every XHTML document of the EPUB in `files` (archive name to bytes, as
    the plain EPUB has them) on a fixed page; answers the stylesheet that does it, to be
    added at `OEBPS/{STYLESHEET}` and listed as MANIFEST lists it."""
    viewport = f'<meta name="viewport" content="width={VIEWPORT_WIDTH}, height={VIEWPORT_HEIGHT}"/>'
    fixed = f'{_STYLESHEET_LINK}\n  {viewport}\n  <link rel="stylesheet" type="text/css" href="{STYLESHEET}"/>'
    for name in [name for name in files if name.endswith(".xhtml")]:
        document = files[name].decode()
        if _STYLESHEET_LINK not in document:
            raise RuntimeError(f"{name} does not link css/book.css")
        files[name] = document.replace(_STYLESHEET_LINK, fixed, 1).encode()
    return _stylesheet(book)


def fixed_layout_package(opf: str) -> str:
    """The package document with the `ibooks` prefix declared (`rendition` is reserved:
    it needs no declaration)."""
    opf, found = _PACKAGE.subn(f'<package prefix="ibooks: {IBOOKS_VOCABULARY}" ', opf, count=1)
    if not found:
        raise RuntimeError("the package document has no <package> element")
    return opf


def _px(points: float) -> str:
    return f"{points * _PX_PER_PT:.1f}"


def _stylesheet(book: Book) -> bytes:
    area = _CONTENT_PT * _CONTENT_PT
    context = {
        "width": VIEWPORT_WIDTH,
        "height": VIEWPORT_HEIGHT,
        "margin": _px(MARGIN_PT),
        "type_size": _px(book.type_size),
        "title_size": _px(text_size_fitting(len(book.title), area * _TITLE_SHARE, largest=TITLE_PT)),
        "moral_size": _px(text_size_fitting(len(book.moral), area * _MORAL_SHARE, largest=_MORAL_PT)),
        "pages": [(page.number, _px(page_type_size(book, page, _CONTENT_PT, _CONTENT_PT))) for page in book.pages],
        # The printed book's fixed sizes (print.css), scaled as the page is.
        "folio_size": _px(9),
        "starring_size": _px(11),
        "cast_size": _px(14),
        "portrait_size": _px(0.8 * 72),
        "the_end_size": _px(40),
    }
    return render_to_string("stories/export/epub/fixed-layout.css", context).encode("utf-8")
