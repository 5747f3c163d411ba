import pytest

from tests.factories import IllustrationFactory, PageFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    story = StoryFactory(status="ready", page_count=2, title="The Lost Kite")
    for number in (1, 2):
        IllustrationFactory(page=PageFactory(story=story, number=number), is_selected=True)
    for page in story.pages.all():
        page.selected_illustration = page.illustrations.first()
        page.save()
    return story


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"), [("pdf", "application/pdf", b"%PDF"), ("epub", "application/epub+zip", b"PK")]
)
def test_a_finished_book_downloads_as_pdf_and_epub(client, book, fmt, content_type, magic):
    client.force_login(book.owner)
    response = client.get(f"/stories/{book.pk}/export/{fmt}/?size=a4&bleed=1")
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="the-lost-kite.{fmt}"'
    assert response.content.startswith(magic)


def test_another_users_book_and_unknown_formats_are_not_found(client, book):
    client.force_login(UserFactory())
    assert client.get(f"/stories/{book.pk}/export/pdf/").status_code == 404
    client.force_login(book.owner)
    assert client.get(f"/stories/{book.pk}/export/docx/").status_code == 404


def test_a_bad_trim_size_is_a_clear_error(client, book):
    client.force_login(book.owner)
    response = client.get(f"/stories/{book.pk}/export/pdf/?size=poster")
    assert response.status_code == 400 and "size" in response.content.decode().lower()
