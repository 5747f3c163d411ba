"""A ready story as a file to keep: a print-ready PDF (pdf.py) or an EPUB 3 ebook
(epub.py), both made from the same book (book.py), both asked for through
`book_export` (download.py)."""

from stories.export.download import BOOK_FORMATS, book_export, story_export_epub, story_export_pdf
from stories.export.pdf import TRIM_SIZES

__all__ = ["BOOK_FORMATS", "TRIM_SIZES", "book_export", "story_export_epub", "story_export_pdf"]
