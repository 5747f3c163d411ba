"""The cover, the front matter and the print dialog, in Chromium against a live server
with a real worker: a cover drawn by the worker is shown in the reader and chosen
among others; the title, subtitle and dedication are set in the reader's form; the
print dialog downloads an A5 booklet; and axe finds nothing serious on the way."""

import io
import re
import time

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from stories.models import CoverPicture
from storyforge.core.pagecache import pagecache_invalidate
from tests.e2e.conftest import DESKTOP, PHONE, Watch, axe_serious_violations, horizontal_overflow, log_in, ready_book
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKER_TIMEOUT = 30  # seconds: the worker drawing one cover with the built-in artist
DEDICATION = "For Mia, who is braver than she knows"


def reload_until(page, owner, condition, timeout: float = WORKER_TIMEOUT) -> None:
    """Wait for `condition()` (what the worker saved), then reload: the reader shows a new
    cover on its next load. The tests' cache is each process's own memory, so the
    worker's word that the owner's pages changed is passed on here (in production both
    share Redis)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not draw the cover in time"
        page.wait_for_timeout(500)
    pagecache_invalidate(owner.pk)
    page.reload()


def cover_tools_open(page) -> None:
    """Open "Change the cover" (a browser may keep it open across a reload)."""
    tools = page.locator("#cover-tools")
    if tools.get_attribute("open") is None:
        tools.get_by_text("Change the cover").click()
    expect(tools.get_by_role("button", name="Draw a new cover")).to_be_visible()


def serious(page) -> list[dict]:
    page.wait_for_load_state("load")
    return axe_serious_violations(page)


def test_a_cover_is_drawn_shown_in_the_reader_and_chosen(live_app, new_context):
    user = UserFactory()
    story = ready_book(user, pages=2, title="Mia and the Lost Kite")
    context = new_context(viewport=DESKTOP)
    log_in(context, live_app, user)
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{live_app}/stories/{story.pk}/")
    cover_picture = page.locator("#cover .page-picture img")
    expect(cover_picture).to_have_attribute("src", re.compile(r"/media/illustrations/"))  # page 1's, for now

    cover_tools_open(page)
    page.get_by_role("button", name="Draw a new cover").click()
    expect(page.get_by_role("status").get_by_role("listitem")).to_contain_text("A new cover is being drawn")
    assert serious(page) == []
    reload_until(page, user, lambda: CoverPicture.objects.filter(story=story).exists())
    expect(cover_picture).to_have_attribute("src", re.compile(r"/media/covers/"))  # its own, chosen at once
    first = CoverPicture.objects.get(story=story)

    # A second one to choose from: the reader offers it beside the one on the cover.
    cover_tools_open(page)
    page.get_by_role("button", name="Draw a new cover").click()
    reload_until(page, user, lambda: CoverPicture.objects.filter(story=story).count() == 2)
    cover_tools_open(page)
    expect(page.locator("#cover-tools").get_by_text("On the cover")).to_be_visible()
    assert serious(page) == []
    page.get_by_role("button", name="Use this cover").click()
    second = CoverPicture.objects.exclude(pk=first.pk).get(story=story)
    expect(cover_picture).to_have_attribute("src", re.compile(re.escape(second.image.name)))
    story.refresh_from_db()
    assert story.cover_id == second.pk
    assert not watch.foreign_requests() and not watch.csp_messages() and not watch.errors


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_front_matter_form_and_the_print_dialog(live_server, new_context, viewport):
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    story = ready_book(user, pages=6, texts=[f"Page words {n}." for n in range(1, 7)], title="The Puddle Expedition")
    context = new_context(viewport=viewport, accept_downloads=True)
    log_in(context, live_server.url, user)
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{live_server.url}/stories/{story.pk}/")

    # The front matter: a subtitle too long is sent back with the reason, then saved.
    page.get_by_label("Subtitle").fill("s" * 200)
    page.locator("#story-dedication").fill(DEDICATION)
    page.get_by_label("Subtitle").evaluate("input => { input.maxLength = 300; input.value += 'too long'; }")
    page.get_by_role("button", name="Save title and dedication").click()
    expect(page.get_by_role("alert")).to_contain_text("Keep it under 200 characters.")
    expect(page.locator("#story-dedication")).to_have_value(DEDICATION)  # nothing typed is lost
    assert serious(page) == [] and horizontal_overflow(page) <= 0
    page.get_by_label("Subtitle").fill("A rainy day")
    page.get_by_label("Author’s name on the cover").fill("Grandma Jo")
    page.get_by_role("button", name="Save title and dedication").click()

    # The cover, then the dedication page, then page 1.
    expect(page.locator("#cover .cover-subtitle")).to_have_text("A rainy day")
    expect(page.locator("#cover .cover-author")).to_have_text("by Grandma Jo")
    page.locator("#cover").get_by_role("link", name="Start reading").click()
    expect(page.locator("#dedication")).to_be_visible()
    expect(page.locator("#dedication")).to_contain_text(DEDICATION)
    assert serious(page) == []
    page.locator("#dedication").get_by_role("link", name="Next").click()
    expect(page.locator("#page-1")).to_be_visible()

    # The print dialog: A5, a booklet; the download starts and folds into the book.
    dialog = page.get_by_role("form", name="Print choices")
    dialog.get_by_role("radio", name="A5").check()
    dialog.get_by_role("radio", name=re.compile("Booklet")).check()
    expect(dialog).to_contain_text("Print double-sided, flip on the short edge, fold in half, staple in the middle.")
    assert serious(page) == [] and horizontal_overflow(page) <= 0
    with page.expect_download(timeout=30_000) as download_info:
        dialog.get_by_role("button", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-booklet.pdf")
    with open(download.path(), "rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    # Cover, dedication, six pages, the end: ten pages, padded to twelve, on three sheets.
    assert len(reader.pages) == 6
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == pytest.approx(
        (841.89, 595.28), abs=0.01
    )
    assert not watch.foreign_requests() and not watch.csp_messages() and not watch.errors
