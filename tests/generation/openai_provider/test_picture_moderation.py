"""Pictures judged by the moderation endpoint, through the real `openai` client: the
picture goes as a multi-modal image item, an unsafe one is flagged with the
categories judged in images, and where moderation cannot look at pictures (a
text-only moderation model, the word list, a local server's text model) it says
so and the picture passes unjudged."""

import base64
import io

from PIL import Image

from storyforge.generation.providers import provider_get
from storyforge.generation.providers.base import CharacterSheet
from storyforge.generation.providers.offline import OfflineProvider
from tests.fakes.openai_server.content import unsafe_png


def harmless_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_an_unsafe_picture_is_flagged_with_the_categories_judged_in_pictures(provider, fake_openai, settings):
    settings.OPENAI_MODERATION_MODEL = "omni-moderation-latest"
    fake_openai.flag_categories = ("sexual", "harassment")  # harassment is judged in text only

    result = provider.picture_moderate(unsafe_png())

    assert result.flagged and result.judged
    assert result.categories == ("sexual",)
    (request,) = fake_openai.requests_for("moderations")
    assert request.json["model"] == "omni-moderation-latest"
    (item,) = request.json["input"]
    assert item["type"] == "image_url"
    prefix, data = item["image_url"]["url"].split(",", 1)
    assert prefix == "data:image/png;base64" and base64.b64decode(data) == unsafe_png()


def test_a_harmless_picture_is_judged_and_passes(provider):
    result = provider.picture_moderate(harmless_png())

    assert result.judged and not result.flagged and result.categories == ()


def test_a_text_only_moderation_model_lets_pictures_pass_unjudged_and_is_not_asked_again(
    provider, fake_openai, settings
):
    settings.OPENAI_MODERATION_MODEL = "text-moderation-latest"

    first = provider.picture_moderate(unsafe_png())
    second = provider.picture_moderate(unsafe_png())

    assert not first.flagged and not first.judged and not second.judged
    (refused,) = fake_openai.requests_for("moderations")  # learnt from the first 400
    assert refused.json["model"] == "text-moderation-latest"
    assert provider.moderate(["Something FLAGME here."]).flagged  # its text moderation still works


def test_the_word_list_cannot_judge_pictures():
    result = OfflineProvider().picture_moderate(unsafe_png())

    assert not result.flagged and not result.judged


def test_a_local_server_without_a_moderation_endpoint_lets_pictures_pass_unjudged(fake_ollama, settings):
    settings.STORYFORGE_AI_PROVIDER = "openai"
    settings.STORYFORGE_MODERATION_PROVIDER = ""
    settings.OPENAI_API_KEY = "ollama"
    settings.OPENAI_BASE_URL = fake_ollama.base_url
    settings.OPENAI_TEXT_MODEL = "llama3.2"

    result = provider_get("moderation").picture_moderate(unsafe_png())

    assert not result.flagged and not result.judged
    assert fake_ollama.requests_for("chat") == []  # the text model is not shown pictures


def test_the_fake_draws_the_unsafe_picture_for_a_prompt_with_its_word(provider, fake_openai):
    """The fake's own promise the pipeline tests rely on."""
    sheet = CharacterSheet(name="Mia", kind="child", pronouns="she/her", clothing="an UNSAFEPICTURE cape")
    (drawn,) = provider.portrait_draw(sheet, count=1, art_style="storybook", seed=1)

    assert provider.picture_moderate(drawn.png).flagged
    fake_openai.unsafe_picture_word = ""
    (plain,) = provider.portrait_draw(sheet, count=1, art_style="storybook", seed=1)
    assert not provider.picture_moderate(plain.png).flagged
