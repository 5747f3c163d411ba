"""Books on object storage: a generated twelve-page book is drawn from the reference
portrait read out of the bucket, its pictures are objects in the bucket, and its PDF
and EPUB are made from those objects (no file on this disk)."""

import io
import zipfile
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PdfReader

from stories import services
from stories.export import pdf as pdf_module
from stories.export import story_export_epub
from stories.export.pdf import book_fetcher
from stories.models import Illustration, Page, Story
from tests.factories import CharacterFactory, PortraitFactory, UserFactory
from tests.stories.export_books import illustrations_of, pdf_of, portraits_of, ready_story

pytestmark = [pytest.mark.services]

PAGES = 12
XHTML_IMG = "{http://www.w3.org/1999/xhtml}img"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_a_twelve_page_book_is_drawn_from_the_portrait_in_the_bucket(s3_storage, openai_settings, fake_openai, client):
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    mia.selected_portrait = PortraitFactory(character=mia, is_selected=True)
    mia.save(update_fields=["selected_portrait"])
    portrait = s3_storage.read(mia.selected_portrait.image.name)

    story, _job = services.story_create(user=user, characters=[{"character": mia.pk}], page_count=PAGES)

    story.refresh_from_db()
    assert story.status == Story.Status.READY, f"{story.error_code}: {story.error_message}"
    drawings = fake_openai.requests_for("edits")
    assert len(drawings) == PAGES + 1 and not fake_openai.requests_for("images")  # every page and the cover
    for request in drawings:  # the portrait, read from the bucket, went with every picture
        assert [file["size"] for file in request.files] == [len(portrait)]
    pictures = Illustration.objects.filter(page__story=story)
    assert Page.objects.filter(story=story, selected_illustration__isnull=False).count() == PAGES
    cover = story.cover_pictures.get().image.name
    assert s3_storage.names() == {mia.selected_portrait.image.name, cover, *pictures.values_list("image", flat=True)}

    client.force_login(user)
    # The reader has a long book's PDF made on the cpu worker; the API makes it at once.
    pdf = client.get(f"/api/v1/stories/{story.pk}/export/?format=pdf")
    assert pdf.status_code == 200, pdf.content[:300]
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == PAGES + 2  # a cover and an end page
    epub = client.get(f"/stories/{story.pk}/export/epub/")
    assert epub.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(epub.streaming_content) if epub.streaming else epub.content)) as book:
        kept = {book.read(name) for name in book.namelist() if name.startswith("OEBPS/images/")}
    assert {s3_storage.read(name) for name in pictures.values_list("image", flat=True)} <= kept


@pytest.mark.django_db
def test_the_pdf_places_every_picture_read_from_the_bucket_and_fetches_nothing_else(s3_storage, monkeypatch):
    fetchers = []

    def recording_fetcher():
        fetchers.append(book_fetcher())
        return fetchers[-1]

    monkeypatch.setattr(pdf_module, "book_fetcher", recording_fetcher)
    story = ready_story(3, picture_size=(120, 90))
    stored = {(picture.width, picture.height) for picture in [*illustrations_of(story), *portraits_of(story)]}

    reader = pdf_of(story)

    placed = set()
    for page in reader.pages:
        for image in page["/Resources"].get("/XObject", {}).values():
            image = image.get_object()
            if image["/Subtype"] == "/Image":
                placed.add((int(image["/Width"]), int(image["/Height"])))
    assert placed == stored
    (fetcher,) = fetchers
    assert fetcher.refused == []
    media = {url.removeprefix("media:") for url in fetcher.fetched if url.startswith("media:")}
    assert media == {picture.image.name for picture in [*illustrations_of(story), *portraits_of(story)]}
    assert media <= s3_storage.names()


@pytest.mark.django_db
def test_the_epub_holds_each_pictures_bytes_from_the_bucket(s3_storage):
    story = ready_story(3)

    data = story_export_epub(user=story.owner, story_id=story.pk)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for illustration in illustrations_of(story):
            page = ElementTree.fromstring(archive.read(f"OEBPS/page-{illustration.page.number:02d}.xhtml"))
            (image,) = page.iter(XHTML_IMG)
            assert archive.read(f"OEBPS/{image.get('src')}") == s3_storage.read(illustration.image.name)
        cover = archive.read("OEBPS/images/cover.png")
    with Image.open(io.BytesIO(cover)) as picture:
        assert picture.format == "PNG"
