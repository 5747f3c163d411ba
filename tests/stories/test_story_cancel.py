"""Stopping a story being made: queued jobs are cancelled and let go of the budget,
an AI call already running finishes but its result is dropped, the pages already
made stay, the story says it was stopped, and retrying finishes it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from stories import services
from stories.models import Illustration, Page, Story
from storyforge.generation.models import GenerationJob
from storyforge.generation.providers.offline import OfflineProvider
from storyforge.generation.selectors import usage_summary
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.factories import CharacterFactory, PortraitFactory, StoryFactory
from tests.stories.api_fixtures import *  # noqa: F403 - the fixtures
from tests.stories.api_fixtures import STORIES, assert_not_found_without_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def hero(owner):
    character = CharacterFactory(owner=owner, name="Mia")
    PortraitFactory(character=character)
    return character


def asked_for(owner, hero, callbacks, **brief) -> Story:
    """A story asked for, its text job queued and not run yet."""
    with callbacks(execute=False):
        story, _job = services.story_create(
            user=owner, characters=[{"character": hero.pk, "role": "main"}], page_count=3, **brief
        )
    return story


def test_cancelling_a_queued_story_cancels_its_jobs_and_lets_go_of_the_budget(
    api, owner, hero, django_capture_on_commit_callbacks
):
    story = asked_for(owner, hero, django_capture_on_commit_callbacks)
    GenerationJob.objects.filter(story=story).update(reserved=Decimal("0.05"))
    response = api.post(f"{STORIES}{story.pk}/cancel/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["error_code"]) == ("failed", "STORY_CANCELLED")
    assert "stopped" in body["error_message"]
    job = GenerationJob.objects.get(story=story)
    assert (job.status, job.reserved) == ("cancelled", 0)
    assert usage_summary(user=owner).reserved_today == 0


def test_a_cancelled_job_that_is_delivered_never_runs(owner, hero, django_capture_on_commit_callbacks):
    story = asked_for(owner, hero, django_capture_on_commit_callbacks)
    services.story_cancel(user=owner, story_id=story.pk)
    services.story_text_write(job_id=GenerationJob.objects.get(story=story).pk)
    story.refresh_from_db()
    assert not Page.objects.filter(story=story).exists()
    assert (story.status, story.error_code) == ("failed", "STORY_CANCELLED")


def test_a_running_ai_call_finishes_but_its_result_is_dropped(
    owner, hero, django_capture_on_commit_callbacks, monkeypatch
):
    story = asked_for(owner, hero, django_capture_on_commit_callbacks)
    job = GenerationJob.objects.get(story=story)
    real = OfflineProvider.story_write

    def written_while_stopped(self, brief):
        services.story_cancel(user=owner, story_id=story.pk)  # the grown-up presses Stop meanwhile
        return real(self, brief)

    monkeypatch.setattr(OfflineProvider, "story_write", written_while_stopped)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.story_text_write(job_id=job.pk)
    story.refresh_from_db()
    job.refresh_from_db()
    assert not Page.objects.filter(story=story).exists()
    assert (story.status, story.error_code) == ("failed", "STORY_CANCELLED")
    assert (job.status, job.reserved) == ("cancelled", 0)
    assert not GenerationJob.objects.filter(story=story, kind="page_illustration").exists()
    assert not [callback for callback in callbacks if not hasattr(callback, "pagecache_user_ids")]


def test_the_pages_already_made_stay_and_retrying_finishes_the_book(
    api, owner, hero, eager_tasks, django_capture_on_commit_callbacks
):
    story = asked_for(owner, hero, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):  # the text, not the pictures
        services.story_text_write(job_id=GenerationJob.objects.get(story=story).pk)
    drawn = GenerationJob.objects.filter(story=story, kind="page_illustration").order_by("pk").first()
    services.page_illustration_draw(job_id=drawn.pk)  # one picture made before Stop
    body = api.post(f"{STORIES}{story.pk}/cancel/").json()
    assert "3 page(s) already written are kept" in body["error_message"]
    # The book's cover is page 1's picture until the cover is drawn: a full address, as everywhere.
    assert body["cover"]["source"] == "page" and body["cover"]["url"].startswith("http://testserver/media/")
    assert Page.objects.filter(story=story).count() == 3
    assert Illustration.objects.filter(page__story=story).count() == 1
    pictures = GenerationJob.objects.filter(story=story, kind="page_illustration")
    assert sorted(pictures.values_list("status", flat=True)) == ["cancelled", "cancelled", "succeeded"]

    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.story_retry(user=owner, story_id=story.pk)
    assert len(jobs) == 2
    story.refresh_from_db()
    assert story.status == "ready"
    assert Illustration.objects.filter(page__story=story).count() == 3


@pytest.mark.parametrize("status", [Story.Status.READY, Story.Status.FAILED, Story.Status.DRAFT])
def test_cancelling_a_story_that_is_not_being_made_is_a_conflict(api, owner, status):
    story = StoryFactory(owner=owner, status=status, error_code="AI_TIMEOUT", pages=1)
    error = assert_error(api.post(f"{STORIES}{story.pk}/cancel/"), 409, "CONFLICT")
    assert error["details"] == {"status": status}
    assert "nothing to stop" in error["message"]
    story.refresh_from_db()
    assert story.status == status


def test_another_grown_ups_story_cannot_be_cancelled(api, stranger):
    theirs = StoryFactory(owner=stranger, title="Secret Sam's Book", status=Story.Status.GENERATING)
    job = GenerationJob.objects.create(owner=stranger, kind="story_text", story=theirs, idempotency_key="sam")
    assert_not_found_without_data(api.post(f"{STORIES}{theirs.pk}/cancel/"))
    job.refresh_from_db()
    theirs.refresh_from_db()
    assert (job.status, theirs.status) == ("queued", "generating")


def test_the_studio_has_a_stop_button_while_the_book_is_made(client, owner, hero, django_capture_on_commit_callbacks):
    story = asked_for(owner, hero, django_capture_on_commit_callbacks)
    client.force_login(owner)
    page = client.get(reverse("stories:progress", args=[story.pk])).content.decode()
    assert reverse("stories:cancel", args=[story.pk]) in page and "Stop making this book" in page
    response = client.post(reverse("stories:cancel", args=[story.pk]))
    assert response.status_code == 302
    page = client.get(reverse("stories:progress", args=[story.pk])).content.decode()
    assert "You stopped this book" in page and "Stop making this book" not in page
    assert "Try again" in page


def test_stopping_a_finished_book_in_the_studio_says_why(client, owner):
    story = StoryFactory(owner=owner, status=Story.Status.READY, pages=1)
    client.force_login(owner)
    response = client.post(reverse("stories:cancel", args=[story.pk]), follow=True)
    assert "nothing to stop" in response.content.decode()
