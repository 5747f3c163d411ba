"""A narrated story as a read-along EPUB 3: the plain ebook (epub.py) on fixed pages,
with EPUB Media Overlays added, so that a reading system that plays them reads each
page aloud and highlights the sentence being read.

The plain EPUB is made first, exactly as it is downloaded without narration, and then
added to: on every story page each sentence is wrapped in a `<span id="s-PAGE-N">`;
each page gets a SMIL document (`page-NN.smil`) with one `<par>` per sentence that
pairs that span with the sentence's clip (`audio/page-NN-N.mp3`, played whole from
`0s`); the package document names the overlay on the page's manifest item
(`media-overlay`), lists the SMIL documents and the clips (MP3 is a core media type,
`audio/mpeg`), and carries the `media:duration` of every overlay and of the whole book
(the overlays' sum) and the `media:active-class`, which the stylesheet highlights.
The read-along edition gets its own identifier, so a library holding both editions
does not take one for the other, and it is laid out on fixed pages (fixed_layout.py):
Apple Books reads Media Overlays aloud only in a fixed-layout book.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile

from django.utils.html import escape

from stories.export.book import Book, book_text
from stories.export.epub import ZIP_DATE, book_epub
from stories.export.fixed_layout import (
    MANIFEST,
    METADATA,
    STYLESHEET,
    fixed_layout_documents,
    fixed_layout_package,
)
from stories.export.narration import NarratedPage, NarratedSentence, Narration

ACTIVE_CLASS = "-epub-media-overlay-active"
HIGHLIGHT_CSS = f"""
/* The sentence being read aloud: media:active-class in the package document. A strong
   yellow, as Apple's Books Asset Guide asks (high chroma, contrasting with the text and
   the page), with the text's own colour set. */
