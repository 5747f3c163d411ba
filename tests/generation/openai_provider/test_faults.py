"""Faults: each answer of the AI service that is not a usable one, mapped to its error
code, whether it is worth retrying and when, without repeating the API key."""

import time

import pytest

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import ProviderError
from storyforge.generation.providers.openai import OpenAIProvider
from tests.fakes.openai_server import Reply
from tests.generation.openai_provider.briefs import MIA, brief, story_error
from tests.servers import free_port


@pytest.mark.parametrize(
    ("reply", "code", "transient", "retry_after"),
    [
        (Reply.rate_limited(7), ErrorCode.AI_RATE_LIMITED, True, 7.0),
        (Reply.rate_limited(None, retry_after_ms=1500), ErrorCode.AI_RATE_LIMITED, True, 1.5),
        (Reply.rate_limited(None), ErrorCode.AI_RATE_LIMITED, True, None),
        (Reply.server_error(500), ErrorCode.AI_SERVER_ERROR, True, None),
        (Reply.server_error(503), ErrorCode.AI_SERVER_ERROR, True, None),
        (Reply.error_status(409, "Conflict."), ErrorCode.AI_SERVER_ERROR, True, None),
        (Reply.error_status(408, "Request timeout."), ErrorCode.AI_TIMEOUT, True, None),
        (Reply.content_policy(), ErrorCode.CONTENT_FLAGGED, False, None),
        (Reply.bad_request(), ErrorCode.AI_BAD_REQUEST, False, None),
        (Reply.bad_request("Invalid type for 'safety_identifier'."), ErrorCode.AI_BAD_REQUEST, False, None),
        (
            Reply.error_status(400, "Flagged by moderation.", code="moderation_blocked"),
            ErrorCode.CONTENT_FLAGGED,
            False,
            None,
        ),
        (Reply.error_status(404, "The model `story-model` does not exist."), ErrorCode.AI_MODEL_MISSING, False, None),
        (Reply.unauthorized(), ErrorCode.AI_AUTH_FAILED, False, None),
        (Reply.error_status(403, "Project lacks access."), ErrorCode.AI_AUTH_FAILED, False, None),
        (Reply.stream_cut(), ErrorCode.AI_CONNECTION_ERROR, True, None),
        (Reply.stream_truncated(), ErrorCode.AI_SERVER_ERROR, True, None),
        (Reply.malformed(), ErrorCode.AI_SERVER_ERROR, True, None),
    ],
    ids=lambda value: value.label if isinstance(value, Reply) else None,
)
def test_fault_maps_to_its_code(provider, fake_openai, settings, reply, code, transient, retry_after):
    fake_openai.script("chat", reply)

    error = story_error(provider)

    assert (error.code, error.transient, error.retry_after) == (code, transient, retry_after)
    assert settings.OPENAI_API_KEY not in error.message
    assert settings.OPENAI_API_KEY not in str(error)


def test_rate_limit_message_says_how_long_to_wait(provider, fake_openai):
    fake_openai.script("chat", Reply.rate_limited(3))

    assert story_error(provider).message == "The AI service is busy (429); it asked us to wait 3 s."


def test_retry_after_as_an_http_date_becomes_seconds(provider, fake_openai):
    fake_openai.script("chat", Reply.rate_limited(30, http_date=True))

    assert 27 <= story_error(provider).retry_after <= 30


def test_rejected_api_key_is_not_repeated_in_the_error(provider, fake_openai, settings):
    fake_openai.script("chat", Reply.unauthorized())

    error = story_error(provider)

    assert "Incorrect API key provided" in error.message
    assert settings.OPENAI_API_KEY not in error.message
    assert "sk-test" not in error.message


def test_slow_answer_is_a_timeout(provider, fake_openai, settings):
    settings.OPENAI_TIMEOUT = 0.5
    fake_openai.script("chat", Reply.slow(3))
    started = time.monotonic()

    error = story_error(provider)

    assert (error.code, error.transient) == (ErrorCode.AI_TIMEOUT, True)
    assert time.monotonic() - started < 2
    assert "0.5 s" in error.message


def test_unreachable_service_is_a_connection_error(openai_settings):
    openai_settings.OPENAI_BASE_URL = f"http://127.0.0.1:{free_port()}/v1"
    provider = OpenAIProvider()

    error = story_error(provider)
    provider.close()

    assert (error.code, error.transient) == (ErrorCode.AI_CONNECTION_ERROR, True)
    assert openai_settings.OPENAI_API_KEY not in error.message


def test_content_filter_stop_is_flagged(provider, fake_openai):
    fake_openai.script("chat", Reply.content("", finish_reason="content_filter"))

    error = story_error(provider)

    assert (error.code, error.transient) == (ErrorCode.CONTENT_FLAGGED, False)


def test_image_and_moderation_faults_use_the_same_mapping(provider, fake_openai):
    fake_openai.script("images", Reply.rate_limited(2))
    fake_openai.script("moderations", Reply.server_error(502))

    with pytest.raises(ProviderError) as drawing:
        provider.portrait_draw(MIA, count=1, art_style="crayon", seed=1)
    with pytest.raises(ProviderError) as moderating:
        provider.moderate(["hello"])

    assert (drawing.value.code, drawing.value.retry_after) == (ErrorCode.AI_RATE_LIMITED, 2.0)
    assert (moderating.value.code, moderating.value.transient) == (ErrorCode.AI_SERVER_ERROR, True)


def test_a_missing_api_key_for_openais_own_service_is_an_auth_failure(openai_settings, fake_openai):
    openai_settings.OPENAI_API_KEY = ""
    openai_settings.OPENAI_BASE_URL = ""  # OpenAI's service: the client refuses before any request
    provider = OpenAIProvider()

    error = story_error(provider)
    provider.close()

    assert (error.code, error.transient) == (ErrorCode.AI_AUTH_FAILED, False)
    assert fake_openai.requests == []


def test_a_compatible_server_needs_no_key(openai_settings, fake_openai):
    """Ollama, LM Studio and llama.cpp ignore the key; StoryForge does not insist on one."""
    openai_settings.OPENAI_API_KEY = ""
    provider = OpenAIProvider()

    draft = provider.story_write(brief())
    provider.close()

    assert len(draft.pages) == brief().page_count
    assert fake_openai.requests_for("chat")[0].headers["authorization"] == "Bearer not-needed"
