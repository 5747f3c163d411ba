"""A new grown-up's first book, in a real browser against a live server and a real
worker: sign up, make a character with the wizard (leaving half-way and coming
back), ask for a story, watch it being made, read it, change a page, download it.

On the way, the browser asks nothing of any other machine (no CDN, no web fonts)
and reports no Content Security Policy violation."""

import re

import pytest
from playwright.sync_api import expect

from characters.models import Character
from stories.models import Page, Story
from tests.e2e.conftest import DESKTOP, Watch

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

GENERATION_TIMEOUT = 60_000  # ms: the worker drawing portraits, writing and illustrating a book


def test_a_new_grown_up_makes_reads_edits_and_downloads_a_book(live_app, new_context):
    context = new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    watch = Watch(page)

    # Sign up.
    page.goto(live_app + "/accounts/signup/")
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Email").fill("robin@example.com")
    page.get_by_label("Password").fill("paper-boats-42")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Hello, robin")).to_be_visible()
    expect(page.get_by_text("Welcome to StoryForge!")).to_be_visible()

    # The wizard: basics, then personality.
    page.get_by_role("link", name="New character").first.click()
    page.get_by_role("button", name="Start a new character").click()
    expect(page.get_by_role("heading", name="Step 1 of 6: Basics")).to_be_visible()
    page.get_by_label("Name").fill("Pip")
    page.get_by_label("What kind of character").select_option("dragon")
    page.get_by_label("Age (optional)").fill("5")
    page.get_by_label("Pronouns").select_option("she/her")
    page.get_by_role("button", name="Next: Personality").click()

    expect(page.get_by_role("heading", name="Step 2 of 6: Personality")).to_be_visible()
    for key in ("brave", "curious"):
        page.locator(f"label[for='trait-{key}']").click()
        expect(page.locator(f"#trait-{key}")).to_be_checked()
    # Autosave keeps what was picked: the grown-up leaves without pressing Next.
    with page.expect_response(lambda r: "/autosave/" in r.url and "loves maps" in (r.request.post_data or "")) as saved:
        page.get_by_label("Your own trait 1").press_sequentially("loves maps")
        expect(page.locator("#traits-count")).to_have_text("3 of 5 chosen")  # the live check
    assert saved.value.status == 204
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at")
    page.goto(live_app + "/")

    # Back later: the dashboard offers the draft, and everything typed is still there.
    page.get_by_role("link", name="Resume Pip").click()
    expect(page.get_by_label("Name")).to_have_value("Pip")
    expect(page.get_by_label("What kind of character")).to_have_value("dragon")
    expect(page.get_by_label("Age (optional)")).to_have_value("5")
    page.get_by_role("button", name="Next: Personality").click()
    expect(page.locator("#trait-brave")).to_be_checked()
    expect(page.locator("#trait-curious")).to_be_checked()
    expect(page.locator("#trait-shy")).not_to_be_checked()
    expect(page.get_by_label("Your own trait 1")).to_have_value("loves maps")
    page.get_by_role("button", name="Next: Appearance").click()

    # Appearance: each swatch redraws the sketch.
    expect(page.get_by_role("heading", name="Step 3 of 6: Appearance")).to_be_visible()
    preview = page.locator("#look-preview")
    for name, key in (("hair_colour", "black"), ("eye_colour", "green"), ("skin_tone", "warm-beige")):
        before = preview.get_attribute("src")
        page.locator(f"label[for='{name}-{key}']").click()
        expect(preview).not_to_have_attribute("src", before)
        expect(preview).to_have_attribute("src", re.compile(rf"{name}={key}"))
    page.wait_for_function("() => document.querySelector('#look-preview').complete")
    assert preview.evaluate("img => img.naturalWidth") > 0, "the sketch did not load"
    page.get_by_label("Clothing").fill("a green raincoat")
    page.get_by_role("button", name="Next: Story background").click()

    expect(page.get_by_role("heading", name="Step 4 of 6: Story background")).to_be_visible()
    page.get_by_label("Backstory").fill("Pip lives in a lighthouse and collects maps.")
    page.get_by_label("Likes").fill("maps, waves and pancakes")
    page.get_by_role("button", name="Next: Portrait").click()

    # Portrait: the worker draws candidates while the area polls; pick one.
    expect(page.get_by_role("heading", name="Step 5 of 6: Portrait")).to_be_visible()
    page.get_by_role("button", name="Generate portraits").click()
    expect(page.get_by_text("New portraits are ready: pick the one you like.")).to_be_visible(
        timeout=GENERATION_TIMEOUT
    )
    expect(page.locator("#portrait-announce")).to_have_text("New portraits are ready.")  # for screen readers
    candidates = page.locator(".portrait-choices img")
    expect(candidates.first).to_be_visible()
    assert candidates.count() >= 2
    page.locator(".portrait-choices label").nth(1).click()
    page.get_by_role("button", name="Use this portrait").click()
    expect(page.get_by_text("Portrait chosen.")).to_be_visible()
    expect(page.locator(".portrait-choices li").nth(1).get_by_text("Current portrait")).to_be_visible()
    page.get_by_role("button", name="Next: Review").click()

    # Review, then confirm.
    expect(page.get_by_role("heading", name="Step 6 of 6: Review")).to_be_visible()
    expect(page.get_by_text("Pip lives in a lighthouse and collects maps.")).to_be_visible()
    page.get_by_role("button", name="Confirm: Pip is ready").click()
    expect(page.get_by_text("Pip is ready to star in stories.")).to_be_visible()
    pip = Character.objects.get(name="Pip")
    assert pip.status == Character.Status.READY
    assert sorted(pip.traits) == ["brave", "curious"] and pip.custom_traits == ["loves maps"]
    assert (pip.hair_colour, pip.eye_colour, pip.skin_tone) == ("black", "green", "warm-beige")
    assert pip.selected_portrait is not None

    # The story studio, and the book being made.
    page.goto(live_app + "/stories/new/")
    page.get_by_role("group", name="Pip", exact=True).get_by_label("Main character").check()
    page.get_by_label("Pages").fill("3")
    page.get_by_role("button", name="Create story").click()
    expect(page).to_have_url(re.compile(r"/stories/\d+/progress/$"))
    expect(page.get_by_text("The book is ready.")).to_be_visible(timeout=GENERATION_TIMEOUT)
    story = Story.objects.get(owner__username="robin")
    assert story.status == Story.Status.READY and story.pages.count() == 3
    page.get_by_role("link", name="Read the book").click()

    # Reading: one page at a time, with the links and the keyboard.
    expect(page).to_have_url(re.compile(rf"/stories/{story.pk}/"))
    expect(page.locator("#cover")).to_be_visible()
    expect(page.locator("#page-1")).to_be_hidden()
    page.get_by_role("link", name="Start reading").click()
    first = story.pages.get(number=1)
    expect(page.locator("#page-1")).to_be_visible()
    expect(page.locator("#page-1 .page-text")).to_have_text(first.text.strip())
    expect(page.locator("#cover")).to_be_hidden()
    page.get_by_role("link", name="Next", exact=True).click()
    expect(page.locator("#page-2")).to_be_visible()
    expect(page.locator("#page-1")).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#page-3")).to_be_visible()
    expect(page.locator("#page-2")).to_be_hidden()
    expect(page.locator("[data-page-counter]")).to_have_text("Page 3 of 3")
    expect(page).to_have_url(re.compile(r"#page-3$"))

    # Editing page 3's text in place.
    new_text = "Pip folded the last map into a paper boat and sailed it home."
    page.get_by_text("Change page 3").click()
    page.locator("#page-3").get_by_role("link", name="Edit text").click()
    box = page.get_by_label("Text of page 3")
    expect(box).to_be_visible()
    box.fill(new_text)
    page.locator("#page-3").get_by_role("button", name="Save").click()
    expect(page.locator("#page-3 .page-text")).to_have_text(new_text)
    expect(page.locator("#page-3").get_by_text("Saved.")).to_be_visible()
    assert Page.objects.get(story=story, number=3).text == new_text
    page.reload()
    expect(page.locator("#page-3 .page-text")).to_have_text(new_text)

    # Keeping it: the PDF download.
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    assert watch.requests, "no request was recorded"
    assert not watch.foreign_requests(), f"requests left the machine: {watch.foreign_requests()}"
    assert not watch.csp_messages(), f"Content Security Policy violations: {watch.csp_messages()}"
    assert not watch.errors, f"script errors: {watch.errors}"
