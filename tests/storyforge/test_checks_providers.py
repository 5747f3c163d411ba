"""The configuration of one provider per capability: each mistake gives its check id
and a hint; a local server with no key gives none."""

import pytest

from storyforge import checks, config


def ids(messages):
    return [message.id for message in messages]


@pytest.fixture
def local_server(settings):
    settings.STORYFORGE_AI_PROVIDER = "openai"
    settings.STORYFORGE_TEXT_PROVIDER = settings.STORYFORGE_IMAGE_PROVIDER = ""
    settings.STORYFORGE_MODERATION_PROVIDER = ""
    settings.OPENAI_BASE_URL = "http://127.0.0.1:11434/v1"
    settings.OPENAI_API_KEY = settings.IMAGE_BASE_URL = settings.IMAGE_API_KEY = ""
    settings.STORYFORGE_SPEECH_PROVIDER = settings.SPEECH_BASE_URL = settings.SPEECH_API_KEY = ""
    settings.IMAGE_PAGE_SIZE, settings.IMAGE_DENOISING_STRENGTH = "768x512", 0.6
    return settings


def test_a_local_server_needs_no_key_at_all(local_server):
    assert checks.check_ai_provider() == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("STORYFORGE_TEXT_PROVIDER", "automatic1111"),
        ("STORYFORGE_IMAGE_PROVIDER", "text-model"),
        ("STORYFORGE_MODERATION_PROVIDER", "dall-e"),
    ],
)
def test_a_provider_that_cannot_serve_its_capability_is_an_error(local_server, variable, value):
    setattr(local_server, variable, value)
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E016"
    assert variable in message.msg and value in message.msg


def test_automatic1111_without_its_address_is_an_error(local_server):
    local_server.STORYFORGE_IMAGE_PROVIDER = "automatic1111"
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E017" and "IMAGE_BASE_URL" in message.msg
    local_server.IMAGE_BASE_URL = "http://127.0.0.1:7860"
    assert checks.check_ai_provider() == []


@pytest.mark.parametrize(("size", "strength"), [("768 by 512", 0.6), ("770x512", 0.6), ("768x512", 1.5)])
def test_automatic1111_sizes_and_strengths_are_checked(local_server, size, strength):
    local_server.STORYFORGE_IMAGE_PROVIDER = "automatic1111"
    local_server.IMAGE_BASE_URL = "http://127.0.0.1:7860"
    local_server.IMAGE_PAGE_SIZE, local_server.IMAGE_DENOISING_STRENGTH = size, strength
    assert ids(checks.check_ai_provider()) == ["storyforge.E019"]


def test_moderating_with_a_text_model_that_is_not_there_is_an_error(local_server):
    local_server.STORYFORGE_TEXT_PROVIDER = "offline"
    local_server.STORYFORGE_MODERATION_PROVIDER = "text-model"
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E018"


def test_pictures_from_openai_with_text_from_ollama_need_an_openai_key(local_server):
    local_server.STORYFORGE_IMAGE_PROVIDER = "openai"
    local_server.IMAGE_BASE_URL = "https://api.openai.com/v1"
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E010" and "OPENAI_API_KEY" in message.msg
    local_server.IMAGE_API_KEY = "sk-proj-" + "A1b2C3d4" * 6
    assert checks.check_ai_provider() == []


def test_a_server_address_alone_selects_the_openai_compatible_provider():
    assert config.ai_provider_choose("", "", "http://127.0.0.1:11434/v1") == "openai"
    assert config.ai_provider_choose("", "", "") == "offline"
    assert config.ai_provider_choose(" Offline ", "sk-key", "") == "offline"


@pytest.mark.parametrize(
    ("base_url", "official"),
    [
        ("", True),
        ("https://api.openai.com/v1", True),
        ("http://127.0.0.1:11434/v1", False),
        ("https://api.openai.com.example/v1", False),
    ],
)
def test_only_openais_own_service_is_official(base_url, official):
    assert config.openai_official(base_url) is official


def test_speech_from_openai_with_text_from_ollama_needs_an_openai_key(local_server):
    local_server.STORYFORGE_SPEECH_PROVIDER = "openai"
    local_server.SPEECH_BASE_URL, local_server.SPEECH_API_KEY = "https://api.openai.com/v1", ""
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E010"
    local_server.SPEECH_API_KEY = "sk-proj-" + "A1b2C3d4" * 6
    assert checks.check_ai_provider() == []


def test_a_speech_provider_that_cannot_speak_is_an_error(local_server):
    local_server.STORYFORGE_SPEECH_PROVIDER = "automatic1111"
    [message] = checks.check_ai_provider()
    assert message.id == "storyforge.E016" and "STORYFORGE_SPEECH_PROVIDER" in message.msg
