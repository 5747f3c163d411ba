"""Pictures from the webui: portrait candidates with txt2img, pages with img2img over
the character's portrait or, without one, with txt2img."""

import dataclasses
import hashlib
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from storyforge.generation.providers import prompts, provider_get, providers_close
from storyforge.generation.providers.base import Capability, Usage
from tests.fakes.automatic1111_server import checkpoint
from tests.generation.automatic1111.sheets import MIA, PIP, scene, stored, with_portrait


def picture(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image


def test_portrait_candidates_are_square_pngs_with_their_own_seeds(provider, fake_a1111):
    images = provider.portrait_draw(MIA, count=3, art_style="crayon", seed=40)

    assert len(images) == 3
    assert [image.seed for image in images] == [40, 41, 42]
    assert len({image.png for image in images}) == 3
    for image in images:
        assert picture(image.png).size == (512, 512)  # the page's height, squared
        assert image.prompt == prompts.portrait_prompt(MIA, "crayon", 40)
        assert (image.provider, image.usage, image.model) == ("automatic1111", Usage(), "v1-5-pruned-emaonly")
    (request,) = fake_a1111.requests_for("txt2img")
    assert request.json["batch_size"] == 3
    assert (request.json["width"], request.json["height"], request.json["seed"]) == (512, 512, 40)
    assert MIA.appearance in request.json["prompt"]


def test_every_drawing_sends_the_negative_prompt(provider, fake_a1111):
    provider.portrait_draw(MIA, count=1, art_style="crayon", seed=1)
    provider.page_illustrate(scene(MIA))
    provider.page_illustrate(scene(with_portrait(MIA)))

    sent = [request.json for request in fake_a1111.requests if request.json]
    assert len(sent) == 3
    assert all(body["negative_prompt"] == prompts.NEGATIVE_PROMPT for body in sent)


def test_page_without_portraits_is_drawn_from_the_prompt(provider, fake_a1111, settings):
    settings.IMAGE_PAGE_SIZE = "640x448"

    image = provider.page_illustrate(scene(MIA, PIP, seed=77))

    assert picture(image.png).size == (640, 448)
    assert image.seed == 77
    assert image.prompt == prompts.scene_prompt(scene(MIA, PIP, seed=77))
    assert fake_a1111.requests_for("img2img") == []
    (request,) = fake_a1111.requests_for("txt2img")
    assert (request.json["width"], request.json["height"], request.json["batch_size"]) == (640, 448, 1)


def test_page_is_drawn_over_the_main_characters_portrait(provider, fake_a1111, settings):
    settings.IMAGE_DENOISING_STRENGTH = 0.45
    pip = with_portrait(PIP, "green", size=48)
    mia = with_portrait(MIA, "red", size=64)

    image = provider.page_illustrate(scene(pip, mia))  # Pip comes first, but Mia is the main character

    assert picture(image.png).size == (768, 512)
    assert fake_a1111.requests_for("txt2img") == []
    (request,) = fake_a1111.requests_for("img2img")
    (received,) = request.init_images
    assert received["sha256"] == hashlib.sha256(stored(mia.portrait_file)).hexdigest()
    assert (received["width"], received["height"]) == (64, 64)
    assert request.json["denoising_strength"] == 0.45
    assert request.json["seed"] == 3


def test_a_portrait_that_cannot_be_read_is_passed_over(provider, fake_a1111):
    broken = default_storage.save("portraits/tests/broken.png", ContentFile(b"not a picture"))
    mia = with_portrait(MIA)
    gone = dataclasses.replace(MIA, name="Gone", portrait_file="portraits/tests/gone.png")
    garbled = dataclasses.replace(MIA, name="Garbled", portrait_file=broken)

    provider.page_illustrate(scene(gone, garbled, mia))

    (request,) = fake_a1111.requests_for("img2img")
    assert request.init_images[0]["sha256"] == hashlib.sha256(stored(mia.portrait_file)).hexdigest()


def test_only_unreadable_portraits_mean_a_drawing_from_the_prompt(provider, fake_a1111):
    gone = dataclasses.replace(MIA, portrait_file="portraits/tests/gone.png")

    provider.page_illustrate(scene(gone))

    assert len(fake_a1111.requests_for("txt2img")) == 1
    assert fake_a1111.requests_for("img2img") == []


def test_pictures_saved_as_jpeg_by_the_server_come_back_as_png(provider, fake_a1111):
    fake_a1111.samples_format = "jpeg"

    images = provider.portrait_draw(MIA, count=2, art_style="crayon", seed=5)

    assert [picture(image.png).size for image in images] == [(512, 512), (512, 512)]


def test_loaded_checkpoint_draws_when_none_is_configured(provider, fake_a1111):
    provider.page_illustrate(scene(MIA))

    (request,) = fake_a1111.requests_for("txt2img")
    assert "override_settings" not in request.json


def test_configured_checkpoint_is_asked_for(provider, fake_a1111, settings):
    settings.OPENAI_IMAGE_MODEL = "dreamshaper_8"

    image = provider.page_illustrate(scene(MIA))

    (request,) = fake_a1111.requests_for("txt2img")
    assert request.json["override_settings"] == {"sd_model_checkpoint": "dreamshaper_8"}
    assert image.model == "dreamshaper_8"


def test_checkpoint_given_by_its_title_or_file_name_is_found(provider, fake_a1111, settings):
    title = checkpoint("sd_xl_base_1.0.safetensors")["title"]
    for name in (title, "sd_xl_base_1.0.safetensors"):
        settings.OPENAI_IMAGE_MODEL = name

        provider.portrait_draw(MIA, count=1, art_style="crayon", seed=1)

        assert fake_a1111.requests_for("txt2img")[-1].json["override_settings"] == {"sd_model_checkpoint": name}


def test_drawing_is_free(provider):
    assert provider.cost_estimate(images=12) == Decimal("0")


def test_the_settings_select_this_provider_for_pictures(a1111_settings, fake_a1111):
    try:
        artist = provider_get(Capability.IMAGE)
        image = artist.page_illustrate(scene(MIA))
    finally:
        providers_close()

    assert (artist.name, image.provider) == ("automatic1111", "automatic1111")
    assert len(fake_a1111.requests_for("txt2img")) == 1
