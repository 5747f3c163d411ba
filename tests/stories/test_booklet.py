"""The booklet for printing at home: the book's pages two to a landscape sheet, in the
order that folds into a saddle-stitched book, read back with pypdf (which page is on
which half of which side, by where its words are), and asked for through the API and
the reader's print dialog."""

import io

import pytest
from pypdf import PdfReader

from stories.export import story_export_pdf
from stories.export.booklet import BOOKLET_INSTRUCTION, booklet_order
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.stories.api_fixtures import *  # noqa: F403 - the fixtures
from tests.stories.api_fixtures import STORIES, assert_not_found_without_data
from tests.stories.export_books import ready_story, words

pytestmark = pytest.mark.django_db

A4_LANDSCAPE, LETTER_LANDSCAPE = (841.89, 595.28), (792, 612)
TITLE = "The Puddle Expedition"


def marker(number: int) -> str:
    return f"Marker{number:02d}"


def booklet_story(book_pages: int, **fields):
    """A story whose book has `book_pages` pages: the cover, the story's pages, the end."""
    count = book_pages - 2
    return ready_story(count, texts=[f"{marker(n)} walked on." for n in range(1, count + 1)], **fields)


def sides_of(reader: PdfReader) -> list[tuple[str, str]]:
    """Each printed side as (left half's words, right half's words), in printing order."""
    sides = []
    for sheet in reader.pages:
        half = float(sheet.mediabox.width) / 2
        left, right = [], []

        def visit(text, cm, tm, font, size, left=left, right=right, half=half):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                (left if x < half else right).append(text)

        sheet.extract_text(visitor_text=visit)
        sides.append((words(" ".join(left)), words(" ".join(right))))
    return sides


def page_named(text: str, count: int) -> int | None:
    """Which book page (1-based) a half shows: 1 the cover, the story's pages by their
    marker, `count` the end page; None for a blank one."""
    if not text:
        return None
    if TITLE in text:
        return 1
    for number in range(1, count):
        if marker(number) in text:
            return number + 1
    assert "The end" in text, text
    return count


def expected_sides(total: int) -> list[tuple[int, int]]:
    """Saddle-stitch order for `total` pages (a multiple of 4), 1-based: sheet k's front
    is [n - 2k, 2k + 1], its back [2k + 2, n - 2k - 1]."""
    sides = []
    for k in range(total // 4):
        sides += [(total - 2 * k, 2 * k + 1), (2 * k + 2, total - 2 * k - 1)]
    return sides


@pytest.mark.parametrize("book_pages", [8, 12, 16])
def test_a_booklets_pages_are_in_saddle_stitch_order_two_to_an_a4_sheet(book_pages):
    story = booklet_story(book_pages)

    reader = PdfReader(io.BytesIO(story_export_pdf(user=story.owner, story_id=story.pk, size="a5", layout="booklet")))

    assert len(reader.pages) == book_pages // 2  # two pages a side, both sides of book_pages / 4 sheets
    for sheet in reader.pages:
        assert (float(sheet.mediabox.width), float(sheet.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=0.01)
    found = [(page_named(left, book_pages), page_named(right, book_pages)) for left, right in sides_of(reader)]
    assert found == expected_sides(book_pages)


def test_a_booklet_is_padded_with_blank_pages_to_a_multiple_of_four():
    story = booklet_story(7)  # cover, five pages, the end

    reader = PdfReader(io.BytesIO(story_export_pdf(user=story.owner, story_id=story.pk, size="a5", layout="booklet")))

    found = [(page_named(left, 7), page_named(right, 7)) for left, right in sides_of(reader)]
    # The eighth page, the back of the booklet, is blank.
    assert found == [(None, 1), (2, 7), (6, 3), (4, 5)]


@pytest.mark.parametrize(
    ("size", "sheet"),
    [("a5", A4_LANDSCAPE), ("a4", A4_LANDSCAPE), ("letter", LETTER_LANDSCAPE), ("square", LETTER_LANDSCAPE)],
)
def test_each_book_size_prints_as_a_booklet_on_paper_a_home_printer_takes(size, sheet):
    story = booklet_story(4)

    reader = PdfReader(io.BytesIO(story_export_pdf(user=story.owner, story_id=story.pk, size=size, layout="booklet")))

    assert len(reader.pages) == 2
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == pytest.approx(
        sheet, abs=0.01
    )
    assert reader.metadata["/Subject"] == BOOKLET_INSTRUCTION


def test_the_order_of_the_sides_follows_the_folding_rule():
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    assert booklet_order(5) == [(None, 0), (1, None), (None, 2), (3, 4)]
    assert booklet_order(1) == [(None, 0), (None, None)]


# Over the API


def test_the_api_gives_a_booklet_and_ignores_the_bleed_it_cannot_print(api, owner):
    story = booklet_story(8, owner=owner)

    response = api.get(f"{STORIES}{story.pk}/export/?format=pdf&size=a5&layout=booklet&bleed=1")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-booklet.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 4
    for sheet in reader.pages:
        assert sheet.mediabox == sheet.trimbox  # no bleed, no crop marks
        assert (float(sheet.mediabox.width), float(sheet.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=0.01)


def test_the_api_gives_an_a5_book_with_a_bleed(api, owner):
    story = booklet_story(4, owner=owner)

    response = api.get(f"{STORIES}{story.pk}/export/?format=pdf&size=a5&bleed=1")

    assert response.status_code == 200
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert (float(page.trimbox.width), float(page.trimbox.height)) == pytest.approx((419.53, 595.28), abs=0.01)
    assert float(page.mediabox.width) == pytest.approx(419.53 + 18, abs=0.01)


@pytest.mark.parametrize(
    ("query", "field"), [("size=a3", "size"), ("layout=poster", "layout"), ("size=a5&layout=Booklet", "layout")]
)
def test_an_unknown_size_or_layout_is_a_clear_error(api, story, query, field):
    error = assert_error(api.get(f"{STORIES}{story.pk}/export/?format=pdf&{query}"), 400, "VALIDATION_ERROR")
    assert field in error["details"]["fields"]


def test_another_users_booklet_is_not_found(api, theirs):
    response = api.get(f"{STORIES}{theirs.pk}/export/?format=pdf&layout=booklet")
    assert_not_found_without_data(response)


# The reader's print dialog


def test_the_readers_print_dialog_offers_every_size_a_booklet_and_a_bleed(client, owner):
    story = booklet_story(4, owner=owner)
    client.force_login(owner)

    html = client.get(f"/stories/{story.pk}/").content.decode()

    assert f'action="/stories/{story.pk}/export/pdf/"' in html and 'method="get"' in html
    for size, label in (("square", "8 x 8 in"), ("a4", "A4"), ("letter", "US Letter"), ("a5", "A5")):
        assert f'name="size" value="{size}"' in html and label in html
    assert 'name="layout" value="booklet"' in html and 'name="bleed" value="1"' in html
    assert BOOKLET_INSTRUCTION in html


def test_the_print_dialogs_choices_give_the_booklet(client, owner):
    story = booklet_story(8, owner=owner)
    client.force_login(owner)

    response = client.get(f"/stories/{story.pk}/export/pdf/", {"size": "a5", "layout": "booklet"})

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert len(reader.pages) == 4
    assert float(reader.pages[0].mediabox.width) == pytest.approx(A4_LANDSCAPE[0], abs=0.01)
    assert client.get(f"/stories/{story.pk}/export/pdf/", {"layout": "poster"}).status_code == 400
