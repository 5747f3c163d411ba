"""A ready story as a file to download. `book_export` is the one operation behind
every way of asking for one: the reader's download links, the API and the
export_story command (through `story_export_pdf` and `story_export_epub`)."""

from __future__ import annotations

from django.utils.text import slugify

from stories.export.book import book_build, story_ready_get
from stories.export.epub import book_epub
from stories.export.pdf import book_pdf, trim_size_get
from storyforge.core.downloads import FileDownload
from storyforge.core.errors import InvalidInput

BOOK_FORMATS = {"pdf": "application/pdf", "epub": "application/epub+zip"}


def book_export(*, user, story_id, format: str, size: str = "square", bleed: bool = False) -> FileDownload:
    """The user's ready story as a PDF or an EPUB file. `size` and `bleed` shape a
    PDF (see `story_export_pdf`) and are not looked at for an EPUB. NotFound for
    another user's story, Conflict for a story that is not ready, InvalidInput for
    an unknown format or size."""
    if format not in BOOK_FORMATS:
        raise InvalidInput.for_field("format", f"Choose a format: {', '.join(BOOK_FORMATS)}.")
    trim = trim_size_get(size) if format == "pdf" else None  # before any query: a typo costs nothing
    story = story_ready_get(user=user, story_id=story_id)
    book = book_build(story)
    data = book_epub(book) if trim is None else book_pdf(book, trim=trim, bleed=bool(bleed))
    name = slugify(story.title) or f"story-{story.pk}"
    return FileDownload(data=data, content_type=BOOK_FORMATS[format], filename=f"{name}.{format}")


def story_export_pdf(*, user, story_id, size: str = "square", bleed: bool = False) -> bytes:
    """The user's ready story as a print-ready PDF.

    `size` is "square" (8 x 8 in), "a4" or "letter"; `bleed` adds 0.125 in beyond
    the trim on every side, with crop marks. NotFound for another user's story,
    Conflict for a story that is not ready, InvalidInput for an unknown size.
    """
    return book_export(user=user, story_id=story_id, format="pdf", size=size, bleed=bleed).data


def story_export_epub(*, user, story_id) -> bytes:
    """The user's ready story as an EPUB 3 file. NotFound for another user's story,
    Conflict for a story that is not ready."""
    return book_export(user=user, story_id=story_id, format="epub").data
