"""A burst of story requests cannot overrun the daily budget.

Fifty requests for a story arrive at once, over real HTTP, at a live server whose
tasks go to a real Redis broker (no worker takes them, so nothing is spent and every
accepted story holds its whole estimate). Before reservations every one of them was
accepted, because the check counted only finished jobs; now exactly as many are
accepted as the budget holds, and the rest answer 429 QUOTA_EXCEEDED. Run on SQLite
and again on PostgreSQL (`make test`'s second pass)."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import requests
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from accounts.services import api_token_create
from stories.models import Story
from storyforge.generation.models import GenerationJob
from storyforge.generation.providers import cost_estimate
from storyforge.generation.selectors import usage_summary
from tests.factories import CharacterFactory, UserFactory
from tests.workers import broker

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db(transaction=True), pytest.mark.services]

REQUESTS = 50
BUDGET = Decimal("2.00")
PAGES = 4


class _BurstWSGIServer(ThreadedWSGIServer):
    # Django's test server queues 10 connections; the other 40 would be reset
    # before the app saw them, which is not the race this test is about.
    request_queue_size = REQUESTS


class _BurstServerThread(LiveServerThread):
    server_class = _BurstWSGIServer


@pytest.fixture
def burst_server():
    """The app served over HTTP from this process, one thread a request, as
    pytest-django's `live_server` does, with room for all the requests at once."""
    thread = _BurstServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def priced(openai_settings):
    """The OpenAI provider against the fake server, charging OpenAI's prices."""
    openai_settings.OPENAI_PRICE_TEXT_INPUT = Decimal("0.15")
    openai_settings.OPENAI_PRICE_TEXT_OUTPUT = Decimal("0.60")
    openai_settings.OPENAI_PRICE_IMAGE = Decimal("0.04")
    # The users' words are checked by the built-in word list: fifty moderation calls at
    # once would queue at the fake server, and checking words costs nothing anyway.
    openai_settings.STORYFORGE_MODERATION_PROVIDER = "offline"
    return openai_settings


def test_fifty_story_requests_at_once_are_accepted_only_up_to_the_daily_budget(
    burst_server, redis_server, priced, settings
):
    settings.STORYFORGE_DAILY_BUDGET = BUDGET
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "generation_user": None, "api_user": None}
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    _token, key = api_token_create(user=user, name="burst")
    estimate = cost_estimate(text_pages=PAGES, images=PAGES + 1)  # the pages and the cover
    fits = int(BUDGET // estimate)
    start = threading.Barrier(REQUESTS, timeout=30)

    def ask(_):
        start.wait()
        return requests.post(
            f"{burst_server}/api/v1/stories/",
            json={"characters": [{"character": mia.pk, "role": "main"}], "page_count": PAGES},
            headers={"Authorization": f"Token {key}"},
            timeout=120,
        )

    with broker(redis_server.url), ThreadPoolExecutor(REQUESTS) as pool:
        answers = list(pool.map(ask, range(REQUESTS)))

    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {202: fits, 429: REQUESTS - fits}, [a.text[:200] for a in answers if a.status_code >= 500]
    refused = [answer.json()["error"] for answer in answers if answer.status_code == 429]
    assert {error["code"] for error in refused} == {"QUOTA_EXCEEDED"}
    assert Story.objects.filter(owner=user).count() == fits
    held = sum(GenerationJob.objects.filter(owner=user).values_list("reserved", flat=True))
    assert held == fits * estimate.quantize(Decimal("0.000001"), "ROUND_UP") <= BUDGET
    assert usage_summary(user=user).reserved_today == held
