"""/metrics: the series after real requests and a generation, and who may read them."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.cache import cache
from prometheus_client.parser import text_string_to_metric_families

from stories import services
from storyforge.core import metrics
from storyforge.generation import breaker
from storyforge.operations import metrics as operations_metrics
from tests.factories import CharacterFactory, UserFactory
from tests.fakes.openai_server import Reply

ROOT = Path(__file__).resolve().parents[2]


def scrape(client, **extra) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.content.decode())


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped, name: str, **labels) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


@pytest.mark.django_db(transaction=True)
def test_requests_and_a_generation_show_up_in_the_series(client, eager_tasks):
    before = scrape(client)
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    client.force_login(user)
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    services.story_create(user=user, characters=[{"character": mia.pk, "role": "main"}], page_count=3)
    after = scrape(client)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("storyforge_http_request_duration_seconds_count", view="home", method="GET", status="200") == 1
    assert grew("storyforge_http_request_duration_seconds_count", view="healthz", method="GET", status="200") == 1
    assert grew("storyforge_http_request_duration_seconds_count", view="unmatched", method="GET", status="404") == 1
    assert 0 < grew("storyforge_http_request_duration_seconds_sum", view="home", method="GET", status="200") < 10
    # The dashboard reads the session, the user and their characters and stories.
    assert grew("storyforge_http_request_db_queries_count", view="home") == 1
    assert grew("storyforge_http_request_db_queries_sum", view="home") >= 3
    assert value(after, "storyforge_generation_jobs", kind="story_text", status="succeeded") == 1
    assert value(after, "storyforge_generation_jobs", kind="page_illustration", status="succeeded") == 3
    assert value(after, "storyforge_generation_jobs", kind="portrait", status="failed") == 0
    assert value(after, "storyforge_generation_jobs_overdue") == 0
    assert grew("storyforge_ai_call_duration_seconds_count", operation="story_write", outcome="ok") == 1
    assert value(after, "storyforge_generation_jobs", kind="cover_illustration", status="succeeded") == 1
    # Three pages and the cover: the cover is drawn by the same call as a page picture.
    assert grew("storyforge_ai_call_duration_seconds_count", operation="page_illustrate", outcome="ok") == 3 + 1
    assert value(after, "storyforge_ai_breaker_state", state="closed") == 1
    assert value(after, "storyforge_ai_breaker_state", state="open") == 0
    assert value(after, "storyforge_errors_total", code="NOT_FOUND") >= 1
    assert value(after, "storyforge_celery_queue_depth", queue="celery") != value(
        after, "storyforge_celery_queue_depth", queue="celery"
    )  # NaN: the in-memory broker of the tests cannot say
    for collector in ("generation_jobs", "ai_breaker", "errors", "celery_queue"):
        assert value(after, "storyforge_metrics_collector_up", collector=collector) == 1
    assert value(after, "process_resident_memory_bytes") > 0


@pytest.mark.django_db(transaction=True)
def test_a_transient_ai_failure_counts_an_ai_error_and_a_task_retry(client, eager_tasks, openai_settings, fake_openai):
    fake_openai.script("chat", Reply.server_error(500))
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    before = scrape(client)
    services.story_create(user=user, characters=[{"character": mia.pk, "role": "main"}], page_count=2)
    after = scrape(client)
    retries = "storyforge_task_retries_total"
    assert (
        value(after, retries, task="stories.tasks.story_text_write")
        - value(before, retries, task="stories.tasks.story_text_write")
        == 1
    )
    errors = "storyforge_ai_call_errors_total"
    assert (
        value(after, errors, operation="story_write", code="AI_SERVER_ERROR")
        - value(before, errors, operation="story_write", code="AI_SERVER_ERROR")
        == 1
    )
    assert value(after, "storyforge_ai_breaker_failures") == 0  # the retry succeeded
    assert value(after, "storyforge_generation_jobs", kind="story_text", status="succeeded") == 1


@pytest.mark.django_db
def test_an_open_breaker_and_a_rate_limit_rejection_are_counted(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_ip": "1/m"}
    before = scrape(client)
    for _ in range(2):
        response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 429
    for _ in range(settings.STORYFORGE_BREAKER_FAILURES):
        breaker.breaker_record_failure()
    after = scrape(client)
    rejections = "storyforge_rate_limit_rejections_total"
    assert value(after, rejections, limit="login_ip") - value(before, rejections, limit="login_ip") == 1
    assert value(after, "storyforge_ai_breaker_state", state="open") == 1
    assert value(after, "storyforge_ai_breaker_failures") == settings.STORYFORGE_BREAKER_FAILURES


def cache_reads() -> dict[str, float]:
    """This process's cache counts, read from the counter itself: a scrape would read
    the cache too (the breaker, the error counts)."""
    return {
        sample.labels["result"]: sample.value
        for family in metrics.CACHE_REQUESTS.collect()
        for sample in family.samples
        if sample.name.endswith("_total") and sample.labels["cache"] == "default"
    }


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_cache_hits_and_misses_are_counted(client, request, backend):
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    client.get("/healthz")  # the middleware installs the counting
    cache.set("present", 1)
    before = cache_reads()
    assert cache.get("absent") is None and cache.get("absent", "fallback") == "fallback"
    assert cache.get("present") == 1
    assert cache.get_or_set("present", 2) == 1
    assert cache.get_many(["present", "absent"]) == {"present": 1}
    after = cache_reads()
    assert after.get("hit", 0) - before.get("hit", 0) == 3
    assert after.get("miss", 0) - before.get("miss", 0) == 3


def test_the_queue_depth_is_read_from_redis_or_the_folder_queue(settings, redis_server, tmp_path):
    import redis

    settings.CELERY_BROKER_URL = redis_server.url
    client = redis.Redis.from_url(redis_server.url)
    client.delete("celery")
    client.rpush("celery", "a", "b", "c")
    assert operations_metrics.celery_queue_depth() == 3
    client.delete("celery")
    client.close()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    for name in ("1_a.celery.msg", "2_b.celery.msg", "3_c.other.msg"):
        (tmp_path / name).write_text("{}")
    assert operations_metrics.celery_queue_depth() == 2
    settings.CELERY_BROKER_URL = "memory://"
    assert operations_metrics.celery_queue_depth() is None


@pytest.mark.django_db
def test_metrics_are_for_this_machine_or_the_token_holder_only(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    outsider = {"REMOTE_ADDR": "10.1.2.3"}
    refused = client.get("/metrics", **outsider)
    assert refused.status_code == 404 and b"storyforge_" not in refused.content
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **outsider).status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token", **outsider).status_code == 200
    # Through a reverse proxy on this machine: the proxy's address is not the client's.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ", **outsider).status_code == 404


@pytest.mark.slow
def test_multiprocess_mode_adds_up_the_counts_of_every_process(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("STORYFORGE")},
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        # tests.settings clears every variable StoryForge reads, this one included.
        "DJANGO_SETTINGS_MODULE": "storyforge.settings",
        "STORYFORGE_VAR_DIR": str(tmp_path / "var"),
        "STORYFORGE_READ_DOT_ENV": "0",
    }
    (tmp_path / "metrics").mkdir()
    count = textwrap.dedent(
        """
        import django; django.setup()
        from storyforge.core import metrics
        metrics.task_retry_count("stories.tasks.story_text_write")
        """
    )
    for _ in range(2):  # two processes, as a web worker and a Celery worker would be
        subprocess.run([sys.executable, "-c", count], env=env, cwd=ROOT, check=True, timeout=60)
    read = textwrap.dedent(
        """
        import django, json; django.setup()
        from prometheus_client import generate_latest
        from storyforge.operations import metrics
        print(json.dumps(generate_latest(metrics.scrape_registry()).decode()))
        """
    )
    answer = subprocess.run(
        [sys.executable, "-c", read], env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=60
    )
    scraped = samples(json.loads(answer.stdout.strip().splitlines()[-1]))
    assert value(scraped, "storyforge_task_retries_total", task="stories.tasks.story_text_write") == 2
