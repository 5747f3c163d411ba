"""Redis (the shared cache and the job queue) stops for a few seconds while the app
is in use: reading keeps working, a new book is saved and answered with a clear 503
instead of a 500, and once Redis is back everything recovers without a restart."""

import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from stories import services
from stories.models import Story
from storyforge.generation import breaker
from storyforge.generation.jobs import jobs_reap
from storyforge.generation.models import GenerationJob
from tests.api_client import token_client
from tests.chaos import shared_cache_use, wait_until
from tests.factories import CharacterFactory, UserFactory
from tests.workers import CeleryWorker, broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.slow, pytest.mark.chaos]

OUTAGE = 10.0  # seconds, as long as the proof issue asks; pages are read throughout
READ_BUDGET = 2.0  # seconds a page may take while Redis is away


def status_of(story_id) -> str:
    return Story.objects.values_list("status", flat=True).get(pk=story_id)


def test_reading_survives_a_redis_outage_and_generation_recovers_after_it(redis_server, tmp_path, settings):
    if not redis_server.is_running():
        redis_server.start()
    shared_cache_use(settings, redis_server.url)
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log").start()
    browser = Client()
    browser.force_login(user)
    api = token_client(user)
    try:
        with broker(redis_server.url):
            book, _ = services.story_create(user=user, characters=[{"character": mia.pk}], page_count=2)
            wait_until(lambda: status_of(book.pk) == "ready", 30, "the first book", worker.log)
            reading = ["/", f"/stories/{book.pk}/", "/api/v1/stories/", f"/api/v1/stories/{book.pk}/"]
            for address in reading:  # warm: the cache holds these pages' data now
                assert (api if "/api/" in address else browser).get(address).status_code == 200

            redis_server.stop()
            outage_began = time.monotonic()
            rounds = 0
            while time.monotonic() - outage_began < OUTAGE:
                for address in reading:
                    started = time.monotonic()
                    response = (api if "/api/" in address else browser).get(address)
                    assert response.status_code == 200, (address, response.content[:500])
                    assert time.monotonic() - started < READ_BUDGET, address
                rounds += 1
                time.sleep(0.2)
            assert rounds >= 2
            assert breaker.breaker_state().state == breaker.CLOSED  # an empty cache: closed

            # A new book while the queue is away: saved, and the answer says so.
            response = api.post("/api/v1/stories/", {"characters": [{"character": mia.pk}]}, format="json")
            assert response.status_code == 503, response.content
            error = response.json()["error"]
            assert error["code"] == "SERVICE_UNAVAILABLE"
            assert "saved" in error["message"]
            stranded = Story.objects.get(pk=error["details"]["story_id"])
            assert stranded.status == "queued"
            assert GenerationJob.objects.get(story=stranded).status == "queued"
            assert response["Retry-After"]

            redis_server.start()  # the same port, empty: what was queued in it is gone
            cache.set("chaos:probe", "back", 30)
            assert cache.get("chaos:probe") == "back"

            # The sweep (beat, every minute) sends the stranded job again once it is old enough.
            later = timezone.now() + timedelta(seconds=django_settings.STORYFORGE_JOB_TIMEOUT + 1)
            assert jobs_reap(now=later)["requeued"] >= 1
            wait_until(lambda: status_of(stranded.pk) == "ready", 45, "the stranded book", worker.log)

            # And a new request goes through the same, never restarted, worker.
            response = api.post("/api/v1/stories/", {"characters": [{"character": mia.pk}]}, format="json")
            assert response.status_code == 202, response.content
            fresh = response.json()["id"]
            wait_until(lambda: status_of(fresh) == "ready", 30, "a book after the outage", worker.log)
        for address in reading:
            assert (api if "/api/" in address else browser).get(address).status_code == 200
    finally:
        worker.stop()
        if not redis_server.is_running():
            redis_server.start()
