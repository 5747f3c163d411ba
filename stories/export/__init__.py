"""A ready story as a file to keep: a print-ready PDF (pdf.py) or an EPUB 3 ebook
(epub.py), both made from the same book (book.py)."""

from stories.export.epub import story_export_epub
from stories.export.pdf import TRIM_SIZES, story_export_pdf

__all__ = ["TRIM_SIZES", "story_export_epub", "story_export_pdf"]
