"""A worker SIGKILLed five times while it makes a twelve-page book: the tasks it
held are delivered again, and the book comes out once, charged once.

A worker killed just after its transaction committed, while it was still sending
the picture jobs that transaction created, takes those messages with it: the jobs
stay queued, never delivered. The stuck-job sweep (beat, every minute) sends such
jobs again once they are older than STORYFORGE_JOB_TIMEOUT; the test runs that
sweep as if the timeout had passed, as beat would."""

from datetime import timedelta
from decimal import Decimal

import pytest
import redis
from django.utils import timezone

from stories import services
from stories.models import Illustration, Page, Story
from storyforge.generation.jobs import jobs_reap
from storyforge.generation.models import GenerationJob
from tests.chaos import shared_cache_use, successful, wait_until
from tests.factories import CharacterFactory, UserFactory
from tests.workers import CeleryWorker, broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.slow, pytest.mark.chaos]

KILLS = 5
PAGES = 12


def test_a_book_survives_five_worker_kills_and_is_made_once(
    redis_server, tmp_path, openai_settings, fake_openai, settings
):
    shared_cache_use(settings, redis_server.url)
    fake_openai.latency = 0.3
    settings.STORYFORGE_RETRY_BACKOFF_MAX = 0.5
    settings.STORYFORGE_DAILY_BUDGET = Decimal("1000")
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    # One slot, so that each kill lands in the middle of a task; unacknowledged
    # tasks come back after three seconds.
    env = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    with broker(redis_server.url):
        story, _ = services.story_create(user=user, characters=[{"character": mia.pk}], page_count=PAGES)

    def drawn() -> int:
        return Illustration.objects.filter(page__story=story).count()

    def text_running() -> bool:
        return GenerationJob.objects.filter(story=story, kind="story_text", status="running").exists()

    kills_mid_task = 0
    for kill in range(KILLS):
        worker = CeleryWorker(
            redis_url=redis_server.url, log_path=tmp_path / f"worker-{kill}.log", concurrency=1, env=env
        )
        worker.start()
        before = drawn()
        try:
            if kill == 0:  # the first one while it writes the text
                wait_until(text_running, 30, "the text job starting", worker.log)
            else:
                wait_until(lambda: drawn() > before, 30, f"a picture after kill {kill}", worker.log)  # noqa: B023
        finally:
            worker.kill()
        kills_mid_task += GenerationJob.objects.filter(story=story, status="running").exists()
    assert drawn() < PAGES, "the book was finished before the last kill"
    assert kills_mid_task >= 3, "the kills did not interrupt tasks"

    last = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "last.log", concurrency=2, env=env).start()
    try:

        def ready() -> bool:
            return Story.objects.get(pk=story.pk).status == "ready"

        def settled() -> bool:
            """Ready, or every message the broker holds (waiting or unacknowledged) is done."""
            if ready():
                return True
            queued_or_held = redis_client.llen("celery") + redis_client.hlen("unacked")
            return not queued_or_held and not GenerationJob.objects.filter(story=story, status="running").exists()

        redis_client = redis.Redis.from_url(redis_server.url)
        wait_until(settled, 60, "the delivered tasks finishing", last.log)
        if not ready():  # jobs whose messages died with a worker: the sweep sends them again
            as_beat_would_later = timezone.now() + timedelta(seconds=settings.STORYFORGE_JOB_TIMEOUT + 1)
            with broker(redis_server.url):
                assert jobs_reap(now=as_beat_would_later)["requeued"]
        wait_until(ready, 60, "the book finishing", last.log)
    finally:
        last.stop()

    pages = Page.objects.filter(story=story)
    assert pages.count() == PAGES
    assert Illustration.objects.filter(page__story=story).count() == PAGES  # no picture twice
    assert not pages.filter(selected_illustration__isnull=True).exists()
    jobs = GenerationJob.objects.filter(story=story)
    assert jobs.filter(kind="story_text").count() == 1
    assert jobs.filter(kind="page_illustration").count() == PAGES
    assert set(jobs.values_list("status", flat=True)) == {"succeeded"}
    assert jobs.filter(attempts__gt=1).exists(), "no task was delivered again"
    story.refresh_from_db()
    assert story.cost == sum(job.cost for job in jobs)  # nothing charged twice
    assert sum(job.cost for job in jobs.filter(kind="page_illustration")) == PAGES * settings.OPENAI_PRICE_IMAGE
    # Pictures the killed workers were drawing were asked for again, never charged twice.
    assert len(successful(fake_openai.requests, "images", "edits")) >= PAGES
