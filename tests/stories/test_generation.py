"""The generation pipeline end to end with the offline provider: tasks run inline,
transactions commit for real, files land in MEDIA_ROOT."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from characters.models import Character
from stories import services
from stories.models import Illustration, Page, Story
from stories.services.generation import story_brief
from storyforge.core.errors import AIUnavailable, ContentFlagged, InvalidInput, NotFound, QuotaExceeded
from storyforge.generation import breaker
from storyforge.generation.jobs import jobs_reap
from storyforge.generation.models import GenerationJob
from storyforge.generation.selectors import usage_summary
from tests.factories import CharacterFactory, RelationshipFactory, SeriesFactory, StoryFactory, UserFactory
from tests.fakes.openai_server import Reply

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def cast():
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia", traits=["brave", "kind"])
    leo = CharacterFactory(owner=user, name="Leo", traits=["funny"])
    RelationshipFactory(from_character=mia, to_character=leo, kind="sibling", note="big sister")
    return user, mia, leo


def create(user, *characters, **brief):
    brief.setdefault("page_count", 4)
    members = [{"character": c.pk, "role": "main" if i == 0 else "supporting"} for i, c in enumerate(characters)]
    return services.story_create(user=user, characters=members, **brief)


def test_a_story_is_written_and_illustrated_page_by_page_until_ready(cast, media_root):
    user, mia, leo = cast
    story, job = create(user, mia, leo, page_count=5, moral="Sharing makes things better.", setting="a windy beach")
    story.refresh_from_db()
    assert story.status == Story.Status.READY and story.completed_at is not None
    assert story.title and story.summary and story.reading_level is not None
    pages = list(Page.objects.filter(story=story).select_related("selected_illustration"))
    assert [page.number for page in pages] == [1, 2, 3, 4, 5]
    text = " ".join(page.text for page in pages)
    assert "Mia" in text and "Leo" in text
    for page in pages:
        assert page.visual_description
        assert Path(page.selected_illustration.image.path).is_file()
        assert str(media_root) in page.selected_illustration.image.path
    jobs = GenerationJob.objects.filter(story=story)
    assert jobs.filter(kind="story_text").count() == 1 and jobs.filter(kind="page_illustration").count() == 5
    assert set(jobs.values_list("status", flat=True)) == {"succeeded"}
    assert job.requested and not jobs.filter(kind="page_illustration", requested=True).exists()


def test_running_a_step_again_adds_no_second_page_picture_or_charge(cast):
    user, mia, _ = cast
    story, job = create(user, mia, page_count=3)
    services.story_text_write(job_id=job.pk)  # a redelivered message
    for illustration_job in GenerationJob.objects.filter(story=story, kind="page_illustration"):
        services.page_illustration_draw(job_id=illustration_job.pk)
    assert Page.objects.filter(story=story).count() == 3
    assert Illustration.objects.filter(page__story=story).count() == 3
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_brief_is_validated_before_anything_is_saved(cast):
    user, mia, _ = cast
    with pytest.raises(InvalidInput) as error:
        create(user, mia, page_count=21)
    assert "page_count" in error.value.details["fields"]
    with pytest.raises(InvalidInput):
        create(user, mia, tone="grim")
    with pytest.raises(InvalidInput):
        services.story_create(user=user, characters=[])
    assert not Story.objects.exists() and not GenerationJob.objects.exists()


def test_another_users_character_or_series_is_not_found(cast):
    user, mia, _ = cast
    with pytest.raises(NotFound):
        create(user, CharacterFactory())
    with pytest.raises(NotFound):
        create(user, mia, series_id=SeriesFactory().pk)
    assert not Story.objects.exists()


def test_a_draft_character_cannot_star_yet(cast):
    user, _, _ = cast
    with pytest.raises(InvalidInput, match="Finish these characters first"):
        create(user, CharacterFactory(owner=user, draft=True))


def test_unsuitable_words_in_the_brief_are_refused_and_nothing_is_generated(cast):
    user, mia, _ = cast
    with pytest.raises(ContentFlagged):
        create(user, mia, moral="Always carry a gun.")
    assert not Story.objects.exists() and not GenerationJob.objects.exists()


def test_the_daily_generation_limit_answers_quota_exceeded(cast, settings):
    user, mia, _ = cast
    settings.STORYFORGE_DAILY_GENERATIONS = 1
    create(user, mia, page_count=1)
    with pytest.raises(QuotaExceeded) as error:
        create(user, mia, page_count=1)
    assert "resets_at" in error.value.details
    assert Story.objects.count() == 1


def test_a_zero_budget_turns_generation_off(cast, settings):
    user, mia, _ = cast
    settings.STORYFORGE_DAILY_BUDGET = 0
    with pytest.raises(QuotaExceeded):
        create(user, mia)


def test_an_open_breaker_fails_fast_with_ai_unavailable(cast, settings):
    user, mia, _ = cast
    settings.STORYFORGE_BREAKER_FAILURES = 1
    breaker.breaker_record_failure()
    with pytest.raises(AIUnavailable) as error:
        create(user, mia)
    assert error.value.details["retry_after"] >= 1
    assert not Story.objects.exists()


def test_a_sequel_is_numbered_in_its_series_and_its_brief_carries_the_story_so_far(cast):
    user, mia, leo = cast
    series = SeriesFactory(owner=user)
    first, _ = create(user, mia, leo, series_id=series.pk, page_count=2)
    second, _ = create(user, mia, leo, series_id=series.pk, page_count=2)
    third = StoryFactory(owner=user, series=series, series_position=3)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.series_position, second.series_position) == (1, 2)
    brief = story_brief(third)
    assert brief.earlier_summaries == (first.summary, second.summary)
    assert brief.relationships == ()  # the third has no cast yet
    assert "Mia is Leo's sibling (big sister)." in story_brief(second).relationships


def test_a_failed_illustration_keeps_the_pages_and_a_retry_draws_only_whats_missing(cast, openai_settings, fake_openai):
    user, mia, _ = cast
    fake_openai.script("images", Reply.ok(), Reply.unauthorized())  # page 2 is refused
    story, _ = create(user, mia, page_count=3)
    story.refresh_from_db()
    assert story.status == Story.Status.FAILED and story.error_code == "AI_AUTH_FAILED"
    assert "drawing a picture" in story.error_message
    assert "sk-test" not in story.error_message
    assert Page.objects.filter(story=story).count() == 3
    assert Page.objects.filter(story=story, selected_illustration__isnull=False).count() == 2
    assert Character.objects.filter(pk=mia.pk).exists()

    jobs = services.story_retry(user=user, story_id=story.pk)
    assert [job.page.number for job in jobs] == [2]
    story.refresh_from_db()
    assert story.status == Story.Status.READY
    assert Illustration.objects.filter(page__story=story).count() == 3


def test_transient_failures_are_retried_and_charged_once(cast, openai_settings, fake_openai):
    user, mia, _ = cast
    fake_openai.script("chat", Reply.rate_limited(retry_after=1), Reply.server_error(500))
    story, job = create(user, mia, page_count=2)
    job.refresh_from_db()
    story.refresh_from_db()
    assert story.status == Story.Status.READY
    assert job.attempts == 3 and job.status == "succeeded" and job.error_code == ""
    assert [r.reply for r in fake_openai.requests_for("chat")] == ["429", "500", "ok"]
    assert Page.objects.filter(story=story).count() == 2
    assert job.cost > 0 and job.prompt_tokens > 0
    pictures = GenerationJob.objects.filter(story=story, kind__in=("page_illustration", "cover_illustration"))
    illustration_cost = sum(j.cost for j in pictures)
    assert story.cost == job.cost + illustration_cost


def test_transient_failures_past_the_limit_fail_the_story_with_the_last_error(
    cast, settings, openai_settings, fake_openai
):
    user, mia, _ = cast
    settings.STORYFORGE_RETRY_LIMIT = 2
    settings.STORYFORGE_BREAKER_FAILURES = 100
    fake_openai.script("chat", Reply.server_error(500), Reply.server_error(503), Reply.server_error(500))
    story, job = create(user, mia)
    job.refresh_from_db()
    story.refresh_from_db()
    assert job.status == "failed" and job.attempts == 3 and job.error_code == "AI_SERVER_ERROR"
    assert story.status == Story.Status.FAILED and "500" in story.error_message
    assert not Page.objects.filter(story=story).exists()


def test_a_permanent_failure_fails_at_once_and_keeps_the_characters(cast, openai_settings, fake_openai):
    user, mia, _ = cast
    fake_openai.script("chat", Reply.content_policy())
    story, job = create(user, mia)
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts == 1 and job.error_code == "CONTENT_FLAGGED"
    assert len(fake_openai.requests_for("chat")) == 1
    assert Character.objects.filter(owner=user).count() == 2


def test_the_sweep_requeues_a_stuck_job_once_then_fails_it(cast, monkeypatch):
    user, mia, _ = cast
    story = StoryFactory(owner=user, status=Story.Status.GENERATING)
    job = GenerationJob.objects.create(
        owner=user,
        kind="story_text",
        story=story,
        idempotency_key="stuck",
        status="running",
        deadline_at=timezone.now() - timedelta(seconds=1),
    )
    sent = []
    monkeypatch.setattr("storyforge.generation.jobs.job_enqueue", sent.append)
    assert jobs_reap() == {"requeued": 1, "failed": 0}
    assert sent == [job]
    GenerationJob.objects.filter(pk=job.pk).update(status="running", deadline_at=timezone.now() - timedelta(seconds=1))
    assert jobs_reap() == {"requeued": 0, "failed": 1}
    story.refresh_from_db()
    assert story.status == Story.Status.FAILED and story.error_code == "JOB_STUCK"


def test_usage_counts_requests_today_and_this_month(cast):
    user, mia, _ = cast
    create(user, mia, page_count=2)
    usage = usage_summary(user=user)
    assert usage.generations_today == 1 and usage.generations_month == 1
    assert usage.cost_today == 0 and usage.remaining_budget == usage.daily_budget
