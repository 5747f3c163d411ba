"""/healthz and /readyz: each dependency of readiness down in turn, with real servers."""

import threading
import time

import pytest
from django.db.utils import ConnectionHandler

from storyforge.generation import breaker
from storyforge.operations import health
from tests.servers import free_port

pytestmark = pytest.mark.django_db


def checks_of(response) -> dict:
    return response.json()["checks"]


def failing(response) -> set[str]:
    return {name for name, check in checks_of(response).items() if check["status"] != "ok"}


def test_healthz_answers_ok_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_when_every_dependency_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "ai_breaker", "ai_capabilities"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert 0 <= check["latency_ms"] < 2000
    assert body["checks"]["ai_breaker"]["detail"] == "closed"


def test_readyz_fails_on_the_cache_alone_while_redis_is_down(client, redis_cache, redis_server):
    assert client.get("/readyz").status_code == 200
    redis_server.stop()
    try:
        response = client.get("/readyz")
    finally:
        redis_server.start()
    assert response.status_code == 503
    assert response.json()["status"] == "failing"
    assert failing(response) == {"cache"}
    assert checks_of(response)["cache"]["detail"] == "ConnectionError"
    assert checks_of(response)["ai_breaker"]["detail"].startswith("unknown")
    assert client.get("/readyz").status_code == 200  # back once Redis is


def test_readyz_fails_on_the_broker_when_nothing_listens_on_its_port(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert failing(response) == {"broker"}
    assert checks_of(response)["broker"]["latency_ms"] <= 2500


def test_readyz_pings_a_redis_broker(client, settings, redis_server):
    settings.CELERY_BROKER_URL = redis_server.url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert checks_of(response)["broker"]["detail"] == "redis"


def test_readyz_checks_the_folders_of_a_folder_queue(client, settings, tmp_path):
    folders = {key: tmp_path / key for key in ("data_folder_in", "data_folder_out", "processed_folder")}
    for folder in folders.values():
        folder.mkdir()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {key: str(path) for key, path in folders.items()}
    assert client.get("/readyz").status_code == 200
    folders["processed_folder"].rmdir()
    response = client.get("/readyz")
    assert response.status_code == 503 and failing(response) == {"broker"}
    assert "processed_folder" in checks_of(response)["broker"]["detail"]


def test_readyz_fails_on_the_database_when_its_server_does_not_answer(client, monkeypatch):
    # A PostgreSQL connection like the real one, to a port nothing listens on. The
    # handler is per thread, like Django's own: the check gets a connection of its thread.
    unreachable = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "storyforge",
                "USER": "storyforge",
                "HOST": "127.0.0.1",
                "PORT": str(free_port()),
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr(health, "database_connection", lambda: unreachable["default"])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert failing(response) == {"database"}
    assert checks_of(response)["database"]["detail"] == "OperationalError"


def test_readyz_stays_ready_but_degraded_while_the_ai_circuit_breaker_is_open(client, settings):
    """Reading, editing and exporting need no AI: the node stays in the load balancer."""
    for _ in range(settings.STORYFORGE_BREAKER_FAILURES):
        breaker.breaker_record_failure()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert failing(response) == {"ai_breaker"}
    assert checks_of(response)["ai_breaker"]["status"] == "degraded"
    detail = checks_of(response)["ai_breaker"]["detail"]
    assert detail.startswith(f"open after {settings.STORYFORGE_BREAKER_FAILURES} failures; next try in")
    breaker.breaker_record_success()
    assert client.get("/readyz").json()["status"] == "ok"


def test_a_check_that_hangs_fails_after_the_timeout_without_holding_the_answer(client, settings, monkeypatch):
    settings.HEALTH_CHECK_TIMEOUT = 0.3
    released = threading.Event()
    monkeypatch.setitem(health.CHECKS, "cache", lambda: released.wait(10) and "late")
    started = time.monotonic()
    try:
        response = client.get("/readyz")
    finally:
        released.set()
    assert time.monotonic() - started < 2
    assert response.status_code == 503 and failing(response) == {"cache"}
    assert checks_of(response)["cache"]["detail"] == "no answer within 0.3 s"


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_readyz_says_who_serves_each_ai_capability_and_what_fell_back(client, openai_settings, fake_ollama):
    from storyforge.generation.providers.facts import facts_learn

    openai_settings.OPENAI_BASE_URL = fake_ollama.base_url
    facts_learn(fake_ollama.base_url, image="missing", moderation="missing", structured_output="json_object")

    response = client.get("/readyz")

    assert response.status_code == 200  # a fallback still makes books
    detail = checks_of(response)["ai_capabilities"]["detail"]
    assert detail == (
        "text: openai fallback; image: offline fallback; moderation: text-model fallback; speech: openai ok"
    )
    assert fake_ollama.base_url not in response.content.decode()  # the answer is public