.{ACTIVE_CLASS} {{
  background-color: #facc15;
  color: #2b2118;
  border-radius: 0.15em;
}}
"""
# As `book_paragraphs`: a blank line between two sentences starts a new paragraph.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TEXT_BLOCK = re.compile(r'(<div class="text">)(.*?)(</div>)', re.DOTALL)
_IDENTIFIER = re.compile(r'(<dc:identifier id="book-id">)([^<]*)(</dc:identifier>)')


def book_epub_narrated(book: Book, narration: Narration) -> bytes:
    """The EPUB of `book` with `narration` (the same story's, every page narrated) as its
    media overlays."""
    with zipfile.ZipFile(io.BytesIO(book_epub(book))) as plain:
        entries = [(info, plain.read(info)) for info in plain.infolist()]
    files = {info.filename: data for info, data in entries}
    added: list[tuple[str, bytes, int]] = []  # (name in the archive, data, compression)
    added.append((f"OEBPS/{STYLESHEET}", fixed_layout_documents(files, book), zipfile.ZIP_DEFLATED))
    manifest: list[str] = list(MANIFEST)
    metadata: list[str] = list(METADATA)
    for page in narration.pages:
        name = _document_name(page)
        xhtml = f"OEBPS/{name}.xhtml"
        files[xhtml] = _page_with_sentences(files[xhtml].decode(), page).encode()
        added.append((f"OEBPS/{name}.smil", _smil(page).encode(), zipfile.ZIP_DEFLATED))
        manifest.append(f'<item id="overlay-{name}" href="{name}.smil" media-type="application/smil+xml"/>')
        for sentence in page.sentences:
            href = _audio_href(page, sentence)
            added.append((f"OEBPS/{href}", sentence.mp3, zipfile.ZIP_STORED))  # MP3 does not deflate
            manifest.append(f'<item id="audio-{name}-{sentence.index + 1}" href="{href}" media-type="audio/mpeg"/>')
        metadata.append(f'<meta property="media:duration" refines="#overlay-{name}">{_clock(page.duration_ms)}</meta>')
    metadata.append(f'<meta property="media:duration">{_clock(narration.duration_ms)}</meta>')
    metadata.append(f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>')
    files["OEBPS/package.opf"] = _package(files["OEBPS/package.opf"].decode(), narration, manifest, metadata).encode()
    files["OEBPS/css/book.css"] += HIGHLIGHT_CSS.encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, _ in entries:  # `mimetype` first and stored, as the plain EPUB has it
            archive.writestr(info, files[info.filename])
        for name, data, compression in added:
            archive.writestr(_entry(name, compression), data)
    return buffer.getvalue()


def _document_name(page: NarratedPage) -> str:
    """The page's document in the EPUB, as epub.py names it."""
    return f"page-{page.number:02d}"


def _span_id(page: NarratedPage, sentence: NarratedSentence) -> str:
    return f"s-{page.number}-{sentence.index + 1}"


def _audio_href(page: NarratedPage, sentence: NarratedSentence) -> str:
    return f"audio/{_document_name(page)}-{sentence.index + 1}.mp3"


def _page_with_sentences(xhtml: str, page: NarratedPage) -> str:
    """The page's XHTML with its text block rewritten: the same paragraphs, each sentence
    in its own span."""
    paragraphs = "".join(
        "\n      <p>" + " ".join(_span(page, sentence) for sentence in paragraph) + "</p>"
        for paragraph in _paragraphs(page)
    )
    rewritten, found = _TEXT_BLOCK.subn(lambda match: f"{match[1]}{paragraphs}\n    {match[3]}", xhtml, count=1)
    if not found:
        raise RuntimeError(f"templates/stories/export/epub/page.xhtml has no text block for page {page.number}")
    return rewritten


def _span(page: NarratedPage, sentence: NarratedSentence) -> str:
    return f'<span id="{_span_id(page, sentence)}">{escape(" ".join(book_text(sentence.text).split()))}</span>'


def _paragraphs(page: NarratedPage) -> list[list[NarratedSentence]]:
    """The page's sentences grouped in its paragraphs. A sentence that runs over a blank
    line (one with no full stop before it) keeps its words in one paragraph: one span
    cannot straddle two."""
    paragraphs: list[list[NarratedSentence]] = []
    cursor = 0
    for sentence in page.sentences:
        found = page.text.find(sentence.text, cursor)
        between = page.text[cursor:found] if found >= 0 else ""
        if not paragraphs or _PARAGRAPH_BREAK.search(between):
            paragraphs.append([])
        paragraphs[-1].append(sentence)
        if found >= 0:
            cursor = found + len(sentence.text)
    return paragraphs


def _smil(page: NarratedPage) -> str:
    name = _document_name(page)
    pars = "".join(
        f'\n    <par id="par-{_span_id(page, sentence)}">'
        f'\n      <text src="{name}.xhtml#{_span_id(page, sentence)}"/>'
        f'\n      <audio src="{_audio_href(page, sentence)}" clipBegin="0s" clipEnd="{_seconds(sentence.duration_ms)}"/>'
        "\n    </par>"
        for sentence in page.sentences
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" version="3.0">\n'
        f"  <body>{pars}\n  </body>\n</smil>\n"
    )


def _package(opf: str, narration: Narration, manifest: list[str], metadata: list[str]) -> str:
    for page in narration.pages:
        name = _document_name(page)
        opf, found = re.subn(f'<item id="{name}" ', f'<item id="{name}" media-overlay="overlay-{name}" ', opf, count=1)
        if not found:
            raise RuntimeError(f"the package document lists no {name}")
    opf = fixed_layout_package(opf)
    opf = _IDENTIFIER.sub(lambda match: f"{match[1]}{_read_along_identifier(match[2])}{match[3]}", opf, count=1)
    return _inserted(_inserted(opf, "\n  </metadata>", metadata), "\n  </manifest>", manifest)


def _inserted(document: str, closing: str, lines: list[str]) -> str:
    """`document` with `lines` added before `closing`, indented as the lines above it."""
    if closing not in document:
        raise RuntimeError(f"the package document has no {closing.strip()}")
    return document.replace(closing, "".join(f"\n    {line}" for line in lines) + closing, 1)


def _read_along_identifier(plain: str) -> str:
    """The read-along edition's identifier: derived from the plain edition's, so it too
    stays the same from one export to the next."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{plain}:read-along')}"


def _seconds(ms: int) -> str:
    """A SMIL timecount in seconds, to the millisecond: "2.400s"."""
    return f"{ms // 1000}.{ms % 1000:03d}s"


def _clock(ms: int) -> str:
    """A SMIL full clock value, as `media:duration` wants it: "0:01:02.345"."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _entry(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info
