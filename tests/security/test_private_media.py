"""Stored pictures and sounds are private: over real HTTP, their owner (signed in, or
with an API token) gets them, a share link's holder gets a shared book's pictures
while it is shared, and everyone else gets 404. Unsharing cuts the pictures off at
once, revalidation included."""

import re

import httpx
import pytest
from django.test import Client

from accounts.services import api_token_create
from stories import services
from stories.models import Story
from tests.factories import (
    CharacterFactory,
    IllustrationFactory,
    PortraitFactory,
    SentenceClipFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _session(live_server, user) -> httpx.Client:
    """An HTTP client signed in as `user` (the session cookie of a real sign-in)."""
    client = Client()
    client.force_login(user)
    return httpx.Client(base_url=live_server.url, cookies={"sessionid": client.cookies["sessionid"].value})


def _book():
    story = StoryFactory(status=Story.Status.READY, page_count=2, pages=2)
    cast = StoryCharacterFactory(story=story, character__owner=story.owner, character__name="Leo")
    portrait = PortraitFactory(character=cast.character, is_selected=True)
    page = story.pages.get(number=1)
    picture = IllustrationFactory(page=page, is_selected=True)
    page.selected_illustration = picture
    page.save()
    for each in story.pages.all():  # the whole book narrated: the page plays its clips
        each.text = f"Leo ran to page {each.number}."
        each.save()
    clip = SentenceClipFactory(page=page, index=0, text="Leo ran to page 1.")
    SentenceClipFactory(page=story.pages.get(number=2), index=0, text="Leo ran to page 2.")
    return story, portrait, picture, clip


def test_only_the_owner_gets_a_portrait_anyone_else_gets_404(live_server):
    portrait = PortraitFactory()
    owner = portrait.character.owner
    url = f"/media/{portrait.image.name}"

    mine = _session(live_server, owner).get(url)
    assert mine.status_code == 200
    assert mine.content == portrait.image.open("rb").read()
    assert mine.headers["Content-Type"] == "image/png"
    assert mine.headers["Cache-Control"] == "private, max-age=86400"

    assert httpx.get(live_server.url + url).status_code == 404  # not signed in
    assert _session(live_server, UserFactory()).get(url).status_code == 404  # someone else
    assert httpx.get(f"{live_server.url}/media/portraits/../../settings.py").status_code == 404


def test_an_api_client_opens_the_picture_addresses_its_answers_give_it(live_server):
    story, _portrait, picture, _clip = _book()
    _token, key = api_token_create(user=story.owner, name="tablet")
    api = httpx.Client(base_url=live_server.url, headers={"Authorization": f"Token {key}"})

    page = api.get(f"/api/v1/stories/{story.pk}/").json()["pages"][0]
    url = page["selected_illustration"]["url"]
    assert url == f"{live_server.url}/media/{picture.image.name}"
    assert api.get(url).status_code == 200

    _other, other_key = api_token_create(user=UserFactory(), name="x")
    assert httpx.get(url, headers={"Authorization": f"Token {other_key}"}).status_code == 404
    assert httpx.get(url, headers={"Authorization": "Token not-a-key"}).status_code == 404


def test_a_share_link_opens_the_books_pictures_until_it_is_unshared(live_server):
    story, portrait, picture, clip = _book()
    token = services.story_share(user=story.owner, story_id=story.pk)
    stranger = httpx.Client(base_url=live_server.url)

    shared_page = stranger.get(f"/shared/{token}/")
    assert shared_page.status_code == 200
    addresses = set(re.findall(r'(?:src|data-clip)="(/media/[^"]+)"', shared_page.text))
    expected = {f"/media/{picture.image.name}?share={token}", f"/media/{clip.audio.name}?share={token}"}
    assert expected <= {address.replace("&amp;", "&") for address in addresses}
    for address in expected:
        answer = stranger.get(address)
        assert answer.status_code == 200, address
        assert answer.headers["Cache-Control"] == "private, no-cache"  # revalidated every time
    etag = stranger.get(f"/media/{picture.image.name}?share={token}").headers["ETag"]
    assert stranger.get(f"/media/{picture.image.name}", params={"share": "wrong"}).status_code == 404
    assert stranger.get(f"/media/{picture.image.name}").status_code == 404  # the link's key is needed
    # The cast's portraits are not the book's pictures: the link does not open them.
    assert stranger.get(f"/media/{portrait.image.name}", params={"share": token}).status_code == 404

    services.story_unshare(user=story.owner, story_id=story.pk)

    for address in expected:
        assert stranger.get(address).status_code == 404
    revalidate = stranger.get(f"/media/{picture.image.name}?share={token}", headers={"If-None-Match": etag})
    assert revalidate.status_code == 404  # not a 304: the browser's copy is not confirmed
    owner = _session(live_server, story.owner)
    assert owner.get(f"/media/{picture.image.name}").status_code == 200


def test_a_share_link_opens_no_other_books_or_characters_pictures(live_server):
    story, _portrait, _picture, _clip = _book()
    token = services.story_share(user=story.owner, story_id=story.pk)
    other_character = PortraitFactory(character=CharacterFactory(owner=story.owner))  # not in the book
    other_story, _, other_picture, _ = _book()

    for name in (other_character.image.name, other_picture.image.name):
        assert httpx.get(f"{live_server.url}/media/{name}", params={"share": token}).status_code == 404


def test_the_owner_revalidates_with_the_etag(client):
    portrait = PortraitFactory()
    client.force_login(portrait.character.owner)
    url = f"/media/{portrait.image.name}"
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, max-age=86400"


@pytest.mark.parametrize(
    ("mode", "header"),
    [("nginx", "X-Accel-Redirect"), ("apache", "X-Sendfile")],
)
def test_the_web_server_can_send_the_bytes_after_the_apps_check(client, settings, mode, header):
    settings.MEDIA_SENDFILE = mode
    portrait = PortraitFactory()
    client.force_login(portrait.character.owner)

    answer = client.get(f"/media/{portrait.image.name}")

    assert answer.status_code == 200
    assert answer.content == b""
    expected = (
        f"/protected-media/{portrait.image.name}" if mode == "nginx" else str(settings.MEDIA_ROOT / portrait.image.name)
    )
    assert answer[header] == expected
    client.logout()
    assert client.get(f"/media/{portrait.image.name}").status_code == 404  # no header for a stranger


def test_the_public_page_shows_the_display_name_never_the_username(client):
    story, *_ = _book()
    story.owner.username = "mia-mum-1984"
    story.owner.first_name, story.owner.last_name = "", ""
    story.owner.save()
    token = services.story_share(user=story.owner, story_id=story.pk)

    anonymous = client.get(f"/shared/{token}/").content.decode()
    assert "mia-mum-1984" not in anonymous

    story.owner.first_name, story.owner.last_name = "Anna", "Berg"
    story.owner.save()
    assert "by Anna Berg" in client.get(f"/shared/{token}/").content.decode()
