"""Which provider serves each capability, from the settings, and the stand-ins for
what a server lacks."""

from decimal import Decimal

import pytest

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers import cost_estimate, provider_get, provider_name
from storyforge.generation.providers.base import Capability, ProviderError
from storyforge.generation.providers.fallback import WithFallback
from storyforge.generation.providers.offline import OfflineProvider
from storyforge.generation.providers.openai import OpenAIProvider
from tests.generation.openai_provider.briefs import MIA, scene


@pytest.fixture(autouse=True)
def _capabilities_unset(settings):
    settings.STORYFORGE_TEXT_PROVIDER = settings.STORYFORGE_IMAGE_PROVIDER = ""
    settings.STORYFORGE_MODERATION_PROVIDER = ""


def test_every_capability_follows_the_default_provider_unless_set(settings):
    settings.STORYFORGE_AI_PROVIDER = "offline"
    assert {capability: provider_name(capability) for capability in Capability} == {
        Capability.TEXT: ("offline", False),
        Capability.IMAGE: ("offline", False),
        Capability.MODERATION: ("offline", False),
        Capability.SPEECH: ("offline", False),
    }
    settings.STORYFORGE_IMAGE_PROVIDER = "automatic1111"
    assert provider_name("image") == ("automatic1111", True)
    assert provider_name("text") == ("offline", False)


def test_text_from_a_local_server_and_pictures_from_the_built_in_artist(openai_settings):
    openai_settings.STORYFORGE_IMAGE_PROVIDER = "offline"

    assert isinstance(provider_get("text"), OpenAIProvider)
    assert isinstance(provider_get("image"), OfflineProvider)


def test_a_capability_left_to_the_default_openai_gets_a_stand_in(openai_settings):
    images, moderation = provider_get("image"), provider_get("moderation")

    assert isinstance(images, WithFallback) and isinstance(images.stand_in, OfflineProvider)
    assert isinstance(moderation, WithFallback) and moderation.stand_in.moderation_by_text_model


def test_a_capability_named_explicitly_gets_no_stand_in(openai_settings):
    openai_settings.STORYFORGE_IMAGE_PROVIDER = "openai"
    openai_settings.STORYFORGE_MODERATION_PROVIDER = "text-model"

    assert isinstance(provider_get("image"), OpenAIProvider)
    moderation = provider_get("moderation")
    assert isinstance(moderation, OpenAIProvider) and moderation.moderation_by_text_model


def test_pictures_have_their_own_server_key_and_timeout(openai_settings):
    openai_settings.IMAGE_BASE_URL = "http://127.0.0.1:9/v1"
    openai_settings.IMAGE_API_KEY = "picture-key"
    openai_settings.IMAGE_TIMEOUT = 300.0

    endpoint = provider_get("image").endpoint
    text = provider_get("text").endpoint

    assert (endpoint.base_url, endpoint.api_key, endpoint.timeout) == ("http://127.0.0.1:9/v1", "picture-key", 300.0)
    assert text.base_url == openai_settings.OPENAI_BASE_URL and text.timeout == openai_settings.OPENAI_TIMEOUT
    assert "picture-key" not in str(endpoint)


def test_a_changed_setting_gives_a_new_provider_and_the_same_setting_the_same_one(settings):
    settings.STORYFORGE_AI_PROVIDER = "offline"
    first = provider_get("text")
    assert provider_get("text") is first
    settings.STORYFORGE_TEXT_PROVIDER = "openai"
    assert isinstance(provider_get("text"), OpenAIProvider)


def test_the_pictures_a_server_cannot_draw_are_drawn_by_the_built_in_artist(openai_settings, fake_openai):
    fake_openai.script("images", *[_not_found()] * 3)

    drawn = provider_get("image").page_illustrate(scene(MIA))
    again = provider_get("image").page_illustrate(scene(MIA))

    assert drawn.provider == again.provider == "offline"
    # Learnt once: the second picture did not ask the server again.
    assert len(fake_openai.requests_for("images")) == 1


def test_other_failures_are_not_hidden_by_the_stand_in(openai_settings, fake_openai):
    from tests.fakes.openai_server import Reply

    fake_openai.script("images", Reply.error_status(400, "Your prompt was too long."))

    with pytest.raises(ProviderError) as caught:
        provider_get("image").page_illustrate(scene(MIA))

    assert caught.value.code == ErrorCode.AI_BAD_REQUEST


def test_a_named_image_provider_without_the_endpoint_says_so(openai_settings, fake_openai):
    openai_settings.STORYFORGE_IMAGE_PROVIDER = "openai"
    fake_openai.script("images", _not_found())

    with pytest.raises(ProviderError) as caught:
        provider_get("image").page_illustrate(scene(MIA))

    assert (caught.value.code, caught.value.transient) == (ErrorCode.AI_CAPABILITY_MISSING, False)
    assert "/v1/images" in caught.value.message


def test_the_cost_estimate_asks_the_provider_of_each_capability(openai_settings):
    openai_settings.STORYFORGE_IMAGE_PROVIDER = "offline"
    openai_settings.OPENAI_PRICE_IMAGE = Decimal("0.04")

    assert cost_estimate(images=12) == 0
    assert cost_estimate(text_pages=12) > 0
    openai_settings.STORYFORGE_IMAGE_PROVIDER = "openai"
    assert cost_estimate(images=12) == Decimal("0.48")


def _not_found():
    from tests.fakes.openai_server import Reply

    return Reply.error_status(404, "404 page not found")
