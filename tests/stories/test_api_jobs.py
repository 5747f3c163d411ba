"""The generation jobs of stories through the API: how far each got and what it
cost, listed and filtered; never another grown-up's."""

import pytest

from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error, queries_of
from tests.factories import (
    GenerationJobFactory,
)
from tests.stories.api_fixtures import *  # noqa: F403 - the fixtures
from tests.stories.api_fixtures import JOBS, assert_not_found_without_data

pytestmark = pytest.mark.django_db


# Jobs


def test_a_job_says_how_far_it_got_and_what_it_cost(api, story):
    job = GenerationJobFactory(owner=story.owner, story=story, succeeded=True)
    body = api.get(f"{JOBS}{job.pk}/").json()
    assert (body["kind"], body["status"], body["progress"], body["attempts"]) == ("story_text", "succeeded", 100, 1)
    assert (body["prompt_tokens"], body["completion_tokens"], body["total_tokens"]) == (900, 1500, 2400)
    assert (body["cost"], body["story"], body["character"], body["page"]) == ("0.001250", story.pk, None, None)
    assert {"error_code", "error_message", "created_at", "started_at", "finished_at"} <= set(body)


def test_jobs_are_listed_newest_first_and_filtered(api, owner, story):
    done = GenerationJobFactory(owner=owner, story=story, succeeded=True)
    failed = GenerationJobFactory(owner=owner, story=story, failed=True)
    portrait = GenerationJobFactory(owner=owner, story=None, kind="portrait")
    GenerationJobFactory()  # someone else's
    assert [j["id"] for j in api.get(JOBS).json()["results"]] == [portrait.pk, failed.pk, done.pk]
    assert [j["id"] for j in api.get(f"{JOBS}?status=failed").json()["results"]] == [failed.pk]
    assert [j["id"] for j in api.get(f"{JOBS}?kind=portrait").json()["results"]] == [portrait.pk]
    assert_error(api.get(f"{JOBS}?kind=poem"), 400, "VALIDATION_ERROR")


def test_the_job_list_costs_the_same_queries_for_5_and_50(owner):
    GenerationJobFactory.create_batch(5, owner=owner)
    few = queries_of(owner, f"{JOBS}?page_size=100")
    GenerationJobFactory.create_batch(45, owner=owner)
    assert queries_of(owner, f"{JOBS}?page_size=100") == few


def test_another_users_job_is_not_found(api, theirs):
    job = GenerationJobFactory(owner=theirs.owner, story=theirs, failed=True, error_message="Secret Sam failed.")
    assert_not_found_without_data(api.get(f"{JOBS}{job.pk}/"))
