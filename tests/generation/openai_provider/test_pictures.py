"""Pictures: portrait candidates, and pages drawn from the characters' portraits or,
without them, from the prompt."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers import prompts
from storyforge.generation.providers.base import CharacterSheet, ProviderError
from tests.fakes.openai_server import Reply
from tests.generation.openai_provider.briefs import MIA, PIP, scene


def png_file(path, colour="red"):
    Image.new("RGB", (32, 32), colour).save(path, "PNG")
    return str(path)


def test_portrait_candidates_are_pngs(provider, fake_openai, settings):
    settings.OPENAI_PRICE_IMAGE = Decimal("0.05")

    images = provider.portrait_draw(MIA, count=3, art_style="crayon", seed=4)

    assert len(images) == 3
    assert len({image.png for image in images}) == 3
    for image in images:
        assert Image.open(io.BytesIO(image.png)).format == "PNG"
        assert MIA.appearance in image.prompt
        assert image.usage.cost == Decimal("0.05")
    (request,) = fake_openai.requests_for("images")
    assert request.json["n"] == 3
    assert request.json["size"] == "1024x1024"
    assert request.json["model"] == settings.OPENAI_IMAGE_MODEL
    assert "response_format" not in request.json  # GPT image models reject it


def test_dall_e_is_asked_for_base64(provider, fake_openai, settings):
    settings.OPENAI_IMAGE_MODEL = "dall-e-2"

    provider.portrait_draw(MIA, count=1, art_style="crayon", seed=4)

    assert fake_openai.requests_for("images")[0].json["response_format"] == "b64_json"


def test_picture_sent_as_a_link_is_invalid_output(provider, fake_openai):
    fake_openai.script("images", Reply.url_only())

    with pytest.raises(ProviderError) as caught:
        provider.portrait_draw(MIA, count=2, art_style="crayon", seed=4)

    assert (caught.value.code, caught.value.transient) == (ErrorCode.AI_INVALID_OUTPUT, False)


def test_page_with_portraits_is_drawn_from_them(provider, fake_openai, tmp_path, settings):
    mia = CharacterSheet(**{**MIA.__dict__, "portrait_path": png_file(tmp_path / "mia.png")})
    pip = CharacterSheet(**{**PIP.__dict__, "portrait_path": png_file(tmp_path / "pip.png", "green")})

    image = provider.page_illustrate(scene(mia, pip))

    assert fake_openai.requests_for("images") == []
    (request,) = fake_openai.requests_for("edits")
    assert sorted(file["filename"] for file in request.files) == ["mia.png", "pip.png"]
    assert all(file["size"] > 0 for file in request.files)
    assert request.form["prompt"] == prompts.scene_prompt(scene(mia, pip))
    assert request.form["model"] == settings.OPENAI_IMAGE_MODEL
    assert Image.open(io.BytesIO(image.png)).size == (96, 64)  # the fake draws 1536x1024 at 1/16
    assert image.usage.cost == settings.OPENAI_PRICE_IMAGE


def test_page_without_portraits_is_drawn_from_the_prompt(provider, fake_openai):
    image = provider.page_illustrate(scene(MIA, PIP))

    assert fake_openai.requests_for("edits") == []
    (request,) = fake_openai.requests_for("images")
    assert request.json["prompt"] == image.prompt
    assert MIA.appearance in image.prompt
    assert Image.open(io.BytesIO(image.png)).format == "PNG"


def test_missing_portrait_file_falls_back_to_the_prompt(provider, fake_openai, tmp_path):
    mia = CharacterSheet(**{**MIA.__dict__, "portrait_path": str(tmp_path / "gone.png")})

    provider.page_illustrate(scene(mia))

    assert len(fake_openai.requests_for("images")) == 1
