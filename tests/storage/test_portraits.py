"""Portraits on object storage: drawn candidates, a chosen one and uploaded pictures
(HTML and API) are objects in the bucket, opened through /media/; the Character
Card PNG carries the portrait read back from the bucket."""

import io
import re

import pytest
from PIL import Image

from characters.models import Portrait
from storyforge.generation.models import GenerationJob
from tests.api_client import token_client
from tests.characters.pages import html_of, png_bytes, upload, wizard
from tests.factories import CharacterFactory, UserFactory

pytestmark = [pytest.mark.services]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_drawn_candidates_land_in_the_bucket_and_the_chosen_one_is_shown(client, s3_storage, settings):
    settings.STORYFORGE_PORTRAIT_CANDIDATES = 3
    user = UserFactory()
    client.force_login(user)
    character = CharacterFactory(owner=user, name="Mia")

    client.post(f"/characters/{character.pk}/portraits/generate/")
    assert GenerationJob.objects.get().status == "succeeded"
    candidates = list(Portrait.objects.filter(character=character))
    assert len(candidates) == 3
    assert {portrait.image.name for portrait in candidates} == s3_storage.names()

    chosen = candidates[1]
    assert client.post(f"/characters/{character.pk}/portraits/select/", {"portrait": chosen.pk}).status_code == 302
    character.refresh_from_db()
    assert character.selected_portrait == chosen
    page = html_of(client.get(wizard(character, 5)))
    assert f'src="/media/{chosen.image.name}"' in page
    answer = client.get(f"/media/{chosen.image.name}")
    assert answer.status_code == 302 and re.search(r"[?&]X-Amz-Signature=", answer["Location"])


@pytest.mark.django_db
def test_an_uploaded_picture_is_stored_in_the_bucket_with_its_size(client, s3_storage):
    user = UserFactory()
    client.force_login(user)
    character = CharacterFactory(owner=user)

    response = client.post(
        f"/characters/{character.pk}/portraits/upload/", {"file": upload("me.png", png_bytes((40, 30)), "image/png")}
    )

    assert response.status_code == 302
    character.refresh_from_db()
    portrait = character.selected_portrait
    assert (portrait.source, portrait.width, portrait.height) == ("uploaded", 40, 30)
    assert s3_storage.names() == {portrait.image.name}
    with Image.open(io.BytesIO(s3_storage.read(portrait.image.name))) as stored:
        assert stored.size == (40, 30)


@pytest.mark.django_db
def test_an_api_upload_is_stored_in_the_bucket_and_its_address_is_the_apps(s3_storage):
    character = CharacterFactory()
    api = token_client(character.owner)

    response = api.post(
        f"/api/v1/characters/{character.pk}/portraits/upload/",
        {"file": upload("me.png", png_bytes((50, 20)), "image/png")},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    portrait = Portrait.objects.get(pk=body["id"])
    assert s3_storage.names() == {portrait.image.name}
    # Never the bucket's address: every reading passes the access check.
    assert body["url"] == f"http://testserver/media/{portrait.image.name}"
    assert api.get(f"/media/{portrait.image.name}").status_code == 302


@pytest.mark.django_db
def test_the_png_card_carries_the_portrait_read_from_the_bucket(client, s3_storage):
    user = UserFactory()
    client.force_login(user)
    character = CharacterFactory(owner=user, name="Mia")
    client.post(
        f"/characters/{character.pk}/portraits/upload/",
        {"file": upload("me.png", png_bytes((64, 48), "red"), "image/png")},
    )

    for address in (f"/characters/{character.pk}/card.png", f"/api/v1/characters/{character.pk}/card/?format=png"):
        response = client.get(address)
        assert response.status_code == 200, address
        with Image.open(io.BytesIO(response.content)) as card:
            assert "chara" in card.text
            assert card.size == (64, 48) and card.convert("RGB").getpixel((10, 10)) == (255, 0, 0)
