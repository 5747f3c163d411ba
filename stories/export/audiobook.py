"""A narrated story as one MP3 to listen to: every page's clips in order, sentence
after sentence as they were spoken, and a pause between pages, where a reader would
turn the page.

Every clip is decoded to PCM (storyforge.core.audio), the PCM joined and encoded once,
so the file has one encoder delay and one rate throughout rather than a seam per clip;
then ID3v2.3 tags (read more widely than v2.4) name the book.
"""

from __future__ import annotations

import io

from mutagen.id3 import ID3, TALB, TCON, TIT2, TPE1

from stories.export.book import Book
from stories.export.narration import Narration
from storyforge.core import audio

PAGE_PAUSE_SECONDS = 1.5
GENRE = "Audiobook"


def book_mp3(book: Book, narration: Narration, *, series: str = "") -> bytes:
    """The audiobook of `book` read as `narration` (the same story's, every page
    narrated), tagged with its title, author, series (as the album) and genre."""
    pause = audio.silence(PAGE_PAUSE_SECONDS)
    pcm = pause.join(b"".join(sentence.pcm for sentence in page.sentences) for page in narration.pages)
    return _tagged(audio.mp3_encoded(pcm), title=book.title, artist=book.author, album=series)


def _tagged(mp3: bytes, *, title: str, artist: str, album: str) -> bytes:
    tags = ID3()
    tags.add(TIT2(encoding=3, text=[title]))
    if artist:
        tags.add(TPE1(encoding=3, text=[artist]))
    if album:
        tags.add(TALB(encoding=3, text=[album]))
    tags.add(TCON(encoding=3, text=[GENRE]))
    file = io.BytesIO(mp3)
    tags.save(file, v2_version=3)  # mutagen writes the text as UTF-16 for v2.3
    return file.getvalue()
