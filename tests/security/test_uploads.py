"""Portrait uploads and card imports refuse what is not a picture (or card) they can
read: a PDF, text renamed .png, an image bomb, a file over the size limit. Each answer
names the field, and nothing is stored: no row, no file."""

import base64
import io
import json
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from characters.models import Character, Portrait
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def png(size=(8, 8), mode="RGB", text: dict | None = None) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def declaring(data: bytes, width: int, height: int) -> bytes:
    """The same PNG with other dimensions in its header (IHDR, CRC fixed): a picture that
    claims to be huge while the file stays a few hundred bytes."""
    assert data[12:16] == b"IHDR"
    header = struct.pack(">II", width, height) + data[24:29]
    chunk = b"IHDR" + header
    return data[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]


CARD = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Bomby", "description": "", "tags": []}}
CARD_TEXT = {"chara": base64.b64encode(json.dumps(CARD).encode()).decode()}


def bad_files(limit_mb: int, card: bool = False) -> dict[str, tuple[str, bytes, str]]:
    text = CARD_TEXT if card else None
    return {
        "a pdf": (
            "picture.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
            "application/pdf",
        ),
        "text renamed .png": ("picture.png", b"This is not a picture, only words.\n" * 20, "image/png"),
        # 30000 x 30000 = 900 million pixels: Pillow's DecompressionBombError on opening.
        "an image bomb": ("bomb.png", declaring(png(mode="1", text=text), 30000, 30000), "image/png"),
        # 5000 x 5000: under Pillow's limit, over StoryForge's 4096 pixels a side.
        "a picture too large": ("large.png", declaring(png(mode="1", text=text), 5000, 5000), "image/png"),
        "a file over the limit": ("huge.png", png(text=text) + b"\0" * (limit_mb * MB + 1), "image/png"),
    }


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


@pytest.fixture
def character(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS)
    return CharacterFactory()


@pytest.fixture
def html(character) -> Client:
    client = Client()
    client.force_login(character.owner)
    return client


@pytest.fixture
def api(character) -> APIClient:
    client = APIClient()
    client.force_authenticate(character.owner)
    return client


def assert_refused_in_the_page(response, what):
    assert response.status_code == 400, (what, response.status_code)
    page = response.content.decode()
    assert 'name="file"' in page, what
    assert any(word in page for word in ("not a picture", "larger than", "Upload a PNG", "not a character card")), what


def assert_refused_by_the_api(response, what):
    assert response.status_code == 400, (what, response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert "file" in error["details"]["fields"], (what, error)
    assert error["message"], what


@pytest.mark.parametrize("what", list(bad_files(5)))
def test_a_portrait_upload_refuses(what, character, html, api, media_root):
    name, data, content_type = bad_files(5)[what]
    before = stored_files(media_root)
    response = html.post(
        f"/characters/{character.pk}/portraits/upload/", {"file": SimpleUploadedFile(name, data, content_type)}
    )
    assert_refused_in_the_page(response, what)
    response = api.post(
        f"/api/v1/characters/{character.pk}/portraits/upload/",
        {"file": SimpleUploadedFile(name, data, content_type)},
        format="multipart",
    )
    assert_refused_by_the_api(response, what)
    assert not Portrait.objects.filter(character=character).exists()
    assert stored_files(media_root) == before


@pytest.mark.parametrize("what", list(bad_files(8, card=True)))
def test_a_card_import_refuses(what, character, html, api, media_root):
    name, data, content_type = bad_files(8, card=True)[what]
    before = stored_files(media_root)
    response = html.post("/characters/import/", {"file": SimpleUploadedFile(name, data, content_type)})
    assert_refused_in_the_page(response, what)
    response = api.post(
        "/api/v1/characters/import/", {"file": SimpleUploadedFile(name, data, content_type)}, format="multipart"
    )
    assert_refused_by_the_api(response, what)
    assert list(Character.objects.all()) == [character]
    assert not Portrait.objects.exists()
    assert stored_files(media_root) == before


def test_the_bombs_are_what_they_claim(settings):
    # Guard: the test files really are what the names say.
    bomb = bad_files(5)["an image bomb"][1]
    assert len(bomb) < 2000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))
    with Image.open(io.BytesIO(bad_files(5)["a picture too large"][1])) as large:
        assert large.size == (5000, 5000)


def test_a_good_picture_is_accepted(character, html, media_root):
    response = html.post(
        f"/characters/{character.pk}/portraits/upload/",
        {"file": SimpleUploadedFile("me.png", png((64, 64)), "image/png")},
    )
    assert response.status_code == 302
    assert Portrait.objects.filter(character=character, is_selected=True).count() == 1
    assert stored_files(media_root)
