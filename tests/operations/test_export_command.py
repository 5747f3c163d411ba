"""`manage.py export_story`: operators export any ready story to a file."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from stories.models import Story
from tests.factories import IllustrationFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    story = StoryFactory(status="ready", title="Pip Goes to Sea", page_count=2, pages=2)
    for page in story.pages.all():
        page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
        page.save()
    return story


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_story", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def test_a_story_is_exported_as_a_pdf_of_the_chosen_size(story, tmp_path):
    path = tmp_path / "pip.pdf"

    output = export(story.pk, "--format", "pdf", "--out", path, "--size", "letter", "--bleed")

    reader = PdfReader(path)
    assert len(reader.pages) == 4 and "Pip Goes to Sea" in reader.pages[0].extract_text()
    assert (float(reader.pages[0].trimbox.width), float(reader.pages[0].trimbox.height)) == (612, 792)
    assert output.count("\n") == 1
    assert f"story {story.pk} (2 pages, US Letter, with bleed, PDF)" in output
    assert f"{path.stat().st_size:,} bytes to {path}" in output


def test_a_story_is_exported_as_an_epub(story, tmp_path):
    path = tmp_path / "pip.epub"

    output = export(story.pk, "--format", "epub", "--out", path)

    with zipfile.ZipFile(path) as archive:
        assert archive.read("mimetype") == b"application/epub+zip"
        assert b"Pip Goes to Sea" in archive.read("OEBPS/package.opf")
    assert f"(2 pages, EPUB) {path.stat().st_size:,} bytes to {path}" in output


def test_an_unknown_story_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no story with id 999999"):
        export(999999, "--format", "pdf", "--out", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_a_story_that_is_not_ready_is_a_clear_error(tmp_path):
    story = StoryFactory(status="generating")

    with pytest.raises(CommandError, match=f"Story {story.pk}: .*finish generating first"):
        export(story.pk, "--format", "epub", "--out", tmp_path / "x.epub")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "doc"], "invalid choice: 'doc'"),
        (["--format", "pdf", "--size", "a3"], "invalid choice: 'a3'"),
        (["--format", "pdf", "--layout", "poster"], "invalid choice: 'poster'"),
        (["--format", "epub", "--bleed"], "for PDF exports only"),
        (["--format", "epub", "--layout", "booklet"], "for PDF exports only"),
        (["--format", "pdf", "--out", "/no/such/folder/x.pdf"], "does not exist"),
    ],
)
def test_bad_arguments_are_clear_errors(story, tmp_path, args, message):
    if "--out" not in args:
        args = [*args, "--out", tmp_path / "x"]
    with pytest.raises(CommandError, match=message):
        export(story.pk, *args)


@pytest.mark.django_db
def test_a_narrated_book_exports_as_an_audiobook_and_a_read_along_epub(tmp_path):
    from storyforge.core import audio
    from storyforge.core.reading import sentences
    from tests.factories import SentenceClipFactory

    story = StoryFactory(status=Story.Status.READY, pages=2)
    for page in story.pages.all():
        for index, text in enumerate(sentences(page.text)):
            SentenceClipFactory(page=page, index=index, text=text)

    call_command("export_story", story.pk, "--format", "mp3", "--out", str(tmp_path / "book.mp3"), stdout=io.StringIO())
    call_command(
        "export_story",
        story.pk,
        "--format",
        "epub",
        "--narrated",
        "--out",
        str(tmp_path / "b.epub"),
        stdout=io.StringIO(),
    )

    assert audio.duration_ms((tmp_path / "book.mp3").read_bytes()) > 0
    assert b"media-overlay" in zipfile.ZipFile(tmp_path / "b.epub").read("OEBPS/package.opf")


@pytest.mark.django_db
def test_narrated_is_refused_for_a_pdf(tmp_path):
    story = StoryFactory(status=Story.Status.READY, pages=1)
    with pytest.raises(CommandError, match="--narrated is for EPUB"):
        call_command("export_story", story.pk, "--format", "pdf", "--narrated", "--out", str(tmp_path / "b.pdf"))
