"""A ready story as a file to download. `book_export` is the one operation behind
every way of asking for one: the reader's download links, the API and the
export_story command (through `story_export_pdf` and `story_export_epub`)."""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.utils.text import slugify

from stories.export.audiobook import book_mp3
from stories.export.book import book_build, story_ready_get
from stories.export.booklet import booklet_impose
from stories.export.epub import book_epub
from stories.export.narration import narration_build
from stories.export.pdf import book_pdf, trim_size_get
from stories.export.read_along import book_epub_narrated
from storyforge.core.downloads import FileDownload
from storyforge.core.errors import InvalidInput, RateLimited
from storyforge.core.ratelimit import counter_hit, rate_get

logger = logging.getLogger(__name__)

BOOK_FORMATS = {"pdf": "application/pdf", "epub": "application/epub+zip", "mp3": "audio/mpeg"}
# What each format is, for people: in error messages and wherever the formats are offered.
BOOK_FORMAT_LABELS = {"pdf": "PDF to print", "epub": "EPUB ebook", "mp3": "MP3 audiobook"}
# A made file is kept this long in the shared cache, under a key that changes with
# anything in the book (text, pictures, title, author, narration) and with the options.
EXPORT_KEEP_SECONDS = 7 * 24 * 3600
EXPORT_CACHE_KEY = "storyforge:export:{}"  # the fingerprint's digest
EXPORT_LAYOUT_VERSION = 2  # raise when the way books are laid out changes
# How a PDF's pages are put on paper: one page a sheet as the book is, or a booklet to
# print at home, two pages a sheet in folding order (booklet.py).
PDF_LAYOUTS = {"book": "One page a sheet", "booklet": "Booklet to fold (two pages a sheet)"}


def book_formats_listed() -> str:
    """The formats as a sentence names them: "pdf (PDF to print), epub (EPUB ebook) ..."."""
    return ", ".join(f"{name} ({BOOK_FORMAT_LABELS[name]})" for name in BOOK_FORMATS)


def book_export(
    *,
    user,
    story_id,
    format: str,
    size: str = "square",
    bleed: bool = False,
    narrated: bool = False,
    layout: str = "book",
    keeper=None,
) -> FileDownload:
    """The user's ready story as a PDF, an EPUB or an MP3 audiobook. `size`, `bleed` and
    `layout` shape a PDF (see `story_export_pdf`) and are not looked at otherwise; `narrated`
    makes the EPUB a read-along book (EPUB Media Overlays) and is not looked at for a PDF;
    an MP3 is always the narration. NotFound for another user's story, Conflict for a
    story that is not ready, and, for a read-along EPUB or an MP3, for a story with a
    page that is not narrated; InvalidInput for an unknown format, size or layout.
    `keeper(user, digest, make)`: where the file comes from (default: kept, or made here
    within the user's export limit); stories/export/background.py makes long books elsewhere."""
    if format not in BOOK_FORMATS:
        raise InvalidInput.for_field("format", f"Choose a format: {book_formats_listed()}.")
    trim = trim_size_get(size) if format == "pdf" else None  # before any query: a typo costs nothing
    if layout not in PDF_LAYOUTS:
        raise InvalidInput.for_field("layout", f"Choose a layout: {', '.join(PDF_LAYOUTS)}.")
    booklet = format == "pdf" and layout == "booklet"
    bleed = bool(bleed) and not booklet  # a home printer prints no bleed (booklet.py)
    story = story_ready_get(user=user, story_id=story_id)
    spoken = format == "mp3" or (format == "epub" and bool(narrated))
    book = book_build(story)
    name = slugify(story.title) or f"story-{story.pk}"
    if spoken and format == "epub":
        name = f"{name}-read-along"
    series = story.series.title if story.series_id else ""
    # The clips the narration is made of, by their stored names: no audio is read to
    # tell whether the file was made before.
    clips = [(page.number, page.version, [c.audio.name for c in page.narration_clips]) for page in story.pages.all()]

    def make() -> bytes:
        if booklet:
            return booklet_impose(book_pdf(book, trim=trim), size=trim.key)
        if format == "pdf":
            return book_pdf(book, trim=trim, bleed=bleed)
        if not spoken:
            return book_epub(book)
        narration = narration_build(story)  # Conflict when a page is not narrated
        return book_mp3(book, narration, series=series) if format == "mp3" else book_epub_narrated(book, narration)

    fingerprint = repr((EXPORT_LAYOUT_VERSION, format, trim, bleed, booklet, series, book, spoken and clips))
    data = (keeper or _kept)(user, hashlib.sha256(fingerprint.encode()).hexdigest(), make)
    if booklet:
        name = f"{name}-booklet"
    return FileDownload(data=data, content_type=BOOK_FORMATS[format], filename=f"{name}.{format}")


def _kept(user, digest: str, make) -> bytes:
    """The file made before for the same book and options, else a new one: made only
    within the user's export limit (RATE_LIMITS["export_user"], STORYFORGE_RATE_EXPORT),
    since a long book costs the web process a second or more, then kept."""
    key = EXPORT_CACHE_KEY.format(digest)
    try:
        data = cache.get(key)
    except Exception:  # the cache is away: make the book all the same
        logger.warning("book export: the cache did not answer; making the file anew", exc_info=True)
        data = None
    if data is not None:
        return data
    export_limit_check(user)
    data = make()
    try:
        cache.set(key, data, timeout=EXPORT_KEEP_SECONDS)
    except Exception:
        logger.warning("book export: the cache did not keep the file", exc_info=True)
    return data


def export_limit_check(user) -> None:
    """A new book file counts against the user's export limit when it is asked for;
    RateLimited (with `retry_after`) past it."""
    rate = rate_get("export_user")
    if rate is None:
        return
    state = counter_hit("export_user", str(user.pk), *rate)
    if state.exceeded:
        raise RateLimited(
            "You have made many book files in a short time. Files already made download at once; "
            f"a new one can be made in {state.reset} seconds.",
            details={"retry_after": state.reset},
        )


def story_export_pdf(*, user, story_id, size: str = "square", bleed: bool = False, layout: str = "book") -> bytes:
    """The user's ready story as a print-ready PDF.

    `size` is "square" (8 x 8 in), "a4", "letter" or "a5"; `bleed` adds 0.125 in beyond
    the trim on every side, with crop marks; `layout` "booklet" imposes the pages two
    to a sheet for folding (booklet.py; no bleed). NotFound for another user's story,
    Conflict for a story that is not ready, InvalidInput for an unknown size or layout.
    """
    return book_export(user=user, story_id=story_id, format="pdf", size=size, bleed=bleed, layout=layout).data


def story_export_epub(*, user, story_id, narrated: bool = False) -> bytes:
    """The user's ready story as an EPUB 3 file, read-along when `narrated`. NotFound for
    another user's story, Conflict for a story that is not ready (or, when `narrated`,
    not narrated)."""
    return book_export(user=user, story_id=story_id, format="epub", narrated=narrated).data
