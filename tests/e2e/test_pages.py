"""Every main page at a phone's width (360 px) and a desktop's (1280 px): nothing
scrolls sideways, axe-core finds no serious or critical accessibility problem, and
the page loads nothing from another machine and breaks no rule of its Content
Security Policy."""

import pytest

from characters.models import Character
from stories.models import Story
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    Watch,
    axe_serious_violations,
    horizontal_overflow,
    log_in,
    ready_book,
)
from tests.factories import (
    CharacterFactory,
    IllustrationFactory,
    PageFactory,
    PortraitFactory,
    SeriesFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def library():
    """A grown-up with two characters (one with a portrait), a draft, a finished
    book in a series, and a book that failed half-way; the addresses of their pages."""
    user = UserFactory(first_name="Sam")
    mia = CharacterFactory(owner=user, name="Mia", backstory="Mia lives by the sea with her grandad.")
    portrait = PortraitFactory(character=mia, is_selected=True)
    mia.selected_portrait = portrait
    mia.save()
    CharacterFactory(owner=user, name="Leo", kind="animal")
    draft = CharacterFactory(owner=user, name="Pip", status=Character.Status.DRAFT, traits=["shy"])
    book = ready_book(user, pages=3, series=SeriesFactory(owner=user, title="Mia by the sea"), series_position=1)
    failed = StoryFactory(owner=user, failed=True, title="The Lost Kite", page_count=3)
    StoryCharacterFactory(story=failed, character=mia)
    drawn = PageFactory(story=failed)
    drawn.selected_illustration = IllustrationFactory(page=drawn, is_selected=True)
    drawn.save()
    PageFactory(story=failed)  # written, not drawn
    assert book.status == Story.Status.READY
    pages = {
        "dashboard": "/",
        "characters gallery": "/characters/",
        "character page": f"/characters/{mia.pk}/",
        "wizard step 2": f"/characters/{draft.pk}/wizard/2/",
        "wizard step 3": f"/characters/{draft.pk}/wizard/3/",
        "story studio": "/stories/new/",
        "progress": f"/stories/{failed.pk}/progress/",
        "reader": f"/stories/{book.pk}/",
        "series list": "/series/",
        "settings": "/accounts/",
    }
    return user, pages


PUBLIC_PAGES = {"landing": "/", "signup": "/accounts/signup/", "login": "/accounts/login/"}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_fits_the_screen_and_has_no_serious_accessibility_problem(live_server, new_context, viewport):
    user, private_pages = library()
    visitor = new_context(viewport=viewport)
    grown_up = new_context(viewport=viewport)
    log_in(grown_up, live_server.url, user)
    problems = {}
    for context, pages in ((visitor, PUBLIC_PAGES), (grown_up, private_pages)):
        page = context.new_page()
        watch = Watch(page)
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.ok, f"{name} ({path}) answered {response.status}"
            page.wait_for_load_state("load")
            overflow = horizontal_overflow(page)
            violations = axe_serious_violations(page)
            if overflow > 0 or violations:
                problems[f"{name} ({path})"] = {"overflow_px": overflow, "axe": violations}
        page.close()
        assert not watch.foreign_requests(), f"requests left the machine: {watch.foreign_requests()}"
        assert not watch.csp_messages(), f"Content Security Policy violations: {watch.csp_messages()}"
        assert not watch.errors, f"script errors: {watch.errors}"
    assert not problems, f"at {viewport['width']} px: {problems}"
