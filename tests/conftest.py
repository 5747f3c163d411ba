"""Fixtures for the whole suite: real servers, and isolation of files and cache between tests."""

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import django.test.testcases
import pytest
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

from tests.servers import RedisServer, S3Server, start_or_skip

# Property tests draw the same examples on every run, so a red build can be
# reproduced and is never a roll of the dice. `HYPOTHESIS_PROFILE=explore` draws
# new ones each run, to look for counterexamples (docs/testing.md).
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# Django's test server answers MEDIA_URL from MEDIA_ROOT itself, before the app sees
# the request, which would skip the private-media check (storyforge/core/private_media.py).
# The suite's live server hands every request to the app, as a production server does.
django.test.testcases._MediaFilesHandler = lambda application: application


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
def s3_server():
    """moto's S3 server for the session (one per xdist worker); see S3Server for what it lacks."""
    server = start_or_skip(S3Server())
    yield server
    server.stop()


@dataclass
class S3Bucket:
    """The test's bucket, for looking into it the way an operator would."""

    name: str
    client: object  # boto3's S3 client

    def names(self) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def empty(self) -> None:
        for key in self.names():
            self.client.delete_object(Bucket=self.name, Key=key)


@pytest.fixture
def s3_storage(s3_server, settings, media_root) -> S3Bucket:
    """Stored files go to a new, empty bucket on the moto server: the settings
    STORYFORGE_MEDIA_STORAGE=s3 makes (storyforge/config.py, settings.py), with
    MEDIA_SENDFILE's default for it, `redirect`, and the bucket's origin in the
    Content-Security-Policy. The bucket is emptied and removed afterwards."""
    from django.core.files.storage import default_storage

    from storyforge import config

    if not s3_server.is_running():
        s3_server.start()
    bucket = S3Bucket(f"storyforge-{uuid.uuid4().hex[:16]}", s3_server.client())
    bucket.client.create_bucket(Bucket=bucket.name)
    variables = s3_server.variables(bucket.name)
    settings.STORYFORGE_MEDIA_STORAGE = "s3"
    options = config.media_storage_options("s3", variables)
    for name, value in options.items():
        if name.startswith("AWS_"):
            setattr(settings, name, value)
    settings.MEDIA_SENDFILE = options["MEDIA_SENDFILE_DEFAULT"]
    settings.CONTENT_SECURITY_POLICY = config.content_security_policy(media_origin=options["MEDIA_ORIGIN"])
    # Last: changing STORAGES makes Django build default_storage again, with the AWS_* above.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": options["MEDIA_STORAGE_BACKEND"]}}
    assert default_storage.bucket_name == bucket.name
    yield bucket
    bucket.empty()
    bucket.client.delete_bucket(Bucket=bucket.name)


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
