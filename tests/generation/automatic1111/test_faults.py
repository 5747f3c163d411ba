"""What goes wrong with a webui, as the retry policy sees it: permanent or transient,
with a message that says what to do and never holds the key."""

import base64
import socket

import pytest

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import Endpoint, ProviderError
from storyforge.generation.providers.facts import facts_get
from tests.fakes.automatic1111_server import Reply
from tests.generation.automatic1111.sheets import MIA, scene


def draw_error(provider) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        provider.page_illustrate(scene(MIA))
    return caught.value


def test_server_without_api_is_a_missing_capability_remembered(provider, fake_a1111):
    fake_a1111.api_enabled = False

    error = draw_error(provider)
    again = draw_error(provider)

    assert (error.code, error.transient) == (ErrorCode.AI_CAPABILITY_MISSING, False)
    assert "--api" in error.message
    assert again.code == ErrorCode.AI_CAPABILITY_MISSING
    assert len(fake_a1111.requests) == 1  # the second call knew without asking
    assert facts_get(fake_a1111.base_url)["image"] == "missing"
    assert provider.capability_missing("image")


def test_basic_auth_from_a_user_password_key(provider_make, fake_a1111, settings):
    fake_a1111.auth = "storyforge:s3cret-pass"
    settings.IMAGE_API_KEY = "storyforge:s3cret-pass"

    image = provider_make().page_illustrate(scene(MIA))

    assert image.png
    expected = "Basic " + base64.b64encode(b"storyforge:s3cret-pass").decode()
    assert {request.headers["authorization"] for request in fake_a1111.requests} == {expected}


def test_wrong_password_is_a_permanent_auth_failure_without_the_key(provider_make, fake_a1111, settings):
    fake_a1111.auth = "storyforge:s3cret-pass"
    settings.IMAGE_API_KEY = "storyforge:wrong-pass"

    error = draw_error(provider_make())

    assert (error.code, error.transient) == (ErrorCode.AI_AUTH_FAILED, False)
    assert "IMAGE_API_KEY" in error.message and "user:password" in error.message
    assert "wrong-pass" not in error.message


def test_key_without_a_colon_is_sent_as_a_bearer_token(provider_make, fake_a1111, settings):
    settings.IMAGE_API_KEY = "token-0123456789"

    provider_make().page_illustrate(scene(MIA))

    assert {request.headers["authorization"] for request in fake_a1111.requests} == {"Bearer token-0123456789"}


def test_out_of_graphics_memory_is_transient(provider, fake_a1111):
    fake_a1111.script("txt2img", Reply.out_of_memory())

    error = draw_error(provider)

    assert (error.code, error.transient) == (ErrorCode.AI_SERVER_ERROR, True)
    assert "graphics memory" in error.message
    assert provider.page_illustrate(scene(MIA)).png  # once the memory is free again


def test_server_error_is_transient(provider, fake_a1111):
    fake_a1111.script("txt2img", Reply.error(503, "Service Unavailable"))

    error = draw_error(provider)

    assert (error.code, error.transient) == (ErrorCode.AI_SERVER_ERROR, True)


def test_request_the_server_refuses_is_permanent(provider, fake_a1111):
    fake_a1111.script("txt2img", Reply.unprocessable("width"))

    error = draw_error(provider)

    assert (error.code, error.transient) == (ErrorCode.AI_BAD_REQUEST, False)
    assert "body.width: value is not a valid integer" in error.message


def test_slow_server_is_a_timeout_naming_the_setting(provider_make, fake_a1111, settings):
    settings.IMAGE_TIMEOUT = 0.5
    fake_a1111.script("txt2img", Reply.slow(3))

    error = draw_error(provider_make())

    assert (error.code, error.transient) == (ErrorCode.AI_TIMEOUT, True)
    assert "IMAGE_TIMEOUT" in error.message


def test_connection_dropped_mid_request_is_transient(provider, fake_a1111):
    fake_a1111.script("txt2img", Reply.drop())

    error = draw_error(provider)

    assert (error.code, error.transient) == (ErrorCode.AI_CONNECTION_ERROR, True)


def test_server_not_running_is_a_transient_connection_error(provider_make):
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]

    error = draw_error(provider_make(endpoint=Endpoint(f"http://127.0.0.1:{port}", "", 2.0)))

    assert (error.code, error.transient) == (ErrorCode.AI_CONNECTION_ERROR, True)
    assert f"127.0.0.1:{port}" in error.message


def test_answer_without_pictures_is_invalid_output(provider, fake_a1111):
    fake_a1111.script("txt2img", Reply.no_images())

    error = draw_error(provider)

    assert (error.code, error.transient) == (ErrorCode.AI_INVALID_OUTPUT, False)


def test_base_url_with_the_api_path_pasted_in_still_works(provider_make, fake_a1111, settings):
    settings.IMAGE_BASE_URL = fake_a1111.base_url + "/sdapi/v1/"

    assert provider_make().page_illustrate(scene(MIA)).png


def test_key_the_server_repeats_back_is_kept_out_of_the_message(provider_make, fake_a1111, settings):
    settings.IMAGE_API_KEY = "storyforge:s3cret-pass"
    fake_a1111.script("sd-models", Reply.error(403, "storyforge:s3cret-pass may not use this; nor may s3cret-pass"))

    error = draw_error(provider_make())

    assert error.code == ErrorCode.AI_AUTH_FAILED
    assert "s3cret-pass" not in error.message
    assert "may not use this" in error.message
