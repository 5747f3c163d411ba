"""The fake AUTOMATIC1111 server and providers pointed at it, over real HTTP."""

import pytest

from storyforge.generation.providers.automatic1111 import Automatic1111Provider
from tests.fakes.automatic1111_server import FakeAutomatic1111Server


@pytest.fixture(scope="session")
def _automatic1111_server():
    with FakeAutomatic1111Server() as server:
        yield server


@pytest.fixture
def fake_a1111(_automatic1111_server):
    """The fake webui, shared by the session and reset before and after each test."""
    _automatic1111_server.reset()
    yield _automatic1111_server
    _automatic1111_server.reset()


@pytest.fixture
def a1111_settings(settings, fake_a1111):
    """Settings that select the AUTOMATIC1111 provider for pictures and point it at the fake."""
    settings.STORYFORGE_IMAGE_PROVIDER = "automatic1111"
    settings.IMAGE_BASE_URL = fake_a1111.base_url
    settings.IMAGE_API_KEY = ""
    settings.OPENAI_IMAGE_MODEL = ""
    settings.IMAGE_TIMEOUT = 10.0
    settings.IMAGE_MAX_CONCURRENCY = 0
    settings.IMAGE_PAGE_SIZE = "768x512"
    settings.IMAGE_DENOISING_STRENGTH = 0.6
    return settings


@pytest.fixture
def provider_make(a1111_settings):
    """Build providers from the settings as they are when called; all closed afterwards."""
    made = []

    def make(**options) -> Automatic1111Provider:
        made.append(Automatic1111Provider(**options))
        return made[-1]

    yield make
    for provider in made:
        provider.close()


@pytest.fixture
def provider(provider_make):
    return provider_make()
