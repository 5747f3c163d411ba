"""The book both export formats render: a cover (its own picture, or page 1's for a
book made before covers), a dedication page when it has one, one page per story page
and an end page, read from the database once and handed to the PDF and EPUB writers as
plain data, so that neither needs to know about models, owners or storage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from characters.models import Portrait
from stories.book_words import book_words
from stories.models import Story
from stories.selectors import story_book_get
from storyforge.core.errors import Conflict
from storyforge.core.reading import AgeGroup

# Characters XML 1.0 cannot hold (the C0 controls but tab, newline and carriage
# return, and two non-characters): an EPUB page holding one is not well-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# Body text in points: largest for the youngest (the book is read aloud and
# pointed at), smallest for confident readers, whose pages carry more words.
TYPE_SIZES = {
    AgeGroup.TODDLER: 30,
    AgeGroup.PRESCHOOL: 24,
    AgeGroup.EARLY_READER: 18,
    AgeGroup.CONFIDENT_READER: 14,
}


@dataclass(frozen=True)
class BookImage:
    """A stored picture at its full size, by its storage name: read through the storage
    API, so a folder and object storage are alike."""

    name: str
    width: int | None
    height: int | None

    def read(self) -> bytes:
        from django.core.files.storage import default_storage

        with default_storage.open(self.name, "rb") as file:
            return file.read()


@dataclass(frozen=True)
class BookCharacter:
    name: str
    portrait: BookImage | None


@dataclass(frozen=True)
class BookPage:
    number: int
    paragraphs: tuple[str, ...]
    picture: BookImage | None
    picture_description: str

    @property
    def length(self) -> int:
        return sum(len(paragraph) for paragraph in self.paragraphs)


@dataclass(frozen=True)
class Book:
    story_id: int
    title: str
    author: str
    language: str
    age_group: str
    type_size: int
    characters: tuple[BookCharacter, ...]
    cover: BookImage | None
    pages: tuple[BookPage, ...]
    moral: str
    words: dict[str, str]
    created: datetime
    modified: datetime
    subtitle: str = ""
    dedication: tuple[str, ...] = ()  # its lines; empty: the book has no dedication page


def book_text(text: str) -> str:
    """User text as a book may hold it: without characters that XML cannot hold."""
    return _NOT_XML.sub("", text or "")


def book_paragraphs(text: str) -> tuple[str, ...]:
    """A page's paragraphs: blank lines separate them, single line breaks become spaces."""
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(book_text(text).strip()))
    return tuple(paragraph for paragraph in paragraphs if paragraph)


def _image(field) -> BookImage | None:
    if not field:
        return None
    return BookImage(name=field.name, width=field.instance.width, height=field.instance.height)


def story_ready_get(*, user, story_id) -> Story:
    """One of the user's stories that can be exported: NotFound for anyone else's,
    Conflict while it is still being written or drawn, or after it failed."""
    story = story_book_get(user=user, story_id=story_id)
    if story.status != Story.Status.READY:
        raise Conflict("This story is not ready yet: finish generating first.", details={"status": story.status})
    return story


def book_build(story: Story) -> Book:
    """The book of a story loaded by `stories.selectors.story_book_get` (its cast, and its
    pages with their selected illustrations, already fetched)."""
    cast = [role.character for role in story.cast.all()]
    portraits = Portrait.objects.in_bulk([c.selected_portrait_id for c in cast if c.selected_portrait_id])
    characters = tuple(
        BookCharacter(
            name=" ".join(book_text(character.name).split()),
            portrait=_image(portraits[character.selected_portrait_id].image)
            if character.selected_portrait_id in portraits
            else None,
        )
        for character in cast
    )
    pages = tuple(
        BookPage(
            number=page.number,
            paragraphs=book_paragraphs(page.text),
            picture=_image(page.selected_illustration.image) if page.selected_illustration else None,
            picture_description=" ".join(book_text(page.visual_description).split()),
        )
        for page in story.pages.all()
    )
    return Book(
        story_id=story.pk,
        title=" ".join(book_text(story.title).split()) or "Untitled story",
        author=" ".join(book_text(story.author_name or story.owner.author_name).split()),
        language=story.language,
        age_group=story.age_group,
        type_size=TYPE_SIZES.get(story.age_group, TYPE_SIZES[AgeGroup.PRESCHOOL]),
        characters=characters,
        cover=_image(story.cover.image) if story.cover_id else (pages[0].picture if pages else None),
        pages=pages,
        moral=" ".join(book_text(story.moral).split()),
        words=book_words(story.language),
        created=story.created_at,
        modified=story.completed_at or story.updated_at,
        subtitle=" ".join(book_text(story.subtitle).split()),
        dedication=tuple(
            line for line in (" ".join(part.split()) for part in book_text(story.dedication).splitlines()) if line
        ),
    )
