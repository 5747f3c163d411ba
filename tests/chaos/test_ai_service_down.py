"""The AI service goes down: the circuit breaker, shared through Redis by the
worker and the web process, opens after STORYFORGE_BREAKER_FAILURES failures,
new books are refused at once with AI_UNAVAILABLE, and after the cool-off a
single probe finds the service back and closes it."""

import time
from decimal import Decimal

import pytest

from stories import services
from stories.models import Story
from storyforge.generation import breaker
from tests.api_client import token_client
from tests.chaos import shared_cache_use, story_statuses, wait_until
from tests.factories import CharacterFactory, UserFactory
from tests.workers import CeleryWorker, broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.slow, pytest.mark.chaos]

FAILURES = 3
COOLOFF = 2.0
PROBE_SECONDS = 0.6  # the probe's answer takes this long, so the other slot asks meanwhile


def test_the_breaker_opens_fails_fast_and_one_probe_closes_it(
    redis_server, tmp_path, openai_settings, fake_openai, settings
):
    shared_cache_use(settings, redis_server.url)
    settings.STORYFORGE_BREAKER_FAILURES = FAILURES
    settings.STORYFORGE_BREAKER_COOLOFF = COOLOFF
    settings.STORYFORGE_RETRY_BACKOFF_MAX = 0.2
    settings.STORYFORGE_DAILY_BUDGET = Decimal("1000")
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    with broker(redis_server.url):
        ids = [
            services.story_create(user=user, characters=[{"character": mia.pk}], page_count=2)[0].pk for _ in range(2)
        ]
    fake_openai.requests.clear()
    fake_openai.chaos(1.0, faults=("500",))  # the service is down: every call fails

    env = {
        "STORYFORGE_BREAKER_FAILURES": str(FAILURES),
        "STORYFORGE_BREAKER_COOLOFF": str(COOLOFF),
        "STORYFORGE_RETRY_LIMIT": "20",
    }
    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log", concurrency=2, env=env)
    worker.start()
    try:
        wait_until(lambda: breaker.breaker_state().state == breaker.OPEN, 20, "the breaker opening", worker.log)
        # The other slot's call may have left before the breaker opened and not yet
        # arrived: count the calls once none has come for a moment (well within the
        # cool-off, after which the probe would come).
        failed_calls = len(fake_openai.requests)
        for _ in range(6):
            time.sleep(0.1)
            if len(fake_openai.requests) == failed_calls:
                break
            failed_calls = len(fake_openai.requests)
        assert FAILURES <= failed_calls <= FAILURES + 1  # two slots may both be asking when it opens

        api = token_client(user)
        started = time.monotonic()
        with broker(redis_server.url):
            response = api.post("/api/v1/stories/", {"characters": [{"character": mia.pk}]}, format="json")
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "AI_UNAVAILABLE"
        assert 1 <= int(response["Retry-After"]) <= COOLOFF + 1
        assert elapsed < 1.0
        assert len(fake_openai.requests) == failed_calls  # refused without asking the AI service
        assert Story.objects.count() == 2  # nothing saved for the refused request

        # The service comes back, slowly enough that both slots meet the half-open breaker.
        fake_openai.chaos(0.0)
        fake_openai.endpoint_latency["chat"] = PROBE_SECONDS
        wait_until(lambda: len(fake_openai.requests) > failed_calls, COOLOFF + 10, "the probe", worker.log)
        probe = fake_openai.requests[failed_calls]
        assert probe.at - fake_openai.requests[failed_calls - 1].at >= COOLOFF - 0.5  # waited for the cool-off
        wait_until(lambda: story_statuses(ids).get("ready") == 2, 30, "both books getting ready", worker.log)
    finally:
        worker.stop()

    during_probe = [request for request in fake_openai.requests if probe.at <= request.at < probe.at + PROBE_SECONDS]
    assert during_probe == [probe]  # exactly one call while half-open
    assert probe.endpoint == "chat" and probe.reply == "ok"
    assert breaker.breaker_state().state == breaker.CLOSED
