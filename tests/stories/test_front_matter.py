"""A book's front matter: title, subtitle, author name (the account's display name
unless set for the book) and dedication, moderated and capped like every text, over
the API and in the reader, the print view, the PDF and the EPUB (which still passes
epubcheck with its cover picture and its dedication page)."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from stories import services
from stories.export import story_export_epub, story_export_pdf
from storyforge.core.errors import ContentFlagged, InvalidInput
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.factories import CoverPictureFactory
from tests.stories.api_fixtures import *  # noqa: F403 - the fixtures
from tests.stories.api_fixtures import STORIES, assert_not_found_without_data
from tests.stories.export_books import page_texts, ready_story
from tests.stories.test_export_epub import epubcheck

pytestmark = pytest.mark.django_db

DEDICATION = "For Mia, who is braver than she knows"


def test_the_front_matter_is_saved_tidied_and_left_alone_when_not_given(story, owner):
    services.story_update(
        user=owner,
        story_id=story.pk,
        subtitle="  A  rainy   day ",
        author_name=" Grandma  Jo ",
        dedication="For Mia,\n\n  who is brave ",
    )
    story.refresh_from_db()
    assert (story.subtitle, story.author_name, story.dedication) == (
        "A rainy day",
        "Grandma Jo",
        "For Mia,\nwho is brave",
    )

    services.story_update(user=owner, story_id=story.pk, title="The Big Splash")

    story.refresh_from_db()
    assert (story.title, story.subtitle, story.dedication) == (
        "The Big Splash",
        "A rainy day",
        "For Mia,\nwho is brave",
    )
    services.story_update(user=owner, story_id=story.pk, subtitle="", author_name="", dedication="")
    story.refresh_from_db()
    assert (story.subtitle, story.author_name, story.dedication) == ("", "", "")


@pytest.mark.parametrize(("field", "length"), [("subtitle", 201), ("author_name", 101), ("dedication", 301)])
def test_front_matter_longer_than_its_cap_is_refused(story, owner, field, length):
    with pytest.raises(InvalidInput) as refused:
        services.story_update(user=owner, story_id=story.pk, **{field: "a" * length})
    assert field in refused.value.details["fields"]


def test_unsuitable_front_matter_is_refused_like_every_text(story, owner):
    with pytest.raises(ContentFlagged):
        services.story_update(user=owner, story_id=story.pk, dedication="For the man with the gun")
    story.refresh_from_db()
    assert story.dedication == ""


# Over the API


def test_patching_the_front_matter(api, owner, story):
    response = api.patch(f"{STORIES}{story.pk}/", {"subtitle": "A rainy day", "dedication": DEDICATION}, format="json")

    body = response.json()
    assert response.status_code == 200
    assert (body["title"], body["subtitle"], body["dedication"]) == (story.title, "A rainy day", DEDICATION)
    assert (body["author_name"], body["author"]) == ("", owner.author_name)  # the account's name by default
    body = api.patch(f"{STORIES}{story.pk}/", {"author_name": "Grandma Jo"}, format="json").json()
    assert (body["author_name"], body["author"], body["subtitle"]) == ("Grandma Jo", "Grandma Jo", "A rainy day")


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"dedication": "x" * 301}, 400, "VALIDATION_ERROR"),
        ({"author_name": 7}, 400, "VALIDATION_ERROR"),
        ({"title": " "}, 400, "VALIDATION_ERROR"),
        ({"subtitle": "The gun"}, 422, "CONTENT_FLAGGED"),
    ],
)
def test_bad_front_matter_over_the_api_is_a_clear_error(api, story, change, status, code):
    assert_error(api.patch(f"{STORIES}{story.pk}/", change, format="json"), status, code)
    story.refresh_from_db()
    assert (story.subtitle, story.dedication) == ("", "")


def test_another_users_front_matter_cannot_be_changed(api, theirs):
    response = api.patch(f"{STORIES}{theirs.pk}/", {"dedication": "Mine"}, format="json")
    assert_not_found_without_data(response)
    theirs.refresh_from_db()
    assert theirs.dedication == ""


# In the reader and the print view


def test_the_reader_shows_the_front_matter_and_its_form_saves_it(client, owner, story):
    client.force_login(owner)
    response = client.post(
        f"/stories/{story.pk}/front/",
        {"title": "The Big Splash", "subtitle": "A rainy day", "author_name": "Grandma Jo", "dedication": DEDICATION},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/stories/{story.pk}/#cover")

    html = client.get(f"/stories/{story.pk}/").content.decode()

    cover = html[html.index('id="cover"') : html.index('id="dedication"')]
    assert "The Big Splash" in cover and "A rainy day" in cover and "by Grandma Jo" in cover
    dedication = html[html.index('id="dedication"') : html.index('id="page-1"')]
    assert DEDICATION in dedication and 'href="#page-1"' in dedication
    assert 'href="#dedication" rel="next"' in cover  # "Start reading" turns to the dedication first
    assert 'id="story-dedication"' in html and f">{DEDICATION}</textarea>" in html


def test_refused_front_matter_comes_back_in_the_form_with_the_reason(client, owner, story):
    client.force_login(owner)

    response = client.post(f"/stories/{story.pk}/front/", {"title": "Fine", "subtitle": "s" * 201, "dedication": "Hi"})

    html = response.content.decode()
    assert response.status_code == 400 and "Keep it under 200 characters." in html
    assert 'id="story-subtitle"' in html and 'aria-invalid="true"' in html and ">Hi</textarea>" in html
    story.refresh_from_db()
    assert story.title != "Fine"


def test_the_print_view_has_the_dedication_page(client, owner, story):
    services.story_update(user=owner, story_id=story.pk, subtitle="A rainy day", dedication=DEDICATION)
    client.force_login(owner)
    html = client.get(f"/stories/{story.pk}/print/").content.decode()
    assert "A rainy day" in html and DEDICATION in html
    assert html.index(DEDICATION) < html.index("Once upon a time.")


# The PDF and the EPUB


def test_the_pdf_has_the_cover_then_the_dedication_then_the_pages():
    story = ready_story(2, subtitle="A rainy day", author_name="Grandma Jo", dedication=f"{DEDICATION}\nand for Leo")
    CoverPictureFactory(story=story, chosen=True)

    texts = page_texts(PdfReader(io.BytesIO(story_export_pdf(user=story.owner, story_id=story.pk))))

    assert len(texts) == 1 + 1 + 2 + 1
    assert "The Puddle Expedition" in texts[0] and "A rainy day" in texts[0] and "by Grandma Jo" in texts[0]
    assert texts[1] == f"{DEDICATION} and for Leo"
    assert "Page 1" in texts[2]


def test_a_pdf_without_a_dedication_has_no_such_page():
    story = ready_story(1)
    texts = page_texts(PdfReader(io.BytesIO(story_export_pdf(user=story.owner, story_id=story.pk))))
    assert len(texts) == 3


def test_the_epub_has_its_cover_picture_and_dedication_and_passes_epubcheck(tmp_path):
    story = ready_story(2, subtitle="A rainy day", dedication=f"{DEDICATION} & Leo <3")
    cover = CoverPictureFactory(story=story, chosen=True, image__color="purple")
    path = tmp_path / "book.epub"
    path.write_bytes(story_export_epub(user=story.owner, story_id=story.pk))

    with zipfile.ZipFile(path) as archive:
        package = archive.read("OEBPS/package.opf").decode()
        cover_page = archive.read("OEBPS/cover.xhtml").decode()
        dedication = archive.read("OEBPS/dedication.xhtml").decode()
        nav = archive.read("OEBPS/nav.xhtml").decode()
        with cover.image.open("rb") as file:
            assert archive.read("OEBPS/images/cover.png") == file.read()  # the cover's own picture
    assert 'href="images/cover.png" media-type="image/png" properties="cover-image"' in package
    assert package.index('idref="cover"') < package.index('idref="dedication"') < package.index('idref="page-01"')
    assert "A rainy day" in cover_page
    assert f"{DEDICATION} &amp; Leo &lt;3" in dedication
    assert 'epub:type="bodymatter" href="page-01.xhtml"' in nav
    result = epubcheck(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout + result.stderr
