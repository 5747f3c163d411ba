"""A Character Card's JSON is bounded before it is parsed (1 MB, 64 levels deep),
whether it comes as a .json file or inside a PNG, and a StoryForge card is held to
the same caps as the wizard and the API: each refusal is a 400 naming the file, never
a 500 and never a saved character."""

import base64
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from characters.card_files import CARD_JSON_MAX_BYTES, CARD_JSON_MAX_DEPTH
from characters.cards import character_card_import
from characters.models import Character
from characters.services import BACKSTORY_MAX_LENGTH
from storyforge.core.errors import InvalidInput
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/characters/import/"


def card(**data) -> dict:
    return {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Captain Whiskers", **data}}


def nested(levels: int) -> dict:
    """A card whose arrays and objects nest `levels` deep in all (the card's own
    object and its data are the first two)."""
    return card(extensions={"deep": json.loads("[" * (levels - 3) + "]" * (levels - 3))})


def json_text(levels: int) -> str:
    """A card nested `levels` deep, written out without recursing (json.dumps would)."""
    return '{"spec": "chara_card_v2", "data": {"name": "Deep", "extensions": {"x": ' + (
        "[" * (levels - 3) + "]" * (levels - 3) + "}}}"
    )


def as_json(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("card.json", content, content_type="application/json")


def as_png(content: bytes) -> SimpleUploadedFile:
    info = PngInfo()
    info.add_text("chara", base64.b64encode(content).decode())
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "purple").save(buffer, format="PNG", pnginfo=info)
    return SimpleUploadedFile("card.png", buffer.getvalue(), content_type="image/png")


DEEP = json_text(100_000).encode()
OVERSIZED = json.dumps(card(description="a" * 2_000_000)).encode()


@pytest.mark.parametrize("wrap", [as_json, as_png], ids=["json", "png"])
def test_a_card_nested_a_hundred_thousand_levels_deep_is_a_400_not_a_500(api, wrap):
    error = assert_error(api.post(IMPORT, {"file": wrap(DEEP)}), 400, "VALIDATION_ERROR")
    assert f"more than {CARD_JSON_MAX_DEPTH} levels" in error["details"]["fields"]["file"][0]
    assert not Character.objects.exists()


@pytest.mark.parametrize("wrap", [as_json, as_png], ids=["json", "png"])
def test_a_card_over_a_megabyte_is_refused_for_its_size(api, wrap):
    """Its two-million-character description would otherwise be read, then cut down."""
    assert CARD_JSON_MAX_BYTES < len(OVERSIZED) < 8 * 1024 * 1024
    error = assert_error(api.post(IMPORT, {"file": wrap(OVERSIZED)}), 400, "VALIDATION_ERROR")
    assert "larger than 1024 KB" in error["details"]["fields"]["file"][0]
    assert not Character.objects.exists()


def test_the_service_refuses_a_deep_card_with_invalid_input():
    with pytest.raises(InvalidInput) as refused:
        character_card_import(user=UserFactory(), upload=as_json(json_text(CARD_JSON_MAX_DEPTH + 1).encode()))
    assert list(refused.value.details["fields"]) == ["file"]


def test_brackets_inside_strings_do_not_count_and_a_card_at_the_depth_limit_is_read():
    at_limit = nested(CARD_JSON_MAX_DEPTH)
    at_limit["data"]["description"] = '[[[[{{{{"\\' * 100  # in a string: not nesting
    imported = character_card_import(user=UserFactory(), upload=as_json(json.dumps(at_limit).encode()))
    assert imported.name == "Captain Whiskers" and "deep" in imported.card_extensions


def test_a_storyforge_card_whose_backstory_is_over_its_cap_is_refused_naming_it(api):
    own = {"version": 1, "traits": ["brave"], "backstory": "b" * (BACKSTORY_MAX_LENGTH + 1)}
    content = json.dumps(card(extensions={"storyforge": own})).encode()
    error = assert_error(api.post(IMPORT, {"file": as_json(content)}), 400, "VALIDATION_ERROR")
    assert f"{BACKSTORY_MAX_LENGTH} characters" in error["details"]["fields"]["backstory"][0]
    assert not Character.objects.exists()


def test_a_storyforge_card_at_the_backstory_cap_is_imported(api):
    own = {"version": 1, "traits": ["brave"], "backstory": "b" * BACKSTORY_MAX_LENGTH}
    content = json.dumps(card(extensions={"storyforge": own})).encode()
    response = api.post(IMPORT, {"file": as_json(content)})
    assert response.status_code == 201, response.content
    assert len(response.json()["backstory"]) == BACKSTORY_MAX_LENGTH
