"""Fixtures for the whole suite: real servers, and isolation of files and cache between tests."""

import os
from pathlib import Path

import pytest
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

from tests.servers import RedisServer, start_or_skip

# Property tests draw the same examples on every run, so a red build can be
# reproduced and is never a roll of the dice. `HYPOTHESIS_PROFILE=explore` draws
# new ones each run, to look for counterexamples (docs/testing.md).
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


# pytest sets up autouse fixtures in name order: this one comes before
# `media_root` and its `settings`, so it runs after a test's setting overrides
# are undone and clears the suite's own cache.
@pytest.fixture(autouse=True)
def _cache_cleared():
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Each test stores its files in its own folder; the path is returned for assertions."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def redis_server():
    """A Redis server for the session (one per xdist worker); tests may stop and start it."""
    server = start_or_skip(RedisServer())
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server, settings):
    """Django's default cache on the real Redis, empty before and after the test."""
    if not redis_server.is_running():  # an earlier test stopped it and failed before starting it again
        redis_server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "storyforge",
        }
    }
    caches["default"].clear()
    yield caches["default"]
    if not redis_server.is_running():
        redis_server.start()  # the server comes back empty: nothing to flush
    else:
        caches["default"].clear()


@pytest.fixture(scope="session")
def _fake_openai_server():
    from tests.fakes.openai_server import FakeOpenAIServer

    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def fake_openai(_fake_openai_server):
    """The fake OpenAI-compatible server (tests/fakes/openai_server/), shared by the
    session and reset before and after each test."""
    _fake_openai_server.reset()
    yield _fake_openai_server
    _fake_openai_server.reset()


@pytest.fixture
def openai_settings(settings, fake_openai):
    """Settings that select the OpenAI provider and point it at the fake server."""
    settings.STORYFORGE_AI_PROVIDER = "openai"
    settings.OPENAI_API_KEY = "sk-test-0123456789abcdefghijklmnop"
    settings.OPENAI_BASE_URL = fake_openai.base_url
    settings.OPENAI_TIMEOUT = 2.0
    return settings


@pytest.fixture
def eager_tasks(settings):
    """Celery tasks run inline when enqueued, retries included (their countdowns skipped).

    Good for the pipeline's logic; the worker tests run a real worker for what this
    hides (serialisation, redelivery). Task errors are not re-raised (Celery re-raises
    its own Retry then, instead of running the retry inline): tests assert what the
    task left in the database."""
    from storyforge.celery import app

    settings.STORYFORGE_RETRY_BACKOFF_MAX = 0.01
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = False


# The fake server playing the servers self-hosters run (tests/fakes/openai_server/profiles.py):
# one server a profile for the session, started when a test first asks for it, and
# reset before and after each test.


@pytest.fixture(scope="session")
def _fake_servers():
    servers = {}
    yield servers
    for server in servers.values():
        server.stop()


def _profile_fixture(profile_name: str, doc: str):
    @pytest.fixture
    def fixture(_fake_servers):
        from tests.fakes.openai_server import FakeOpenAIServer, profiles

        if profile_name not in _fake_servers:
            _fake_servers[profile_name] = FakeOpenAIServer(profile=getattr(profiles, profile_name)).start()
        server = _fake_servers[profile_name]
        server.reset()
        yield server
        server.reset()

    fixture.__doc__ = doc
    return fixture


fake_ollama = _profile_fixture("OLLAMA", "The fake server playing Ollama: no moderations, images or speech.")
fake_ollama_reasoning = _profile_fixture(
    "OLLAMA_REASONING", "The fake server playing Ollama with a reasoning model: answers start with <think>."
)
fake_llamacpp_old = _profile_fixture(
    "LLAMACPP_OLD", "The fake server playing a 2024 llama.cpp server: json_schema refused with a 500."
)
fake_textgen_plain = _profile_fixture(
    "TEXTGEN_PLAIN", "The fake server playing a plain-text server: any JSON response_format is a 400."
)
fake_lmstudio = _profile_fixture(
    "LMSTUDIO", "The fake server playing LM Studio: routes it lacks answer 200, json_object is refused."
)
fake_vllm = _profile_fixture("VLLM", "The fake server playing vLLM: exact model names, no moderations or images.")
