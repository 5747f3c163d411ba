import pytest

from storyforge.generation.providers.openai import OpenAIProvider


@pytest.fixture
def provider(openai_settings):
    provider = OpenAIProvider()
    yield provider
    provider.close()
