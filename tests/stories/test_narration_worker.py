"""A book narrated end to end by a real Celery worker over Redis, against the fake
speech endpoint with a 429 and a 500 injected: each retried once, every sentence
spoken into exactly one clip, the cost charged once."""

import time

import pytest

from stories import services
from stories.models import SentenceClip, Story
from storyforge.core import audio
from storyforge.core.reading import sentences
from storyforge.generation.models import GenerationJob
from tests.factories import StoryFactory, UserFactory
from tests.fakes.openai_server import Reply
from tests.workers import CeleryWorker, broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.slow]

TEXT = "Mia found a red ball. It rolled down the hill! The duck gave it back."


def test_a_worker_narrates_a_book_through_faults_without_a_clip_made_twice(
    redis_server, tmp_path, openai_settings, fake_openai, settings
):
    settings.STORYFORGE_RETRY_BACKOFF_MAX = 0.2
    user = UserFactory()
    story = StoryFactory(owner=user, status=Story.Status.READY, page_count=6, pages=6)
    story.pages.update(text=TEXT)
    expected = 6 * len(sentences(TEXT))
    fake_openai.script("speech", Reply.ok(), Reply.ok(), Reply.rate_limited(retry_after=0.1), Reply.server_error())

    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log").start()
    try:
        with broker(redis_server.url):
            jobs = services.story_narrate(user=user, story_id=story.pk)
        assert len(jobs) == 6
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            statuses = set(GenerationJob.objects.filter(story=story).values_list("status", flat=True))
            if statuses <= {"succeeded", "failed"}:
                break
            time.sleep(0.2)
    finally:
        worker.stop()

    assert set(GenerationJob.objects.filter(story=story).values_list("status", flat=True)) == {"succeeded"}, (
        worker.log()[-3000:]
    )
    clips = list(SentenceClip.objects.filter(page__story=story))
    assert len(clips) == expected
    assert len({(clip.page_id, clip.index) for clip in clips}) == expected  # no clip made twice
    replies = [request.reply for request in fake_openai.requests_for("speech")]
    assert sorted(replies) == sorted(["ok"] * expected + ["429", "500"])  # each fault retried once
    for clip in clips[:3]:
        with clip.audio.open("rb") as file:
            assert abs(audio.duration_ms(file.read()) - clip.duration_ms) <= 1
    story.refresh_from_db()
    assert story.cost == sum(clip.cost for clip in clips) > 0  # charged once, for the clips kept
