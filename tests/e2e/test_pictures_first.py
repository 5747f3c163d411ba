"""Pictures first, in Chromium: the pages in the states people meet them (just
signed up, with a flash message, empty, full, a page of covers further on, a cast
half chosen) have no serious accessibility problem and fit a phone; the trait icons
draw without an emoji font; the cast picker works from the keyboard alone."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from characters import catalogue
from stories.models import Story
from stories.views.gallery import GALLERY_PAGE
from tests.e2e.conftest import DESKTOP, PHONE, Watch, axe_serious_violations, horizontal_overflow, log_in, ready_book
from tests.factories import CharacterFactory, PortraitFactory, RelationshipFactory, StoryFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ACCENT = "rgb(180, 68, 28)"  # --accent in static/css/site.css


class Checked:
    """Each state of a page: nothing sideways at this width, nothing serious for axe."""

    def __init__(self, page):
        self.page = page
        self.problems: dict[str, dict] = {}

    def look(self, state: str) -> None:
        self.page.wait_for_load_state("load")
        overflow = horizontal_overflow(self.page)
        violations = axe_serious_violations(self.page)
        if overflow > 0 or violations:
            self.problems[state] = {"url": self.page.url, "overflow_px": overflow, "axe": violations}

    def visit(self, base: str, path: str, state: str) -> None:
        response = self.page.goto(base + path)
        assert response.ok, f"{state} ({path}) answered {response.status}"
        self.look(state)


def with_portrait(owner, name, **fields):
    character = CharacterFactory(owner=owner, name=name, **fields)
    character.selected_portrait = PortraitFactory(character=character, is_selected=True)
    character.save()
    return character


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pages_in_the_states_people_meet_them_have_no_serious_accessibility_problem(live_server, new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    watch = Watch(page)
    checked = Checked(page)
    base = live_server.url

    # Just signed up: the dashboard greets with a flash message, and everything is empty.
    page.goto(base + "/accounts/signup/")
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Email").fill("robin@example.com")
    page.get_by_label("Password").fill("paper-boats-42")
    page.get_by_role("button", name="Create my account").click()
    welcome = page.get_by_role("status").get_by_role("listitem")
    expect(welcome).to_have_text("Welcome to StoryForge! Start by creating a character.")
    checked.look("dashboard right after sign-up, with its flash message")
    for path, state in (
        ("/characters/", "character gallery, empty"),
        ("/stories/", "story gallery, empty"),
        ("/stories/new/", "story studio without characters"),
    ):
        checked.visit(base, path, state)

    # A family's library: characters with and without portraits, relationships,
    # drafts, and more books than one page of covers holds.
    robin = get_user_model().objects.get(username="robin")
    ruby = with_portrait(robin, "Ruby", traits=["brave", "kind"], custom_traits=["loves maps"])
    leo = with_portrait(robin, "Leo")
    pip = CharacterFactory(owner=robin, name="Pip", kind="dragon")
    RelationshipFactory(from_character=ruby, to_character=leo, kind="sibling", note="big sister")
    RelationshipFactory(from_character=pip, to_character=ruby, kind="best-friend")
    draft = CharacterFactory(owner=robin, name="Half-made", draft=True, traits=[])
    ready_book(robin, pages=2, title="The Lantern Cave")  # starring a "Mia"
    for number in range(GALLERY_PAGE):
        StoryFactory(owner=robin, title=f"Bedtime book {number}", status=Story.Status.READY)
    StoryFactory(owner=robin, title="Still being written", status=Story.Status.QUEUED)

    for path, state in (
        ("/", "dashboard with books and characters"),
        ("/characters/", "character gallery with portraits, placeholders and a draft"),
        (f"/characters/{ruby.pk}/", "character page with traits and relationships"),
        (f"/characters/{ruby.pk}/wizard/2/", "personality step with trait icons"),
        (f"/characters/{ruby.pk}/wizard/4/", "background step with relationships"),
        (f"/characters/{ruby.pk}/wizard/6/", "review step"),
        (f"/characters/{draft.pk}/wizard/2/", "personality step of a draft with no trait yet"),
        ("/stories/", "story gallery, first page of covers"),
        ("/stories/?page=2", "story gallery, second page of covers"),
        ("/stories/?q=nothing-like-this", "story gallery, nothing found"),
        ("/stories/new/", "story studio with cast cards"),
    ):
        checked.visit(base, path, state)

    # A cast half chosen, and a brief sent back with an error beside it.
    page.get_by_role("group", name="Ruby", exact=True).get_by_label("Main character").check()
    checked.look("story studio with a character chosen")
    page.get_by_label("Pages").fill("99")
    page.get_by_role("button", name="Create story").click()
    expect(page.get_by_role("group", name="Ruby", exact=True).get_by_label("Main character")).to_be_checked()
    checked.look("story studio sent back with an error")

    # Flash messages after other actions: a character deleted, preferences saved.
    page.goto(base + f"/characters/{pip.pk}/delete/")
    page.get_by_role("button", name="Delete Pip").click()
    expect(page.get_by_role("status").get_by_role("listitem")).to_have_text("Pip was deleted.")
    checked.look("character gallery after deleting, with its flash message")
    page.goto(base + "/accounts/")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status").get_by_role("listitem")).to_have_text("Your preferences are saved.")
    checked.look("settings after saving, with its flash message")

    assert not checked.problems, f"at {viewport['width']} px: {checked.problems}"
    assert not watch.foreign_requests() and not watch.csp_messages() and not watch.errors


def test_the_trait_icons_are_drawn_without_an_emoji_font(live_server, new_context):
    from PIL import Image

    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia", traits=["brave"], custom_traits=["loves maps"])
    context = new_context()
    log_in(context, live_server.url, user)
    page = context.new_page()
    sprite = []
    page.on("response", lambda response: "/icons/traits.svg" in response.url and sprite.append(response.status))
    page.goto(live_server.url + f"/characters/{mia.pk}/wizard/2/")
    icons = page.locator(".trait-card svg.trait-icon")
    expect(icons).to_have_count(len(catalogue.TRAITS))
    assert sprite and set(sprite) == {200}
    for index in range(len(catalogue.TRAITS)):
        drawn = (
            icons.nth(index)
            .locator("use")
            .evaluate("use => ({width: use.getBBox().width, height: use.getBBox().height})")
        )
        assert drawn["width"] > 10 and drawn["height"] > 10, catalogue.TRAITS[index].key
    # The icon's pixels: colour, not an empty box or a blank square.
    shot = Image.open(io.BytesIO(page.locator("label[for='trait-brave'] svg").screenshot())).convert("RGB")
    assert len(shot.getcolors(maxcolors=1 << 16)) > 8
    text = page.locator("main").inner_text()
    assert not [trait.key for trait in catalogue.TRAITS if trait.icon in text]

    page.goto(live_server.url + f"/characters/{mia.pk}/")
    uses = page.locator(".trait-list svg.trait-icon use")
    expect(uses).to_have_count(2)  # brave, and the pencil for the grown-up's own words
    assert all(uses.nth(i).evaluate("use => use.getBBox().width") > 10 for i in range(2))


def test_the_cast_picker_is_used_from_the_keyboard_alone(live_server, new_context):
    user = UserFactory()
    ids = {name: with_portrait(user, name).pk for name in ("Mia", "Leo")}
    context = new_context()
    log_in(context, live_server.url, user)
    page = context.new_page()
    page.goto(live_server.url + "/stories/new/")
    first, second = page.locator(".cast-name").all_inner_texts()  # most recently changed first
    cards = {name: page.get_by_role("group", name=name, exact=True) for name in (first, second)}
    expect(cards[first].locator("img")).to_have_attribute("alt", "")  # the name says who it is

    # Tab reaches the first card's roles from the budget line; arrows choose within a card.
    page.locator("#budget").click()
    page.keyboard.press("Tab")
    expect(cards[first].get_by_label("Not in this story")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(cards[first].get_by_label("Main character")).to_be_checked()
    page.keyboard.press("Tab")
    expect(cards[second].get_by_label("Not in this story")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    supporting = cards[second].get_by_label("Supporting character")
    expect(supporting).to_be_checked()
    focus_ring = supporting.evaluate("input => getComputedStyle(input.labels[0]).outlineStyle")
    assert focus_ring == "solid", "the focused role shows no focus ring"
    # A chosen character's card is marked; one left out is not.
    assert cards[first].evaluate("card => getComputedStyle(card).borderTopColor") == ACCENT
    page.keyboard.press("ArrowDown")  # round to "Not in this story" again
    expect(cards[second].get_by_label("Not in this story")).to_be_checked()
    assert cards[second].evaluate("card => getComputedStyle(card).borderTopColor") != ACCENT
    page.keyboard.press("ArrowUp")
    expect(supporting).to_be_checked()

    page.get_by_label("Pages").fill("3")
    page.get_by_label("Pages").press("Enter")
    expect(page).to_have_url(re.compile(r"/stories/\d+/progress/$"))
    story = Story.objects.get(owner=user)
    cast = {(role.character_id, role.role) for role in story.cast.all()}
    assert cast == {(ids[first], "main"), (ids[second], "supporting")}
