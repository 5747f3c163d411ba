"""Reading stored pictures through /media/ when they are in a private bucket: the
access check answers, then the owner (or a share link's holder) is sent to a
short-lived signed address of the object; anyone else gets 404, and the bucket
itself refuses a request that is not signed. With MEDIA_SENDFILE=app the app reads
the object and sends the bytes itself."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from stories import services
from stories.models import Story
from tests.factories import IllustrationFactory, PortraitFactory, StoryFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def _signed(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query)


def test_the_owner_is_sent_to_a_signed_address_of_the_object(live_server, s3_storage, s3_server, signed_in):
    portrait = PortraitFactory()
    name = portrait.image.name
    assert name in s3_storage.names()  # stored in the bucket, not on this disk
    url = f"/media/{name}"

    answer = signed_in(portrait.character.owner).get(url)

    assert answer.status_code == 302
    assert answer.headers["Cache-Control"] == "private, no-store"  # a signed address expires: never kept
    location = answer.headers["Location"]
    assert location.startswith(f"{s3_server.endpoint_url}/{s3_storage.name}/{name}?")
    signature = _signed(location)
    assert signature["X-Amz-Expires"] == ["300"] and signature["X-Amz-Signature"][0]
    picture = httpx.get(location)
    assert picture.status_code == 200
    assert picture.content == s3_storage.read(name) and picture.content.startswith(b"\x89PNG")


def test_a_stranger_gets_404_and_the_bucket_refuses_unsigned_requests(live_server, s3_storage, s3_server, signed_in):
    portrait = PortraitFactory()
    name = portrait.image.name

    assert httpx.get(f"{live_server.url}/media/{name}").status_code == 404  # not signed in
    assert signed_in(UserFactory()).get(f"/media/{name}").status_code == 404  # someone else
    # The bucket is private: the object's plain address, unsigned, is refused.
    assert httpx.get(f"{s3_server.endpoint_url}/{s3_storage.name}/{name}").status_code == 403


def test_a_share_link_is_sent_to_the_picture_until_the_book_is_unshared(live_server, s3_storage):
    story = StoryFactory(status=Story.Status.READY, page_count=1, pages=1)
    page = story.pages.get()
    picture = IllustrationFactory(page=page, is_selected=True)
    page.selected_illustration = picture
    page.save()
    token = services.story_share(user=story.owner, story_id=story.pk)
    address = f"{live_server.url}/media/{picture.image.name}"

    answer = httpx.get(address, params={"share": token})
    assert answer.status_code == 302
    assert httpx.get(answer.headers["Location"]).content == s3_storage.read(picture.image.name)

    services.story_unshare(user=story.owner, story_id=story.pk)
    assert httpx.get(address, params={"share": token}).status_code == 404


def test_with_sendfile_app_the_app_sends_the_objects_bytes(live_server, s3_storage, signed_in, settings):
    settings.MEDIA_SENDFILE = "app"
    portrait = PortraitFactory()
    owner = signed_in(portrait.character.owner)

    answer = owner.get(f"/media/{portrait.image.name}")

    assert answer.status_code == 200
    assert answer.content == s3_storage.read(portrait.image.name)
    assert answer.headers["Content-Type"] == "image/png"
    assert answer.headers["Cache-Control"] == "private, max-age=86400"
    assert (
        owner.get(f"/media/{portrait.image.name}", headers={"If-None-Match": answer.headers["ETag"]}).status_code == 304
    )


def test_a_picture_whose_object_is_gone_is_not_found(live_server, s3_storage, signed_in, settings):
    settings.MEDIA_SENDFILE = "app"
    portrait = PortraitFactory()
    s3_storage.empty()

    assert signed_in(portrait.character.owner).get(f"/media/{portrait.image.name}").status_code == 404


def test_a_narration_clip_is_passed_through_the_app_not_redirected(live_server, s3_storage, signed_in):
    """The reader's service worker reads clips as bytes (for seeking): a redirect to the
    bucket would need a CORS rule there, so the app sends them itself."""
    from tests.factories import SentenceClipFactory

    clip = SentenceClipFactory()
    assert clip.audio.name in s3_storage.names()

    answer = signed_in(clip.page.story.owner).get(f"/media/{clip.audio.name}")

    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "audio/mpeg"
    assert answer.content == s3_storage.read(clip.audio.name)
