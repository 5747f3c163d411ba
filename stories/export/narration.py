"""A book's narration as plain data for the read-along EPUB and the audiobook: every
page's sentences in order, each with its clip's MP3 and that MP3 decoded, read once
through the storage (never a filesystem path), so neither writer needs to know about
models, versions or storage.

A page counts as narrated when it has a clip of its current text for every sentence
`storyforge.core.reading.sentences` finds in it, and the clips say the same sentences:
anything else would highlight one sentence while another is heard. A page without
words has nothing to narrate and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from stories.models import Page, Story
from storyforge.core import audio
from storyforge.core.errors import Conflict
from storyforge.core.reading import sentences

_PCM_BYTES_PER_SECOND = audio.SAMPLE_RATE * audio.SAMPLE_BYTES * audio.CHANNELS


@dataclass(frozen=True)
class NarratedSentence:
    index: int  # its place on the page, from 0
    text: str  # as written on the page
    mp3: bytes  # the clip as stored
    pcm: bytes  # the clip decoded (storyforge.core.audio.pcm_of)

    @property
    def duration_ms(self) -> int:
        """How long the clip plays, decoded: what `storyforge.core.audio.duration_ms` says of it."""
        return round(len(self.pcm) / _PCM_BYTES_PER_SECOND * 1000)


@dataclass(frozen=True)
class NarratedPage:
    number: int
    text: str  # the page's text as written (paragraphs and all)
    sentences: tuple[NarratedSentence, ...]

    @property
    def duration_ms(self) -> int:
        return sum(sentence.duration_ms for sentence in self.sentences)


@dataclass(frozen=True)
class Narration:
    pages: tuple[NarratedPage, ...]

    @property
    def duration_ms(self) -> int:
        return sum(page.duration_ms for page in self.pages)


def narration_build(story: Story) -> Narration:
    """The narration of a story loaded by `stories.selectors.story_book_get` (its pages'
    clips already fetched: no query per page). Conflict, before any clip is read, when a
    page is not narrated; Conflict too when a stored clip cannot be read or decoded."""
    # A page without words has nothing to read (narration skips it too): it gets no overlay and no time.
    pages = [page for page in story.pages.all() if page.text.strip()]
    missing = [page.number for page in pages if not _page_narrated(page)]
    if missing:
        listed = ", ".join(str(number) for number in missing)
        which = f"page {listed} is" if len(missing) == 1 else f"pages {listed} are"
        raise Conflict(
            f"Narrate the book first: {which} not read aloud yet (or changed since).",
            details={"pages_not_narrated": missing},
        )
    if not pages:
        raise Conflict("This book has no words to read aloud.", details={"pages_not_narrated": []})
    return Narration(pages=tuple(_narrated_page(page) for page in pages))


def _page_narrated(page: Page) -> bool:
    if not page.narrated:
        return False
    clips = page.narration_clips
    return [clip.index for clip in clips] == list(range(len(clips))) and [
        " ".join(clip.text.split()) for clip in clips
    ] == [" ".join(sentence.split()) for sentence in sentences(page.text)]


def _narrated_page(page: Page) -> NarratedPage:
    spoken = []
    for clip, sentence in zip(page.narration_clips, sentences(page.text), strict=True):
        try:
            with clip.audio.open("rb") as file:
                mp3 = file.read()
            pcm = audio.pcm_of(mp3)
        except (OSError, audio.AudioUnreadable):
            raise Conflict(
                f"The narration of page {page.number} cannot be read: narrate the page again.",
                details={"page": page.number, "sentence": clip.index},
            ) from None
        spoken.append(NarratedSentence(index=clip.index, text=sentence, mp3=mp3, pcm=pcm))
    return NarratedPage(number=page.number, text=page.text, sentences=tuple(spoken))
