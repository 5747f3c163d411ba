"""Pictures first on the character pages: portraits in the gallery and beside each
relationship, and the trait cards' icons drawn from the app's own SVG sprite rather
than emoji (which need a font many machines lack)."""

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from characters import catalogue
from storyforge.core.private_media import media_url
from tests.characters.pages import html_of, wizard
from tests.factories import CharacterFactory, PortraitFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

SPRITE = Path(settings.BASE_DIR) / "static" / "icons" / "traits.svg"
SVG = "{http://www.w3.org/2000/svg}"


def with_portrait(**fields):
    character = CharacterFactory(**fields)
    character.selected_portrait = PortraitFactory(character=character, is_selected=True)
    character.save()
    return character


# Portraits


def test_the_gallery_shows_each_characters_portrait_and_an_initial_for_one_without(user_client):
    mia = with_portrait(owner=user_client.user, name="Mia")
    CharacterFactory(owner=user_client.user, name="Leo", kind="animal")
    html = html_of(user_client.get("/characters/"))
    assert f'src="{media_url(mia.selected_portrait.image)}" alt="Portrait of Mia"' in html
    assert re.search(r'<span class="portrait portrait-placeholder kind-animal" aria-hidden="true">L</span>', html)


def test_each_relationship_shows_the_other_characters_portrait(user_client):
    mia = with_portrait(owner=user_client.user, name="Mia")
    leo = with_portrait(owner=user_client.user, name="Leo")
    pip = CharacterFactory(owner=user_client.user, name="Pip", kind="dragon")
    RelationshipFactory(from_character=mia, to_character=leo, kind="sibling")
    RelationshipFactory(from_character=pip, to_character=mia, kind="best-friend")
    for page in (f"/characters/{mia.pk}/", wizard(mia, 4), wizard(mia, 6)):
        html = html_of(user_client.get(page))
        leo_picture = f'<img class="portrait portrait-small" src="{media_url(leo.selected_portrait.image)}" alt=""'
        assert leo_picture in html, page
        assert (
            '<span class="portrait portrait-placeholder portrait-small kind-dragon" aria-hidden="true">P</span>' in html
        )


def test_the_character_page_costs_the_same_queries_for_one_relationship_or_many(user_client):
    mia = with_portrait(owner=user_client.user, name="Mia")
    RelationshipFactory(from_character=mia, to_character=with_portrait(owner=user_client.user))

    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            assert user_client.get(f"/characters/{mia.pk}/").status_code == 200
        return len(done.captured_queries)

    few = queries()
    for _ in range(5):
        RelationshipFactory(from_character=with_portrait(owner=user_client.user), to_character=mia)
    assert queries() == few


# Trait icons


def sprite_symbols() -> set[str]:
    root = ElementTree.parse(SPRITE).getroot()
    return {symbol.get("id") for symbol in root.iter(f"{SVG}symbol")}


def test_the_sprite_has_a_picture_for_every_trait_and_for_a_trait_in_own_words():
    symbols = sprite_symbols()
    assert {trait.symbol for trait in catalogue.TRAITS} <= symbols
    assert "trait-own" in symbols
    for symbol in ElementTree.parse(SPRITE).getroot().iter(f"{SVG}symbol"):
        assert symbol.get("viewBox") == "0 0 24 24" and len(symbol) > 0, symbol.get("id")


def test_the_personality_step_draws_every_trait_card_from_the_sprite_not_an_emoji(user_client, draft):
    html = html_of(user_client.get(wizard(draft, 2)))
    for trait in catalogue.TRAITS:
        assert re.search(rf'<use href="[^"]*/icons/traits\.svg#trait-{trait.key}">', html), trait.key
        assert trait.icon not in html, f"the emoji of {trait.key} is on the page"


def test_the_character_page_and_review_draw_chosen_and_own_traits_from_the_sprite(user_client):
    mia = CharacterFactory(owner=user_client.user, traits=["brave", "kind"], custom_traits=["loves maps"])
    for page in (f"/characters/{mia.pk}/", wizard(mia, 6)):
        html = html_of(user_client.get(page))
        uses = re.findall(r'<use href="[^"]*/icons/traits\.svg#([a-z-]+)">', html)
        assert uses == ["trait-brave", "trait-kind", "trait-own"], page
        assert not any(catalogue.TRAITS_BY_KEY[key].icon in html for key in ("brave", "kind")) and "✏️" not in html


def test_the_api_still_gives_each_trait_its_emoji_for_clients_that_show_it(user_client):
    mia = CharacterFactory(owner=user_client.user, traits=["brave"])
    body = user_client.get(f"/api/v1/characters/{mia.pk}/").json()
    assert [(trait["key"], trait["icon"]) for trait in body["traits"]] == [("brave", "🦁")]
