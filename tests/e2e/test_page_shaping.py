"""Shaping a finished book in the browser, and stopping one being made: adding pages
(blank, and written and drawn by a real worker), removing one after confirming,
reordering with the keyboard's Move buttons and by dragging, undoing a text
change, and the studio's Stop button; axe finds nothing serious in those states."""

import pytest

from stories.models import Page, Story
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.generation.models import GenerationJob
from tests.e2e.conftest import Watch, axe_serious_violations, log_in, ready_book
from tests.factories import CharacterFactory, StoryCharacterFactory, StoryFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TEXTS = ["Mia finds a map.", "Mia crosses the river.", "Mia reaches the hill."]


def texts(story) -> list[str]:
    return list(Page.objects.filter(story=story).order_by("number").values_list("text", flat=True))


def open_book(live_server, new_context, pages: int = 3):
    from playwright.sync_api import expect

    user = UserFactory(first_name="Sam")
    story = ready_book(user, pages=pages, texts=TEXTS[:pages])
    context = new_context()
    log_in(context, live_server.url, user)
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{live_server.url}/stories/{story.pk}/")
    expect(page.locator("[data-drag-hint]")).to_be_visible()  # reader.js ran
    return story, page, watch


def order_labels(page) -> list[str]:
    return page.locator("[data-page-order] li .page-order-label strong").all_inner_texts()


def test_pages_move_with_the_keyboard_and_by_dragging(live_server, new_context):
    from playwright.sync_api import expect

    story, page, watch = open_book(live_server, new_context)
    move_later = page.get_by_role("button", name="Move later (page 1)")
    move_later.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Page 1 is now page 2.")).to_be_visible()
    assert texts(story) == [TEXTS[1], TEXTS[0], TEXTS[2]]
    expect(page.locator("[data-page-order] li").first).to_contain_text("Mia crosses the river.")
    assert axe_serious_violations(page) == []

    page.locator("[data-page-order] li[data-page-number='3']").drag_to(
        page.locator("[data-page-order] li[data-page-number='1']"), target_position={"x": 10, "y": 2}
    )
    expect(page.get_by_text("The pages are in their new order.")).to_be_visible()
    assert texts(story) == [TEXTS[2], TEXTS[1], TEXTS[0]]
    # The reader follows: its page 1 is the page that moved there, with its picture.
    page.goto(f"{live_server.url}/stories/{story.pk}/#page-1")
    expect(page.locator("#page-1 .page-text")).to_have_text(TEXTS[2])
    assert watch.errors == [] and watch.csp_messages() == []


def test_a_blank_page_is_added_written_and_removed(live_server, new_context):
    from playwright.sync_api import expect

    story, page, watch = open_book(live_server, new_context)
    page.get_by_label("Add a page").select_option(label="before page 2")
    page.get_by_label("Blank, to write yourself").check()
    page.get_by_role("button", name="Add the page").click()
    expect(page.get_by_text("A blank page 2 is in the book")).to_be_visible()
    editor = page.locator("#page-2 textarea")
    expect(editor).to_be_visible()
    editor.fill("Mia packs a sandwich.")
    page.locator("#page-2").get_by_role("button", name="Save").click()
    expect(page.locator("#page-2 .page-text")).to_have_text("Mia packs a sandwich.")
    assert texts(story) == [TEXTS[0], "Mia packs a sandwich.", TEXTS[1], TEXTS[2]]

    page.goto(f"{live_server.url}/stories/{story.pk}/#page-3")
    page.locator("#page-3-tools > summary").click()
    page.get_by_role("link", name="Remove page 3…").click()
    expect(page.get_by_role("heading", name=f"Remove page 3 of “{story.title}”?")).to_be_visible()
    assert axe_serious_violations(page) == []
    assert len(texts(story)) == 4  # nothing removed before confirming
    page.get_by_role("button", name="Remove page 3").click()
    expect(page.get_by_text("Page 3 was removed")).to_be_visible()
    assert texts(story) == [TEXTS[0], "Mia packs a sandwich.", TEXTS[2]]
    expect(page.locator("[data-page-order] li")).to_have_count(3)
    assert watch.errors == []


