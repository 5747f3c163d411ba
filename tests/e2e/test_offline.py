"""Reading offline: the service worker keeps every book the reader has opened, with
its pictures and styles; a page never opened says that it needs a connection.

Service workers need a secure context; http://localhost (the live server) is one."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, ready_book
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CONTROLLED = "() => navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
# The worker stores a book's page after answering, so wait for the copy itself.
STORED = "path => caches.open('storyforge-books').then((cache) => cache.match(path)).then((hit) => !!hit)"
KEPT = "path => caches.match(path).then((hit) => !!hit)"


def test_a_book_opened_once_can_be_read_offline_and_other_pages_say_they_need_a_connection(live_server, new_context):
    user = UserFactory()
    opened = ready_book(user, pages=2, texts=["Mia packed a torch.", "The cave was full of glow-worms."])
    never_opened = ready_book(user, pages=2)
    context = new_context()
    log_in(context, live_server.url, user)
    page = context.new_page()
    reader = f"{live_server.url}/stories/{opened.pk}/"

    page.goto(reader + "#page-1")
    if not page.evaluate(CONTROLLED):  # installed, but the page loaded before it
        page.reload()
    assert page.evaluate(CONTROLLED), "the service worker does not control the page"
    # Loaded again under the worker: this is the visit that stores the book.
    page.reload()
    expect(page.locator("#page-1 .page-text")).to_have_text("Mia packed a torch.")
    page.wait_for_function(STORED, arg=f"/stories/{opened.pk}/")

    context.set_offline(True)
    page.reload()
    expect(page.locator("#page-1 .page-text")).to_have_text("Mia packed a torch.")
    picture = page.locator("#page-1 .page-picture img")
    expect(picture).to_be_visible()
    page.wait_for_function("img => img.complete", arg=picture.element_handle())
    assert picture.evaluate("img => img.naturalWidth") > 0, "the picture was not kept for offline reading"
    styled = "() => [...document.styleSheets].some((sheet) => (sheet.href || '').endsWith('/reader.css'))"
    assert page.evaluate(styled), "the reader is not styled offline"
    # ...and not only because the browser's own cache happened to keep the file.
    assert page.evaluate(KEPT, "/static/css/reader.css"), "the service worker did not keep the reader's styles"
    # The reader still works: one page at a time, turned with the keyboard.
    page.keyboard.press("ArrowRight")
    expect(page.locator("#page-2 .page-text")).to_have_text("The cave was full of glow-worms.")
    expect(page.locator("#page-1")).to_be_hidden()

    # A book never opened, and any other page, need the connection.
    page.goto(f"{live_server.url}/stories/{never_opened.pk}/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text(never_opened.title)).to_have_count(0)
    page.goto(f"{live_server.url}/characters/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()

    context.set_offline(False)
    page.goto(f"{live_server.url}/stories/{never_opened.pk}/")
    expect(page.locator("#cover-title")).to_have_text(never_opened.title)
