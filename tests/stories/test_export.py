"""Exporting a ready story, whatever the format: `book_export` (what the web page
and the API call) names the file after the book, and refuses another user's story,
a story that is not ready and a format it does not make; pictures are read through
the storage when it has no local files."""

import io
import zipfile

import pytest

from stories.export import BOOK_FORMATS, book_export, story_export_epub, story_export_pdf
from stories.export import pdf as pdf_module
from stories.export.pdf import book_fetcher
from storyforge.core.errors import Conflict, InvalidInput, NotFound
from tests.factories import StoryFactory, UserFactory
from tests.stories.export_books import epub_of, pdf_of, ready_story

pytestmark = pytest.mark.django_db


def test_pictures_in_a_storage_without_local_files_are_read_through_the_storage(monkeypatch):
    from django.db.models.fields.files import FieldFile

    story = ready_story(2)

    def no_local_path(self):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    monkeypatch.setattr(FieldFile, "path", property(no_local_path))
    fetchers = []
    monkeypatch.setattr(pdf_module, "book_fetcher", lambda: fetchers.append(book_fetcher()) or fetchers[-1])

    reader = pdf_of(story)
    with zipfile.ZipFile(io.BytesIO(epub_of(story))) as archive:
        pictures = [name for name in archive.namelist() if name.startswith("OEBPS/images/")]

    assert len(reader.pages) == 4
    placed = {int(image.get_object()["/Width"]) for image in reader.pages[0]["/Resources"]["/XObject"].values()}
    assert placed == {33, 34, 32}  # both pages' pictures and the portraits
    assert all(url.startswith(("data:", "file:", "media:")) for url in fetchers[0].fetched)
    assert sum(url.startswith("media:") for url in fetchers[0].fetched) == 4  # read through the storage
    assert len(pictures) == 4  # the cover (page 1), page 2, two portraits


def test_another_users_story_is_not_found():
    story = ready_story(1)

    with pytest.raises(NotFound):
        story_export_pdf(user=UserFactory(), story_id=story.pk)
    with pytest.raises(NotFound):
        story_export_epub(user=UserFactory(), story_id=story.pk)
    with pytest.raises(NotFound):
        story_export_pdf(user=story.owner, story_id="not-a-number")


@pytest.mark.parametrize("status", ["draft", "queued", "generating", "failed"])
def test_a_story_that_is_not_ready_cannot_be_exported(status):
    story = StoryFactory(status=status, pages=1, **({"error_code": "AI_TIMEOUT"} if status == "failed" else {}))

    with pytest.raises(Conflict, match="finish generating first"):
        story_export_pdf(user=story.owner, story_id=story.pk)
    with pytest.raises(Conflict, match="finish generating first"):
        story_export_epub(user=story.owner, story_id=story.pk)


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("epub", b"PK")])
def test_a_book_is_exported_as_a_file_named_after_its_title(fmt, magic):
    story = ready_story(1, title="Mia's Big Day!")

    book = book_export(user=story.owner, story_id=story.pk, format=fmt)

    assert book.data.startswith(magic) and book.content_type == BOOK_FORMATS[fmt]
    assert book.filename == f"mias-big-day.{fmt}"
    assert book.disposition == f'attachment; filename="mias-big-day.{fmt}"'


def test_a_book_without_a_title_is_named_after_its_id():
    story = ready_story(1, title="")

    assert book_export(user=story.owner, story_id=story.pk, format="epub").filename == f"story-{story.pk}.epub"


def test_an_unknown_format_is_refused():
    story = ready_story(1)

    with pytest.raises(InvalidInput) as error:
        book_export(user=story.owner, story_id=story.pk, format="docx")
    assert "format" in error.value.details["fields"]
