"""The generation job's row: the database refuses what makes no sense, and the
kinds the apps register."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from stories.models import StoryJobKind
from storyforge.generation.jobs import job_request
from storyforge.generation.kinds import JobKind, job_kind_get, job_kind_register
from storyforge.generation.models import GenerationJob
from tests.factories import GenerationJobFactory, UserFactory
from tests.stories.test_models import duplicate_rejected

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def user():
    return UserFactory()


def test_a_job_must_have_a_kind():
    with pytest.raises(IntegrityError, match="job_has_kind"), transaction.atomic():
        GenerationJobFactory(kind="")


def test_a_job_of_a_kind_no_app_registered_is_refused_before_it_is_saved(user):
    with pytest.raises(LookupError, match="music"):
        job_request(owner_id=user.pk, kind="music", idempotency_key="music:1")

    assert not GenerationJob.objects.exists()


@pytest.mark.parametrize("kind", ["portrait", "story_text", "page_illustration", "page_text"])
def test_every_kind_the_apps_ask_for_is_registered_with_its_task(kind):
    registered = job_kind_get(kind)

    assert import_string(registered.task).name == registered.task
    assert GenerationJobFactory(kind=kind).kind == kind


def test_a_job_cannot_have_an_unknown_status():
    with pytest.raises(IntegrityError, match="job_status_known"), transaction.atomic():
        GenerationJobFactory(status="paused")


def test_a_job_cannot_be_more_than_100_per_cent_done():
    with pytest.raises(IntegrityError, match="job_progress_at_most_100"), transaction.atomic():
        GenerationJobFactory(progress=101)


def test_a_job_can_be_100_per_cent_done():
    assert GenerationJobFactory(succeeded=True).progress == 100


def test_a_job_cannot_cost_less_than_nothing():
    with pytest.raises(IntegrityError, match="job_cost_not_negative"), transaction.atomic():
        GenerationJobFactory(cost=Decimal("-0.01"))


def test_a_failed_job_must_say_why():
    with pytest.raises(IntegrityError, match="job_failure_has_code"), transaction.atomic():
        GenerationJobFactory(status=GenerationJob.Status.FAILED, error_code="")


def test_a_failed_job_with_an_error_code_is_saved():
    assert GenerationJobFactory(failed=True).error_code == "provider_unavailable"


def test_two_jobs_cannot_share_an_idempotency_key():
    job = GenerationJobFactory()

    with duplicate_rejected("idempotency_key", "generation_generationjob.idempotency_key"):
        GenerationJobFactory(idempotency_key=job.idempotency_key)


def test_a_job_reads_as_its_kind_number_and_status():
    job = GenerationJobFactory(kind=StoryJobKind.PAGE_ILLUSTRATION)

    assert str(job) == f"Page illustration job {job.pk} (queued)"


def test_a_jobs_total_tokens_add_prompt_and_completion():
    assert GenerationJobFactory.build(prompt_tokens=900, completion_tokens=1500).total_tokens == 2400


def test_two_apps_cannot_claim_the_same_kind_for_different_tasks():
    with pytest.raises(ValueError, match="story_text"):
        job_kind_register(JobKind(name="story_text", label="Story text", task="elsewhere.tasks.write"))

    assert job_kind_get("story_text").task == "stories.tasks.story_text_write"
