"""The daily budget holds: every queued or running job holds its estimate, a request
that does not fit is refused before anything is saved, the worker looks again before
it calls a paid service, and what the provider charged is recorded even when the job
then fails. Free providers never run out of money."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from characters.services import portrait_generate
from stories import services
from stories.models import Page, Story
from storyforge.core.errors import QuotaExceeded
from storyforge.generation.budget import generation_reserved
from storyforge.generation.jobs import job_fail, job_request, job_succeed
from storyforge.generation.models import Allowance, GenerationJob
from storyforge.generation.providers import cost_estimate
from storyforge.generation.providers.base import Usage
from storyforge.generation.selectors import usage_summary
from tests.factories import (
    AllowanceFactory,
    CharacterFactory,
    GenerationJobFactory,
    PageFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(openai_settings):
    """The OpenAI provider against the fake server, charging OpenAI's prices."""
    openai_settings.OPENAI_PRICE_TEXT_INPUT = Decimal("0.15")
    openai_settings.OPENAI_PRICE_TEXT_OUTPUT = Decimal("0.60")
    openai_settings.OPENAI_PRICE_IMAGE = Decimal("0.04")
    return openai_settings


@pytest.fixture
def user():
    return UserFactory()


def ask(user, estimate, jobs=1):
    """A request holding `estimate` with `jobs` jobs, as the services make them."""
    with generation_reserved(user=user, estimate=Decimal(estimate)):
        return [
            job_request(owner_id=user.pk, kind="story_text", idempotency_key=f"test:{uuid.uuid4().hex}")
            for _ in range(jobs)
        ]


def create(user, character, **brief):
    brief.setdefault("page_count", 4)
    return services.story_create(user=user, characters=[{"character": character.pk, "role": "main"}], **brief)


# --- Holding the estimate ---------------------------------------------------------------


def test_each_request_holds_its_estimate_until_the_budget_is_full(user, settings):
    settings.STORYFORGE_DAILY_BUDGET = Decimal("1.00")
    ask(user, "0.40")
    ask(user, "0.40")

    with pytest.raises(QuotaExceeded) as refused:
        ask(user, "0.40")  # 1.20 would pass the budget; nothing is spent yet

    assert "$0.80 held for work under way" in refused.value.message
    assert refused.value.details["reserved_budget"] == "0.800000"
    assert GenerationJob.objects.count() == 2
    ask(user, "0.20")  # what is left still fits
    usage = usage_summary(user=user)
    assert (usage.cost_today, usage.reserved_today, usage.remaining_budget) == (0, Decimal("1.00"), 0)


def test_a_requests_estimate_is_shared_by_its_jobs_to_the_microdollar(user):
    jobs = ask(user, "1.00", jobs=3)

    held = [job.reserved for job in GenerationJob.objects.order_by("pk")]
    assert held == [Decimal("0.333334"), Decimal("0.333333"), Decimal("0.333333")]
    assert sum(held) == Decimal("1.00")
    assert [job.reserved for job in jobs] == held


def test_a_job_lets_go_of_its_reservation_when_it_ends_and_keeps_its_cost(user):
    done, failed = ask(user, "0.50", jobs=2)

    job_succeed(done, usage=Usage(10, 20, Decimal("0.12")), provider="openai")
    job_fail(job_id=failed.pk, code="AI_SERVER_ERROR", message="Down.")

    done.refresh_from_db()
    failed.refresh_from_db()
    assert (done.reserved, done.cost) == (0, Decimal("0.12"))
    assert failed.reserved == 0
    usage = usage_summary(user=user)
    assert (usage.cost_today, usage.reserved_today) == (Decimal("0.12"), 0)


def test_a_story_holds_its_whole_estimate_and_a_story_that_does_not_fit_saves_nothing(priced, settings, user):
    settings.STORYFORGE_DAILY_BUDGET = Decimal("0.65")
    mia = CharacterFactory(owner=user, name="Mia")
    estimate = cost_estimate(text_pages=4, images=5)  # four pages and the cover: about $0.20

    jobs = [create(user, mia)[1] for _ in range(3)]

    assert [job.reserved for job in jobs] == [estimate.quantize(Decimal("0.000001"), "ROUND_UP")] * 3
    with pytest.raises(QuotaExceeded):
        create(user, mia)
    assert Story.objects.count() == 3
    assert usage_summary(user=user).reserved_today == sum(job.reserved for job in jobs) <= Decimal("0.65")


def test_the_pictures_part_of_a_storys_estimate_moves_to_the_picture_jobs(priced, user):
    mia = CharacterFactory(owner=user, name="Mia")
    story, text_job = create(user, mia, page_count=3)

    services.story_text_write(job_id=text_job.pk)  # the worker's side; the picture jobs stay queued

    text_job.refresh_from_db()
    assert text_job.status == "succeeded" and text_job.reserved == 0 and text_job.cost > 0
    pictures = GenerationJob.objects.filter(story=story, kind__in=("page_illustration", "cover_illustration"))
    assert [job.reserved for job in pictures.order_by("pk")] == [Decimal("0.04")] * 4  # three pages and the cover
    assert pictures.order_by("pk").last().kind == "cover_illustration"  # queued after the pages
    assert usage_summary(user=user).reserved_today == Decimal("0.16")


def test_retrying_a_failed_story_holds_the_missing_pictures_and_is_refused_when_they_do_not_fit(priced, settings, user):
    settings.STORYFORGE_DAILY_BUDGET = Decimal("0.10")
    story = StoryFactory(owner=user, status=Story.Status.FAILED, error_code="AI_SERVER_ERROR", page_count=3, pages=3)

    with pytest.raises(QuotaExceeded):
        services.story_retry(user=user, story_id=story.pk)  # three pictures: $0.12

    story.refresh_from_db()
    assert story.status == Story.Status.FAILED and not GenerationJob.objects.exists()
    settings.STORYFORGE_DAILY_BUDGET = Decimal("0.12")
    jobs = services.story_retry(user=user, story_id=story.pk)
    assert sum(job.reserved for job in jobs) == Decimal("0.12")


