"""The character pages through the test client: every one of them needs a login
and shows only the grown-up's own characters; the gallery, a character's page and
deleting it. Real services."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from characters.models import Character
from storyforge.generation.models import GenerationJob
from tests.characters.pages import html_of, wizard
from tests.factories import (
    CharacterFactory,
    PortraitFactory,
    RelationshipFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# Logging in and other people's characters


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/characters/"),
        ("get", "/characters/new/"),
        ("post", "/characters/new/"),
        ("get", "/characters/{id}/"),
        ("get", "/characters/{id}/delete/"),
        ("get", "/characters/{id}/wizard/1/"),
        ("post", "/characters/{id}/wizard/1/autosave/"),
        ("post", "/characters/{id}/wizard/traits/check/"),
        ("get", "/characters/{id}/preview.png"),
        ("post", "/characters/{id}/portraits/generate/"),
        ("get", "/characters/{id}/portraits/status/?job=1"),
        ("post", "/characters/{id}/portraits/select/"),
        ("post", "/characters/{id}/portraits/upload/"),
    ],
)
def test_every_character_page_asks_to_log_in_first(client, method, path):
    character = CharacterFactory()
    path = path.format(id=character.pk)
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert Character.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/characters/{id}/"),
        ("get", "/characters/{id}/delete/"),
        ("post", "/characters/{id}/delete/"),
        ("get", "/characters/{id}/wizard/1/"),
        ("post", "/characters/{id}/wizard/1/"),
        ("get", "/characters/{id}/wizard/6/"),
        ("post", "/characters/{id}/wizard/1/autosave/"),
        ("post", "/characters/{id}/wizard/traits/check/"),
        ("get", "/characters/{id}/preview.png"),
        ("post", "/characters/{id}/portraits/generate/"),
        ("post", "/characters/{id}/portraits/upload/"),
    ],
)
def test_another_users_character_is_not_found(user_client, method, path):
    theirs = CharacterFactory(name="Theirs")
    response = getattr(user_client, method)(path.format(id=theirs.pk), {"name": "Mine now"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs" and Character.objects.filter(pk=theirs.pk).exists()
    assert not GenerationJob.objects.exists()


# The gallery


def test_the_gallery_shows_ready_characters_and_drafts_apart(user_client):
    CharacterFactory(owner=user_client.user, name="Mia")
    PortraitFactory(character=CharacterFactory(owner=user_client.user, name="Leo"), is_selected=True)
    leo = Character.objects.get(name="Leo")
    leo.selected_portrait = leo.portraits.get()
    leo.save()
    CharacterFactory(owner=user_client.user, draft=True)
    CharacterFactory(name="Not mine")
    html = html_of(user_client.get("/characters/"))
    ready, drafts = html.split('id="drafts-heading"')
    assert "Mia" in ready and "Leo" in ready and 'alt="Portrait of Leo"' in ready
    assert "Unnamed character" in drafts and "Resume" in drafts
    assert "Not mine" not in html


def test_the_gallery_searches_by_name_and_filters_by_kind_and_status(user_client):
    CharacterFactory(owner=user_client.user, name="Mia", kind="child")
    CharacterFactory(owner=user_client.user, name="Rex", kind="dragon")
    CharacterFactory(owner=user_client.user, name="Mina", kind="child", status="draft")

    def names_shown(query):
        # Names as the gallery shows them, alone in an element: the header may show the
        # grown-up's own (random) first name, which can be "Mia" too.
        html = html_of(user_client.get(f"/characters/?{query}"))
        return [name for name in ("Mia", "Rex", "Mina") if re.search(rf">\s*{name}\s*<", html)]

    assert names_shown("q=mi") == ["Mia", "Mina"]
    assert names_shown("kind=dragon") == ["Rex"]
    assert names_shown("status=draft") == ["Mina"]
    assert names_shown("status=ready&kind=child") == ["Mia"]
    assert "No characters match" in html_of(user_client.get("/characters/?q=zzz"))


def test_with_htmx_the_gallery_answers_only_its_results(user_client):
    CharacterFactory(owner=user_client.user, name="Mia")
    html = html_of(user_client.get("/characters/?q=mi", headers={"HX-Request": "true"}))
    assert html.lstrip().startswith('<div id="gallery-results"') and "Mia" in html


def test_an_empty_gallery_invites_to_create_the_first_character(user_client):
    html = html_of(user_client.get("/characters/"))
    assert "Create your first character" in html and 'href="/characters/new/"' in html


def _queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_gallery_costs_the_same_queries_for_3_and_30_characters(user_client):
    def add(count):
        for _ in range(count):
            character = CharacterFactory(owner=user_client.user)
            portrait = PortraitFactory(character=character, is_selected=True)
            Character.objects.filter(pk=character.pk).update(selected_portrait=portrait)
            CharacterFactory(owner=user_client.user, draft=True)

    add(3)
    few = _queries_for(user_client, "/characters/")
    add(27)
    assert _queries_for(user_client, "/characters/") == few


def test_the_gallery_is_paged_and_keeps_its_filters(client):
    from characters.views.gallery import GALLERY_PAGE

    user = UserFactory()
    for number in range(GALLERY_PAGE + 2):
        CharacterFactory(owner=user, name=f"Robot {number:03}", kind="robot")
    client.force_login(user)
    first = client.get("/characters/?kind=robot").content.decode()
    assert f"({GALLERY_PAGE + 2})" in first and "Page 1 of 2" in first
    assert first.count('class="character-card"') == GALLERY_PAGE
    assert "?kind=robot&amp;page=2" in first
    second = client.get("/characters/?kind=robot&page=2").content.decode()
    assert second.count('class="character-card"') == 2


# The character page and deleting


def test_the_character_page_phrases_relationships_from_both_sides(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    leo = CharacterFactory(owner=user_client.user, name="Leo")
    grandma = CharacterFactory(owner=user_client.user, name="Grandma", kind="grown-up")
    RelationshipFactory(from_character=mia, to_character=leo, kind="sibling", note="big sister")
    RelationshipFactory(from_character=grandma, to_character=leo, kind="grandparent")
    mia_page = html_of(user_client.get(f"/characters/{mia.pk}/"))
    leo_page = html_of(user_client.get(f"/characters/{leo.pk}/"))
    assert re.search(r"Mia is <a [^>]+>Leo</a>’s sibling <span class=\"muted\">\(big sister\)", mia_page)
    assert re.search(r"Leo is <a [^>]+>Mia</a>’s sibling", leo_page)
    assert re.search(r"Leo is <a [^>]+>Grandma</a>’s grandchild", leo_page)


def test_the_character_page_shows_everything_with_actions_and_breadcrumbs(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia", traits=["brave"], custom_traits=["loves maps"])
    story = StoryFactory(owner=user_client.user, title="The Puddle Expedition")
    StoryCharacterFactory(story=story, character=mia)
    html = html_of(user_client.get(f"/characters/{mia.pk}/"))
    for text in (
        "#trait-brave",
        "#trait-own",
        "Brave",
        "loves maps",
        "a yellow raincoat",
        "puddles and dinosaurs",
        "The Puddle Expedition",
    ):
        assert text in html
    assert f'href="/stories/new/?characters={mia.pk}">New story with Mia' in html
    assert f'href="/characters/{mia.pk}/delete/"' in html and f'href="{wizard(mia, 1)}"' in html
    assert re.search(r'<a href="/characters/">Characters</a>.*aria-current="page">Mia<', html, re.S)


def test_the_character_page_costs_the_same_queries_for_3_and_30_relationships_and_stories(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia")

    def add(count):
        for index in range(count):
            other = CharacterFactory(owner=user_client.user)
            if index % 2:
                RelationshipFactory(from_character=mia, to_character=other)
            else:
                RelationshipFactory(from_character=other, to_character=mia, kind="parent")
            StoryCharacterFactory(story=StoryFactory(owner=user_client.user), character=mia)

    add(3)
    few = _queries_for(user_client, f"/characters/{mia.pk}/")
    add(27)
    assert _queries_for(user_client, f"/characters/{mia.pk}/") == few


def test_deleting_asks_first_then_deletes(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    confirm = html_of(user_client.get(f"/characters/{mia.pk}/delete/"))
    assert "Delete Mia?" in confirm and Character.objects.filter(pk=mia.pk).exists()
    response = user_client.post(f"/characters/{mia.pk}/delete/")
    assert response["Location"] == "/characters/"
    assert not Character.objects.filter(pk=mia.pk).exists()
    assert "Mia was deleted." in html_of(user_client.get("/characters/"))
