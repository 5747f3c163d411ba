"""A ready story as a file to keep: a print-ready PDF (pdf.py) or a booklet to print
at home (booklet.py), an EPUB 3 ebook (epub.py; with its narration, a read-along
EPUB with media overlays: read_along.py) or, once narrated, the whole book as one MP3 (audiobook.py). All are made from the
same book (book.py, narration.py) and asked for through `book_export` (download.py)."""

from stories.export.booklet import BOOKLET_INSTRUCTION
from stories.export.download import BOOK_FORMATS, PDF_LAYOUTS, book_export, story_export_epub, story_export_pdf
from stories.export.pdf import TRIM_SIZES

__all__ = [
    "BOOKLET_INSTRUCTION",
    "BOOK_FORMATS",
    "PDF_LAYOUTS",
    "TRIM_SIZES",
    "book_export",
    "story_export_epub",
    "story_export_pdf",
]
