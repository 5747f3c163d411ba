"""Pictures: portrait candidates, and pages drawn from the characters' portraits or,
without them, from the prompt."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from PIL import Image

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers import prompts
from storyforge.generation.providers.base import CharacterSheet, ProviderError
from tests.fakes.openai_server import Reply
from tests.generation.openai_provider.briefs import MIA, PIP, scene


def png_file(name, colour="red"):
    """A portrait saved through the storage, as portraits are; its stored name."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(buffer, "PNG")
    return default_storage.save(f"portraits/tests/{name}", ContentFile(buffer.getvalue()))


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


def test_page_with_portraits_is_drawn_from_them(provider, fake_openai, settings):
    mia = CharacterSheet(**{**MIA.__dict__, "portrait_file": png_file("mia.png")})
    pip = CharacterSheet(**{**PIP.__dict__, "portrait_file": png_file("pip.png", "green")})

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


def test_missing_portrait_file_falls_back_to_the_prompt(provider, fake_openai):
    mia = CharacterSheet(**{**MIA.__dict__, "portrait_file": "portraits/tests/gone.png"})

    provider.page_illustrate(scene(mia))

    assert len(fake_openai.requests_for("images")) == 1


class PathlessStorage(Storage):
    """Storage as object storage is: files by name, and no local path to open them by."""

    def __init__(self, **options):
        self._files = FileSystemStorage(location=settings.MEDIA_ROOT)

    def _open(self, name, mode="rb"):
        return self._files._open(name, mode)

    def _save(self, name, content):
        return self._files._save(name, content)

    def exists(self, name):
        return self._files.exists(name)

    def size(self, name):
        return self._files.size(name)

    def url(self, name):
        return self._files.url(name)


@pytest.mark.django_db
def test_the_portrait_reaches_the_image_server_from_storage_without_local_files(provider, fake_openai, settings):
    """Object storage has no file paths: the selected portrait is read by its stored name."""
    from characters.selectors import character_sheet
    from tests.factories import CharacterFactory, PortraitFactory

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.PathlessStorage"}}
    mia = CharacterFactory(name="Mia")
    mia.selected_portrait = PortraitFactory(character=mia, is_selected=True)
    mia.save(update_fields=["selected_portrait"])
    with pytest.raises(NotImplementedError):
        mia.selected_portrait.image.path  # noqa: B018 - the storage has no paths

    provider.page_illustrate(scene(character_sheet(mia)))

    (request,) = fake_openai.requests_for("edits")
    assert [file["size"] for file in request.files] == [mia.selected_portrait.image.size]