# --- Free providers, zero budgets and per-user allowances --------------------------------


def test_a_free_request_never_runs_out_of_money_but_its_generations_still_count(user, settings):
    settings.STORYFORGE_DAILY_BUDGET = Decimal("1.00")
    settings.STORYFORGE_DAILY_GENERATIONS = 2
    GenerationJobFactory(owner=user, succeeded=True, cost=Decimal("3.00"), requested=False)  # over the budget
    character = CharacterFactory(owner=user)

    portrait_generate(user=user, character_id=character.pk)  # the offline artist: free
    with pytest.raises(QuotaExceeded):
        ask(user, "0.01")  # anything paid is refused
    portrait_generate(user=user, character_id=character.pk)
    with pytest.raises(QuotaExceeded, match="2 generations today"):
        portrait_generate(user=user, character_id=character.pk)


def test_a_budget_of_zero_turns_generation_off_even_when_it_is_free(user, settings):
    settings.STORYFORGE_DAILY_BUDGET = Decimal("0")
    with pytest.raises(QuotaExceeded):
        ask(user, "0")


def test_a_users_own_allowance_replaces_the_settings_for_them_alone(user, settings):
    settings.STORYFORGE_DAILY_BUDGET = Decimal("2.00")
    AllowanceFactory(user=user, daily_budget=Decimal("0.30"), daily_generations=None)
    other = UserFactory()

    with pytest.raises(QuotaExceeded, match=r"\$0\.30"):
        ask(user, "0.50")
    ask(other, "0.50")
    usage = usage_summary(user=user)
    assert (usage.daily_budget, usage.daily_generations) == (Decimal("0.30"), settings.STORYFORGE_DAILY_GENERATIONS)


def test_staff_set_a_users_allowance_in_the_admin(admin_client, user, settings):
    settings.STORYFORGE_DAILY_GENERATIONS = 100
    ask(user, "0")  # asking once made the user's row, still empty
    allowance = Allowance.objects.get(user=user)
    assert (allowance.daily_budget, allowance.daily_generations) == (None, None)
    url = reverse("admin:generation_allowance_change", args=[allowance.pk])
    assert "default (100)" in admin_client.get(reverse("admin:generation_allowance_changelist")).content.decode()

    answer = admin_client.post(url, {"daily_budget": "0.25", "daily_generations": "2"})

    assert answer.status_code == 302
    usage = usage_summary(user=user)
    assert (usage.daily_budget, usage.daily_generations, usage.generations_remaining) == (Decimal("0.25"), 2, 1)
    with pytest.raises(QuotaExceeded):
        ask(user, "0.30")
    ask(user, "0.20")
    with pytest.raises(QuotaExceeded, match="2 generations today"):
        ask(user, "0")
    assert admin_client.post(url, {"daily_budget": "-1"}).status_code == 200  # the form says why, nothing saved
    assert Allowance.objects.get(user=user).daily_budget == Decimal("0.25")


# --- The worker looks again before a paid call ------------------------------------------


def test_the_worker_fails_a_picture_whose_owner_ran_out_of_budget_and_keeps_the_pages(
    priced, settings, user, fake_openai
):
    settings.STORYFORGE_DAILY_BUDGET = Decimal("1.00")
    page = PageFactory(story__owner=user, story__status=Story.Status.GENERATING)
    job = ask(user, "0.04")[0]
    GenerationJob.objects.filter(pk=job.pk).update(kind="page_illustration", story=page.story, page=page)
    # The story's text came out dearer than its estimate: spent and held now pass $1.
    GenerationJobFactory(owner=user, succeeded=True, cost=Decimal("0.97"), requested=False)

    services.page_illustration_draw(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.error_code, job.reserved) == ("failed", "QUOTA_EXCEEDED", 0)
    assert "what was made so far is kept" in job.error_message
    assert fake_openai.requests_for("images") == []  # nothing paid was asked for
    page.story.refresh_from_db()
    assert page.story.status == Story.Status.FAILED and page.story.error_code == "QUOTA_EXCEEDED"
    assert Page.objects.filter(pk=page.pk).exists()


def test_the_worker_draws_when_the_owner_is_within_budget(priced, settings, user, fake_openai):
    settings.STORYFORGE_DAILY_BUDGET = Decimal("1.00")
    page = PageFactory(story__owner=user, story__status=Story.Status.GENERATING)
    job = ask(user, "0.04")[0]
    GenerationJob.objects.filter(pk=job.pk).update(kind="page_illustration", story=page.story, page=page)
    GenerationJobFactory(owner=user, succeeded=True, cost=Decimal("0.96"), requested=False)  # exactly full

    services.page_illustration_draw(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "succeeded" and job.reserved == 0
    assert len(fake_openai.requests_for("images")) == 1


# --- Under concurrency -------------------------------------------------------------------


@pytest.mark.both_databases
@pytest.mark.django_db(transaction=True)
def test_of_twenty_requests_at_once_only_what_fits_is_accepted(settings):
    settings.STORYFORGE_DAILY_BUDGET = Decimal("1.00")
    user = UserFactory()
    start = threading.Barrier(20, timeout=20)
    outcomes = []

    def request(_):
        try:
            start.wait()
            ask(user, "0.30")
            outcomes.append("accepted")
        except QuotaExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == ["accepted"] * 3 + ["refused"] * 17
    assert usage_summary(user=user).reserved_today == Decimal("0.90")
