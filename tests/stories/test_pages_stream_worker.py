"""A real worker killed while the story is still streaming in: the book finishes on
redelivery, each page once, each with one picture."""

import pytest

from stories import services
from stories.models import Illustration, Page
from storyforge.generation.models import GenerationJob
from tests.factories import CharacterFactory, UserFactory
from tests.stories.test_worker import story_status, wait_until
from tests.workers import CeleryWorker, broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.slow]


def test_a_worker_killed_mid_stream_leaves_a_book_that_finishes_with_no_duplicate_page(
    redis_server, tmp_path, openai_settings, fake_openai, settings
):
    fake_openai.stream_paced = True  # the story's pages arrive over two seconds
    fake_openai.endpoint_latency = {"chat": 2.0, "images": 0.2}
    settings.STORYFORGE_RETRY_BACKOFF_MAX = 0.5
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    env = {"CELERY_VISIBILITY_TIMEOUT": "6"}  # longer than the story call: one redelivery, after the kill
    first = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "first.log", env=env).start()
    with broker(redis_server.url):
        story, text_job = services.story_create(user=user, characters=[{"character": mia.pk}], page_count=12)

    def some_pages_written():
        return 2 <= Page.objects.filter(story=story).count() < 12

    try:
        wait_until(some_pages_written, 60, first, "the first pages")
    finally:
        first.kill()
    written_before = set(Page.objects.filter(story=story).values_list("pk", "number"))
    assert len(written_before) < 12

    second = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "second.log", env=env).start()
    try:
        wait_until(lambda: story_status(story.pk) == "ready", 90, second, "the book finishing after the kill")
    finally:
        second.stop()
    pages = list(Page.objects.filter(story=story).values_list("pk", "number"))
    assert [number for _, number in pages] == list(range(1, 13))
    assert written_before <= set(pages)  # the pages of the first stream were kept, not written again
    assert Illustration.objects.filter(page__story=story, page__number__gte=1).count() == 12
    assert GenerationJob.objects.filter(story=story, kind="page_illustration").count() == 12
    text_job.refresh_from_db()
    assert text_job.status == "succeeded" and text_job.attempts == 2