def test_undo_brings_back_the_text_before_an_edit(live_server, new_context):
    from playwright.sync_api import expect

    story, page, watch = open_book(live_server, new_context)
    page.goto(f"{live_server.url}/stories/{story.pk}/#page-2")
    page.locator("#page-2-tools > summary").click()
    page.locator("#page-2").get_by_role("link", name="Edit text").click()
    page.locator("#page-2 textarea").fill("Mia swims the river.")
    page.locator("#page-2").get_by_role("button", name="Save").click()
    expect(page.locator("#page-2 .page-text")).to_have_text("Mia swims the river.")

    page.reload()
    page.locator("#page-2-tools > summary").click()
    page.locator("#page-2 .page-history summary").click()
    expect(page.locator("#page-2 .page-history")).to_contain_text(TEXTS[1])
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Undo the last text change of page 2").click()
    expect(page.get_by_text("Page 2 has its earlier text back")).to_be_visible()
    expect(page.locator("#page-2 .page-text")).to_have_text(TEXTS[1])
    assert texts(story)[1] == TEXTS[1]
    assert watch.errors == []


def test_the_ai_writes_and_draws_a_new_page(live_app, new_context):
    from playwright.sync_api import expect

    story, page, watch = open_book_at(live_app, new_context)
    page.get_by_label("Add a page").select_option(label="at the end")
    page.get_by_label("Written for you, with a picture").check()
    page.get_by_role("button", name="Add the page").click()
    expect(page.locator("#page-4-job")).to_contain_text("page 4", timeout=30_000)
    expect(page.locator("#page-4-job")).to_contain_text("is written", timeout=60_000)
    new = Page.objects.get(story=story, number=4)
    assert new.text and new.text not in TEXTS
    # Then the worker draws it: the job the writing asked for.
    for _ in range(120):
        new.refresh_from_db()
        if new.selected_illustration_id:
            break
        page.wait_for_timeout(500)
    # The worker is another process: in production it shares the page cache (Redis) with
    # the web server; the tests' cache is in memory, so its invalidation is done here.
    pagecache_invalidate(story.owner_id)
    page.goto(f"{live_app}/stories/{story.pk}/#page-4")
    expect(page.locator("#page-4 .page-text")).to_have_text(new.text)
    expect(page.locator("#page-4 .page-picture img")).to_be_visible()
    assert watch.errors == []


def open_book_at(base_url, new_context):
    from playwright.sync_api import expect

    user = UserFactory(first_name="Sam")
    story = ready_book(user, pages=3, texts=TEXTS)
    context = new_context()
    log_in(context, base_url, user)
    page = context.new_page()
    page.goto(f"{base_url}/stories/{story.pk}/")
    expect(page.locator("[data-drag-hint]")).to_be_visible()
    return story, page, Watch(page)


def test_stop_in_the_studio_stops_the_book_and_keeps_what_was_made(live_server, new_context):
    from playwright.sync_api import expect

    user = UserFactory(first_name="Sam")
    story = StoryFactory(owner=user, status=Story.Status.GENERATING, page_count=3, pages=3)
    StoryCharacterFactory(story=story, character=CharacterFactory(owner=user, name="Mia"))
    job = GenerationJob.objects.create(owner=user, kind="page_illustration", story=story, idempotency_key="e2e-stop")
    context = new_context()
    log_in(context, live_server.url, user)
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{live_server.url}/stories/{story.pk}/progress/")
    expect(page.get_by_text("Drawing the pictures…")).to_be_visible()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Stop making this book").click()
    expect(page.get_by_text("You stopped this book.").first).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    expect(page.get_by_role("button", name="Stop making this book")).to_have_count(0)
    assert axe_serious_violations(page) == []  # the flash message included
    job.refresh_from_db()
    story.refresh_from_db()
    assert (job.status, story.status, story.error_code) == ("cancelled", "failed", "STORY_CANCELLED")
    assert Page.objects.filter(story=story).count() == 3
    assert watch.errors == [] and watch.csp_messages() == []
