"""The story studio's cast picker: each ready character is a card with their portrait,
and their role is a set of real radio buttons (not a drop-down) that post the same
`role_<id>` field the studio always read."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stories.models import Story
from storyforge.core.private_media import media_url
from tests.factories import CharacterFactory, PortraitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    client.user = UserFactory()
    client.force_login(client.user)
    return client


def with_portrait(owner, name):
    character = CharacterFactory(owner=owner, name=name)
    character.selected_portrait = PortraitFactory(character=character, is_selected=True)
    character.save()
    return character


def card_of(html: str, character) -> str:
    match = re.search(
        rf'<li class="cast-card">\s*<fieldset>(?:(?!</fieldset>).)*name="role_{character.pk}".*?</fieldset>', html, re.S
    )
    assert match, f"no card for {character.name}"
    return match.group(0)


def checked_role(card: str) -> str:
    return re.search(r'<input type="radio" name="role_\d+" value="([a-z]*)"[^>]* checked>', card).group(1)


def test_each_ready_character_is_a_card_with_their_portrait_and_a_radio_for_each_role(user_client):
    mia = with_portrait(user_client.user, "Mia")
    leo = CharacterFactory(owner=user_client.user, name="Leo")
    CharacterFactory(owner=user_client.user, name="Half-made", draft=True)
    html = user_client.get("/stories/new/").content.decode()
    assert "<select" not in card_of(html, mia) and "Half-made" not in html
    mia_card = card_of(html, mia)
    assert f'src="{media_url(mia.selected_portrait.image)}" alt=""' in mia_card
    assert '<span class="cast-name">Mia</span>' in mia_card
    labels = re.findall(r'<label for="id_role_\d+_\d">([^<]+)</label>', mia_card)
    assert labels == ["Not in this story", "Main character", "Supporting character"]
    assert checked_role(mia_card) == ""  # nobody is in the story until the grown-up says so
    assert 'aria-hidden="true">L</span>' in card_of(html, leo)  # no portrait yet: an initial


def test_a_link_from_a_character_page_starts_with_that_character_as_the_main_one(user_client):
    mia = with_portrait(user_client.user, "Mia")
    leo = with_portrait(user_client.user, "Leo")
    html = user_client.get(f"/stories/new/?characters={leo.pk},{mia.pk}").content.decode()
    assert checked_role(card_of(html, leo)) == "main" and checked_role(card_of(html, mia)) == "supporting"


def test_the_chosen_cards_make_the_cast_and_a_wrong_post_keeps_the_choice(user_client):
    mia = with_portrait(user_client.user, "Mia")
    leo = with_portrait(user_client.user, "Leo")
    brief = {
        f"role_{mia.pk}": "supporting",
        f"role_{leo.pk}": "main",
        "age_group": "3-5",
        "page_count": 3,
        "tone": "gentle",
        "language": "en",
        "art_style": "watercolour",
    }
    refused = user_client.post("/stories/new/", {**brief, f"role_{mia.pk}": "villain", "page_count": 99})
    assert refused.status_code == 400 and not Story.objects.exists()
    assert checked_role(card_of(refused.content.decode(), leo)) == "main"
    response = user_client.post("/stories/new/", brief)
    story = Story.objects.get(owner=user_client.user)
    assert response.status_code == 302
    assert {(role.character.name, role.role) for role in story.cast.all()} == {("Mia", "supporting"), ("Leo", "main")}


def test_the_studio_costs_the_same_queries_for_one_character_or_many(user_client):
    with_portrait(user_client.user, "Mia")

    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            assert user_client.get("/stories/new/").status_code == 200
        return len(done.captured_queries)

    few = queries()
    for number in range(6):
        with_portrait(user_client.user, f"Friend {number}")
    assert queries() == few
