"""A third of the AI calls fail (429, 500, timeouts) while a real worker makes
twenty books over a real Redis: every book still ends ready, with one page and one
picture per page, and every cent charged once."""

from decimal import Decimal

import pytest

from stories import services
from stories.models import Illustration, Page, Story
from storyforge.generation.models import GenerationJob
from tests.chaos import character_of, chat_cost, shared_cache_use, story_statuses, successful, wait_until
from tests.factories import CharacterFactory, UserFactory
from tests.workers import CeleryWorker, broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.slow, pytest.mark.chaos]

NAMES = [
    "Ada",
    "Ben",
    "Cleo",
    "Dev",
    "Eli",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Jun",
    "Kai",
    "Lea",
    "Max",
    "Nia",
    "Oto",
    "Pia",
    "Quin",
    "Rui",
    "Sol",
    "Tea",
]
PAGES = 3
CENT_FRACTION = Decimal("0.000001")  # the precision costs are stored with


def test_books_made_through_transient_ai_failures_are_complete_and_charged_once(
    redis_server, tmp_path, openai_settings, fake_openai, settings
):
    shared_cache_use(settings, redis_server.url)
    settings.OPENAI_TIMEOUT = settings.IMAGE_TIMEOUT = 0.75
    fake_openai.slow_seconds = 1.0  # a "timeout" fault answers after the client gave up
    settings.STORYFORGE_RETRY_BACKOFF_MAX = 0.3
    settings.STORYFORGE_RETRY_LIMIT = 12  # a text attempt fails half the time (two calls)
    settings.STORYFORGE_DAILY_BUDGET = Decimal("1000")
    user = UserFactory()
    cast = [CharacterFactory(owner=user, name=name) for name in NAMES]
    with broker(redis_server.url):  # queued in Redis; no worker yet, so no call is made
        stories = [
            services.story_create(user=user, characters=[{"character": c.pk}], page_count=PAGES)[0] for c in cast
        ]
    ids = [story.pk for story in stories]
    fake_openai.requests.clear()  # the web side's moderation of the briefs
    fake_openai.chaos(0.3, seed=7, faults=("429", "500", "timeout"))

    env = {"STORYFORGE_RETRY_LIMIT": "12", "STORYFORGE_BREAKER_FAILURES": "1000"}
    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log", concurrency=4, env=env)
    worker.start()
    try:
        wait_until(lambda: story_statuses(ids).get("ready") == len(ids), 75, "every book getting ready", worker.log)
        # The cover is queued after the pages and may still be drawn once the book is ready.
        unfinished = GenerationJob.objects.filter(story__in=ids, status__in=["queued", "running"])
        wait_until(lambda: not unfinished.exists(), 60, "every cover drawn", worker.log)
    finally:
        worker.stop()

    requests = list(fake_openai.requests)
    faults = [request for request in requests if request.reply != "ok"]
    assert len(faults) >= 0.2 * len(requests), "the chaos did not happen"
    assert {"429", "500", "slow"} <= {request.reply for request in faults}

    for story in Story.objects.filter(pk__in=ids):
        pages = Page.objects.filter(story=story)
        assert pages.count() == PAGES
        assert Illustration.objects.filter(page__story=story).count() == PAGES
        assert not pages.filter(selected_illustration__isnull=True).exists()
        assert Illustration.objects.filter(page__story=story, is_selected=True).count() == PAGES
        jobs = GenerationJob.objects.filter(story=story)
        assert set(jobs.values_list("status", flat=True)) == {"succeeded"}
        assert story.cost == sum(job.cost for job in jobs)

    # What the fake server answered successfully is exactly what was charged.
    pictures = successful(requests, "images", "edits")
    assert len(pictures) == len(ids) * (PAGES + 1)  # every page and the cover, no picture drawn twice
    assert Story.objects.filter(pk__in=ids, cover__isnull=True).count() == 0
    picture_jobs = GenerationJob.objects.filter(story__in=ids, kind__in=["page_illustration", "cover_illustration"])
    assert sum(job.cost for job in picture_jobs) == len(pictures) * settings.OPENAI_PRICE_IMAGE
    chats = successful(requests, "chat")
    for story in Story.objects.filter(pk__in=ids).prefetch_related("cast__character"):
        name = story.cast.get().character.name
        text_job = GenerationJob.objects.get(story=story, kind="story_text")
        # A story written again (its moderation failed after the chat answered) is
        # charged for every answer the service gave, each once: the service was paid for both.
        costs = [chat_cost(request).quantize(CENT_FRACTION) for request in chats if character_of(request) == name]
        assert abs(text_job.cost - sum(costs)) <= CENT_FRACTION * len(costs), name
        assert story.cost == text_job.cost + (PAGES + 1) * settings.OPENAI_PRICE_IMAGE
