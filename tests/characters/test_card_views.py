"""Character cards through the character page and the API."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from characters.models import Character
from tests.factories import CharacterFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_character_page_offers_the_card_and_the_json_round_trips(client):
    mia = CharacterFactory(name="Mia Rose", traits=["brave"])
    client.force_login(mia.owner)
    assert f"/characters/{mia.pk}/card.json" in client.get(f"/characters/{mia.pk}/").content.decode()
    response = client.get(f"/characters/{mia.pk}/card.json")
    assert response["Content-Disposition"] == 'attachment; filename="mia-rose.card.json"'
    card = json.loads(response.content)
    assert card["spec"] == "chara_card_v2" and card["data"]["name"] == "Mia Rose"
    upload = SimpleUploadedFile("mia.json", response.content, content_type="application/json")
    imported = client.post("/characters/import/", {"file": upload})
    assert imported.status_code == 302
    copy = Character.objects.exclude(pk=mia.pk).get(owner=mia.owner)
    assert (copy.name, copy.traits, copy.hair_colour) == ("Mia Rose", ["brave"], mia.hair_colour)


def test_the_png_card_is_a_picture_with_the_card_inside(client):
    mia = CharacterFactory()
    client.force_login(mia.owner)
    response = client.get(f"/characters/{mia.pk}/card.png")
    assert response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as picture:
        assert "chara" in picture.text


def test_a_broken_card_is_refused_beside_the_field(client):
    client.force_login(UserFactory())
    response = client.post("/characters/import/", {"file": SimpleUploadedFile("x.json", b"{not json")})
    assert response.status_code == 400 and "field-error" in response.content.decode()
    assert not Character.objects.exists()


def test_another_users_card_is_not_found(client):
    client.force_login(UserFactory())
    assert client.get(f"/characters/{CharacterFactory().pk}/card.json").status_code == 404


def test_the_api_exports_and_imports_cards(client):
    mia = CharacterFactory(name="Mia")
    client.force_login(mia.owner)
    exported = client.get(f"/api/v1/characters/{mia.pk}/card/?format=json")
    assert exported.status_code == 200 and json.loads(exported.content)["data"]["name"] == "Mia"
    png = client.get(f"/api/v1/characters/{mia.pk}/card/?format=png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    response = client.post("/api/v1/characters/import/", {"file": SimpleUploadedFile("m.png", png.content)})
    assert response.status_code == 201 and response.json()["name"] == "Mia"
    bad = client.get(f"/api/v1/characters/{mia.pk}/card/?format=gif")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_ERROR"
    other = client.get(f"/api/v1/characters/{CharacterFactory().pk}/card/")
    assert other.status_code == 404 and other.json()["error"]["code"] == "NOT_FOUND"


def test_the_api_exports_a_finished_book(client):
    from tests.factories import IllustrationFactory, PageFactory, StoryFactory

    story = StoryFactory(status="ready", page_count=1, title="Kite Day")
    page = PageFactory(story=story, number=1)
    page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
    page.save()
    client.force_login(story.owner)
    pdf = client.get(f"/api/v1/stories/{story.pk}/export/?format=pdf&size=letter&bleed=1")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    epub = client.get(f"/api/v1/stories/{story.pk}/export/?format=epub")
    assert epub["Content-Type"] == "application/epub+zip"
    assert client.get(f"/api/v1/stories/{story.pk}/export/?size=poster").json()["error"]["code"] == "VALIDATION_ERROR"
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/stories/{story.pk}/export/").status_code == 404
