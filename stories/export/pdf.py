"""A print-ready PDF of a story, laid out by WeasyPrint: a cover, the dedication page
when there is one, one page per story page and an end page, at 8 x 8 in, A4, US Letter
or A5, with an optional bleed and crop marks for a print shop (booklet.py imposes the
same pages two to a sheet for printing at home).

The layout is HTML and CSS (templates/stories/export/book.html and print.css);
the text is set in Andika, shipped in static/fonts and embedded in the PDF, and
pictures are placed from their stored files at full size, read through the storage
(a folder or object storage alike). Rendering never goes to the network: the URL
fetcher serves only the shipped fonts, `media:` addresses of stored files, and data: URLs.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from stories.export.book import Book, BookImage, BookPage
from storyforge.core.errors import InternalError, InvalidInput

logger = logging.getLogger(__name__)

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
MARGIN_PT = 36  # half an inch all round, inside the trim
MIN_TYPE_PT = 9
TITLE_PT = 40  # the cover's title at most; long titles are set smaller


@dataclass(frozen=True)
class TrimSize:
    key: str
    label: str
    css: str  # the @page size
    width_pt: float
    height_pt: float


TRIM_SIZES = {
    "square": TrimSize("square", "8 x 8 in", "8in 8in", 576, 576),
    "a4": TrimSize("a4", "A4", "210mm 297mm", 210 * 72 / 25.4, 297 * 72 / 25.4),
    "letter": TrimSize("letter", "US Letter", "8.5in 11in", 612, 792),
    "a5": TrimSize("a5", "A5", "148mm 210mm", 148 * 72 / 25.4, 210 * 72 / 25.4),
}
BLEED = "0.125in"  # 9 pt beyond the trim on every side

# How much of a page's text area words may take: a story page's words when it has
# a picture (the picture shrinks to make room) or none, and the cover's title.
# With the average advance of an Andika character and the line height, in ems,
# they are the basis of the estimate that keeps every section on one sheet: a
# section taller than its page would continue on a page of its own.
_TEXT_SHARE_WITH_PICTURE = 0.5
_TEXT_SHARE_ALONE = 0.9
_TITLE_SHARE = 0.25
_CHARACTER_EM = 0.55
_LINE_EM = 1.35


MEDIA_SCHEME = "media"


def book_fetcher(roots=None):
    """WeasyPrint's URL fetcher for books: files inside `roots` (by default the
    shipped fonts), stored pictures by their `media:<name>` address (read through
    the storage API, so object storage works as a folder does) and data: URLs,
    nothing else. Anything else (http:, ftp:, a file elsewhere, a file: URL naming
    another host, which urllib would fetch by FTP) is refused, so that making a book
    can never reach the network. The fetcher lists what it served in `fetched` and
    what it refused in `refused`."""
    if roots is None:
        roots = [FONTS_DIR]
    return _fetcher_class()(roots)


@functools.cache
def _fetcher_class():
    URLFetcher, URLFetcherResponse = _weasyprint("urls.URLFetcher", "urls.URLFetcherResponse")

    class BookURLFetcher(URLFetcher):
        def __init__(self, roots):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self.roots = tuple(Path(root).resolve() for root in roots)
            self.fetched: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                self.fetched.append(url[:40])
                return super().fetch(url, headers)
            if scheme == MEDIA_SCHEME:
                name = unquote(parts.path)
                try:
                    with default_storage.open(name, "rb") as file:
                        data = file.read()
                except (OSError, ValueError, SuspiciousFileOperation):
                    data = None
                if data is not None:
                    self.fetched.append(url)
                    return URLFetcherResponse(url, io.BytesIO(data), {"Content-Type": image_media_type(data)})
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    self.fetched.append(url)
                    return URLFetcherResponse(url, path.open("rb"), {"Content-Type": content_type})
            self.refused.append(url)
            logger.warning("book export: refused to fetch %s", url[:200])
            raise ValueError(f"Books are made from local files only, not {url[:200]!r}.")

    return BookURLFetcher


def _weasyprint(*names: str):
    """Objects from WeasyPrint, imported on first use: it loads Pango from the
    system, and a server without it should still serve everything else."""
    import importlib

    # One INFO line per step and page laid out is noise in a server's log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        found = []
        for name in names:
            module, _, attribute = f"weasyprint.{name}".rpartition(".")
            found.append(getattr(importlib.import_module(module), attribute))
    except (ImportError, OSError) as error:
        logger.error("book export: WeasyPrint cannot load: %s", error)
        raise InternalError(
            "PDF export is not available on this server: WeasyPrint needs Pango "
            "(Debian packages libpango-1.0-0 and libpangoft2-1.0-0)."
        ) from error
    return found


def trim_size_get(size) -> TrimSize:
    trim = TRIM_SIZES.get(str(size).lower())
    if trim is None:
        raise InvalidInput.for_field("size", f"Choose a size: {', '.join(TRIM_SIZES)}.")
    return trim


def book_pdf(book: Book, *, trim: TrimSize, bleed: bool = False, fetcher=None) -> bytes:
    """Lay out `book` and write the PDF."""
    CSS, HTML, FontConfiguration = _weasyprint("CSS", "HTML", "text.fonts.FontConfiguration")
    fetcher = fetcher or book_fetcher()
    # A hair under the page area: a section even a fraction of a point taller
    # than the page would spill a sliver onto a page of its own.
    content_width = math.floor(trim.width_pt - 2 * MARGIN_PT) - 1
    content_height = math.floor(trim.height_pt - 2 * MARGIN_PT) - 1
    html = render_to_string(
        "stories/export/book.html",
        {
            "book": book,
            "cover_url": image_url(book.cover),
            "characters": [(character, image_url(character.portrait)) for character in book.characters],
            "pages": [
                (page, image_url(page.picture), page_type_size(book, page, content_width, content_height))
                for page in book.pages
            ],
        },
    )
    css = render_to_string(
        "stories/export/print.css",
        {
            "trim": trim,
            "bleed": BLEED if bleed else "",
            "margin": MARGIN_PT,
            "content_height": content_height,
            "type_size": book.type_size,
            "title_size": text_size_fitting(
                len(book.title), content_width * content_height * _TITLE_SHARE, largest=TITLE_PT
            ),
        },
    )
    fonts = FontConfiguration()
    base_url = FONTS_DIR.as_uri() + "/"
    stylesheet = CSS(string=css, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def page_type_size(book: Book, page: BookPage, content_width: float, content_height: float) -> float:
    """The age group's type size, or smaller when a page has so many words that
    they would not fit beside its picture at that size: a story page is always
    one sheet of paper."""
    share = _TEXT_SHARE_WITH_PICTURE if page.picture else _TEXT_SHARE_ALONE
    return text_size_fitting(page.length, content_width * content_height * share, largest=book.type_size)


def text_size_fitting(characters: int, area: float, *, largest: float) -> float:
    """The type size in points, at most `largest`, at which `characters` of text
    take about `area` square points."""
    if not characters:
        return largest
    fitting = math.sqrt(area / (characters * _CHARACTER_EM * _LINE_EM))
    return round(max(MIN_TYPE_PT, min(largest, fitting)), 1)


def image_url(image: BookImage | None) -> str:
    """Where WeasyPrint finds a picture: its `media:` address, which the book's URL
    fetcher reads through the storage."""
    if image is None:
        return ""
    return f"{MEDIA_SCHEME}:{quote(image.name)}"


def image_media_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"
