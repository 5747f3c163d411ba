"""A real Celery worker over a real Redis broker generates books end to end, and a
worker killed in the middle of a book leaves one complete book after redelivery."""

import time

import pytest

from stories import services
from stories.models import Illustration, Page, Story
from storyforge.core.logging import request_id_reset, request_id_set
from storyforge.generation.models import GenerationJob
from tests.factories import CharacterFactory, UserFactory
from tests.workers import CeleryWorker, broker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.both_databases,
]


def wait_until(condition, timeout: float, worker: CeleryWorker, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen in {timeout} s; worker log:\n{worker.log()[-4000:]}")


def story_status(story_id):
    return Story.objects.values_list("status", flat=True).get(pk=story_id)


def test_a_real_worker_writes_and_illustrates_a_story(redis_server, tmp_path):
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log").start()
    try:
        token = request_id_set("asked-for-mias-book")  # as the web request that asks would
        try:
            with broker(redis_server.url):
                story, _ = services.story_create(user=user, characters=[{"character": mia.pk}], page_count=4)
        finally:
            request_id_reset(token)
        wait_until(lambda: story_status(story.pk) == "ready", 60, worker, "the story getting ready")
    finally:
        worker.stop()
    assert Page.objects.filter(story=story, selected_illustration__isnull=False).count() == 4
    jobs = GenerationJob.objects.filter(story=story)
    assert set(jobs.values_list("status", flat=True)) == {"succeeded"}
    # The picture jobs the worker asked for carry the id of the request behind the book.
    assert set(jobs.values_list("kind", "request_id")) == {
        ("story_text", "asked-for-mias-book"),
        ("page_illustration", "asked-for-mias-book"),
        ("cover_illustration", "asked-for-mias-book"),
    }
    assert "stories.tasks.page_illustration_draw" in worker.log()


def test_a_worker_killed_mid_book_leaves_one_complete_book(
    redis_server, tmp_path, openai_settings, fake_openai, settings
):
    fake_openai.latency = 0.4
    settings.STORYFORGE_RETRY_BACKOFF_MAX = 0.5
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    env = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    first = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "first.log", env=env).start()
    with broker(redis_server.url):
        story, _ = services.story_create(user=user, characters=[{"character": mia.pk}], page_count=12)

    def some_pictures_drawn():
        return 2 <= Illustration.objects.filter(page__story=story).count() < 12

    try:
        wait_until(some_pictures_drawn, 60, first, "the first pictures")
    finally:
        first.kill()
    drawn_before = Illustration.objects.filter(page__story=story).count()
    assert drawn_before < 12

    second = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "second.log", env=env).start()
    try:
        wait_until(lambda: story_status(story.pk) == "ready", 90, second, "the book finishing after the kill")
    finally:
        second.stop()
    pages = Page.objects.filter(story=story)
    assert pages.count() == 12
    assert Illustration.objects.filter(page__story=story).count() == 12  # one picture per page, no duplicates
    assert not pages.filter(selected_illustration__isnull=True).exists()
    jobs = GenerationJob.objects.filter(story=story)
    assert jobs.filter(kind="page_illustration").count() == 12
    assert set(jobs.values_list("status", flat=True)) == {"succeeded"}
    story.refresh_from_db()
    assert story.cost == sum(job.cost for job in jobs)  # nothing charged twice
