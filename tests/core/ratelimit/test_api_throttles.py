"""The API's throttles: the atomic fixed-window counter, its 429 answers and
RateLimit fields, and exactly the limit let through under concurrency, in one
process and across processes sharing Redis."""

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from rest_framework.test import APIClient

from storyforge.core.ratelimit import counter_hit
from tests.core.ratelimit.urls import URLS, parsed

ROOT = Path(__file__).resolve().parents[3]
# A tenth of a second before a minute (and its window) ends.
END_OF_A_MINUTE = datetime(2026, 3, 14, 12, 30, 59, 900_000, tzinfo=UTC)


@pytest.mark.urls(URLS)
def test_the_api_refuses_past_the_limit_with_retry_after_and_ratelimit_fields(rates, frozen):
    client = APIClient()
    answers = [client.get("/api/v1/test/limited/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    body = refused.json()["error"]
    assert body["code"] == "RATE_LIMITED" and body["request_id"] == refused["X-Request-ID"]
    assert refused["Retry-After"] == "30"  # whole seconds to the end of the minute
    assert body["details"] == {"retry_after": 30}
    policy, usage = parsed(refused)
    assert policy == {"name": "api_user", "q": "3", "w": "60"}
    assert usage == {"name": "api_user", "r": "0", "t": "30"}


@pytest.mark.urls(URLS)
def test_allowed_api_answers_carry_the_remaining_count(rates, frozen):
    client = APIClient()
    remaining = [parsed(client.get("/api/v1/test/limited/"))[1]["r"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    ok = client.get("/api/v1/test/limited/")
    assert ok.status_code == 429


@pytest.mark.urls(URLS)
def test_the_api_lets_the_client_in_again_when_the_window_ends(rates, frozen):
    client = APIClient()
    for _ in range(3):
        client.get("/api/v1/test/limited/")
    assert client.get("/api/v1/test/limited/").status_code == 429
    frozen.shift(timedelta(seconds=29))
    refused = client.get("/api/v1/test/limited/")
    assert (refused.status_code, refused["Retry-After"]) == (429, "1")
    frozen.shift(timedelta(seconds=1))
    assert client.get("/api/v1/test/limited/").status_code == 200


@pytest.mark.urls(URLS)
def test_retry_after_is_at_least_one_second_at_the_very_end_of_a_window(rates):
    with time_machine.travel(END_OF_A_MINUTE, tick=False):
        client = APIClient()
        for _ in range(3):
            client.get("/api/v1/test/limited/")
        assert client.get("/api/v1/test/limited/")["Retry-After"] == "1"


@pytest.mark.urls(URLS)
def test_generation_has_its_own_hourly_limit_and_both_limits_are_reported(rates, frozen):
    client = APIClient()
    assert [client.post("/api/v1/test/generate/").status_code for _ in range(3)] == [202, 202, 429]
    refused = client.post("/api/v1/test/generate/")
    assert refused["Retry-After"] == str(30 * 60 - 30)  # the hour's window, not the minute's
    assert refused["RateLimit-Policy"].startswith('"generation_user";q=2;w=3600')
    assert '"api_user";q=3;w=60' in refused["RateLimit-Policy"]
    frozen.shift(timedelta(minutes=1))
    assert client.get("/api/v1/test/generate/").status_code == 200  # reading is not generating


@pytest.mark.urls(URLS)
def test_the_token_endpoint_is_limited_per_username_whatever_the_address(rates, frozen):
    answers = [
        APIClient(REMOTE_ADDR=f"203.0.113.{n}").post("/api/v1/test/token/", {"username": " Mia "}, format="json")
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    other = APIClient().post("/api/v1/test/token/", {"username": "leo"}, format="json")
    assert other.status_code == 200


@pytest.mark.urls(URLS)
def test_a_limit_turned_off_does_not_count(rates, frozen):
    rates["api_user"] = None
    client = APIClient()
    answers = [client.get("/api/v1/test/limited/") for _ in range(10)]
    assert {a.status_code for a in answers} == {200}
    assert not answers[-1].has_header("RateLimit")


@pytest.mark.urls(URLS)
def test_the_limit_is_read_from_settings_at_each_request(rates, frozen):
    client = APIClient()
    for _ in range(3):
        client.get("/api/v1/test/limited/")
    rates["api_user"] = "10/m"
    assert client.get("/api/v1/test/limited/").status_code == 200


def test_exactly_the_limit_gets_through_of_fifty_simultaneous_requests(frozen):
    start = threading.Barrier(50)

    def hit(_):
        start.wait()
        return counter_hit("api_user", "user:1", 5, 60)

    with ThreadPoolExecutor(50) as pool:
        states = list(pool.map(hit, range(50)))
    assert sum(not state.exceeded for state in states) == 5
    assert sorted(state.remaining for state in states if not state.exceeded) == [0, 1, 2, 3, 4]


@pytest.mark.urls(URLS)
def test_exactly_the_limit_of_simultaneous_api_requests_is_answered(rates, frozen):
    rates["api_user"] = "5/m"
    start = threading.Barrier(50)

    def request(_):
        client = APIClient(REMOTE_ADDR="198.51.100.7")
        start.wait()
        return client.get("/api/v1/test/limited/").status_code

    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(request, range(50)))
    assert (statuses.count(200), statuses.count(429)) == (5, 45)


# Across processes, on a real Redis

PROCESS_SCRIPT = """
import sys, threading
import django
from django.conf import settings
settings.configure(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": sys.argv[1], "KEY_PREFIX": "storyforge"}},
    RATE_LIMITS={"api_user": "5/m"},
)
django.setup()
from storyforge.core.ratelimit import counter_hit

now, threads = float(sys.argv[2]), int(sys.argv[3])
results, start = [], threading.Barrier(threads)
def hit():
    start.wait()
    results.append(counter_hit("api_user", "user:42", 5, 60, now=now))
workers = [threading.Thread(target=hit) for _ in range(threads)]
print("ready", flush=True)
sys.stdin.readline()  # all processes start counting together
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print(sum(not state.exceeded for state in results), flush=True)
"""


@pytest.mark.services
def test_exactly_the_limit_gets_through_across_processes_sharing_redis(redis_server, redis_cache):
    now = (int(datetime.now(UTC).timestamp()) // 60) * 60 + 30.0  # one window for every process
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS"))}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS_SCRIPT, redis_server.url, str(now), "5"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(10)
    ]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready"
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        allowed = [int(process.communicate(timeout=60)[0].strip()) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert sum(allowed) == 5  # of 10 processes x 5 threads
    assert counter_hit("api_user", "user:42", 5, 60, now=now).exceeded  # this process sees the same count
