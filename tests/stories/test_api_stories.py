"""The stories API's stories: asking for one and following its generation, reading,
renaming and deleting it, retrying a failed one; every one of them private to its
owner, and every stories endpoint closed to anyone without credentials."""

import pytest

from stories.models import Story
from storyforge.generation.models import GenerationJob
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error, queries_of
from tests.factories import (
    CharacterFactory,
    IllustrationFactory,
    PageFactory,
    SeriesFactory,
    StoryCharacterFactory,
    StoryFactory,
)
from tests.stories.api_fixtures import *  # noqa: F403 - the fixtures
from tests.stories.api_fixtures import JOBS, SERIES, STORIES, assert_not_found_without_data, brief

pytestmark = pytest.mark.django_db


# Asking for a story


def test_a_new_story_is_queued_with_its_job(api, owner, mia, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(STORIES, brief(mia, moral="Sharing is kind."), format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["cast"] == [{"character": mia.pk, "name": "Mia", "role": "main"}]
    assert (body["age_group"], body["language"]) == ("3-5", "en")  # from the owner's preferences
    job = GenerationJob.objects.get(pk=body["job"]["id"])
    assert (job.kind, job.status, job.story_id) == ("story_text", "queued", body["id"])
    assert job.request_id == response["X-Request-ID"]
    assert (
        len([c for c in callbacks if not hasattr(c, "pagecache_user_ids")]) == 1
    )  # the task; the page cache's callback aside
    assert Story.objects.get(pk=body["id"]).owner == owner


def test_a_story_continues_a_series(api, owner, mia, django_capture_on_commit_callbacks):
    series = SeriesFactory(owner=owner)
    with django_capture_on_commit_callbacks(execute=False):
        body = api.post(STORIES, brief(mia, series=series.pk), format="json").json()
    assert (body["series"], body["series_position"]) == (series.pk, 1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"characters": []}, "characters"),
        ({"page_count": 21}, "page_count"),
        ({"tone": "grim"}, "tone"),
        ({"characters": [{"character": "mia"}]}, "characters"),
        ({"moral": "x" * 201}, "moral"),
    ],
)
def test_an_invalid_brief_names_the_field_and_saves_nothing(api, mia, changes, field):
    error = assert_error(api.post(STORIES, {**brief(mia), **changes}, format="json"), 400, "VALIDATION_ERROR")
    assert field in error["details"]["fields"]
    assert not Story.objects.exists()


def test_a_draft_character_cannot_star_yet(api, owner):
    draft = CharacterFactory(owner=owner, draft=True)
    error = assert_error(api.post(STORIES, brief(draft), format="json"), 400, "VALIDATION_ERROR")
    assert "characters" in error["details"]["fields"]


def test_a_story_with_another_users_character_or_series_is_not_found(api, mia, stranger):
    stranger_character = CharacterFactory(owner=stranger, name="Secret Sam")
    assert_not_found_without_data(api.post(STORIES, brief(stranger_character), format="json"))
    series = SeriesFactory(owner=stranger)
    assert_not_found_without_data(api.post(STORIES, brief(mia, series=series.pk), format="json"))
    assert not Story.objects.exists()


def test_no_story_is_queued_once_todays_quota_is_used_up(api, mia, settings):
    settings.STORYFORGE_DAILY_GENERATIONS = 0
    response = api.post(STORIES, brief(mia), format="json")
    error = assert_error(response, 429, "QUOTA_EXCEEDED")
    assert "resets_at" in error["details"] and int(response["Retry-After"]) >= 1
    assert not Story.objects.exists()


def test_unsuitable_words_in_the_brief_are_refused(api, mia):
    assert_error(api.post(STORIES, brief(mia, moral="Never play with a gun."), format="json"), 422, "CONTENT_FLAGGED")
    assert not Story.objects.exists()


def test_asking_for_stories_counts_against_the_generation_limit(api, mia, settings, django_capture_on_commit_callbacks):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "generation_user": "1/h"}
    with django_capture_on_commit_callbacks(execute=False):
        assert api.post(STORIES, brief(mia), format="json").status_code == 202
    assert api.get(STORIES).status_code == 200
    response = api.post(STORIES, brief(mia), format="json")
    assert_error(response, 429, "RATE_LIMITED")
    assert int(response["Retry-After"]) >= 1
    assert Story.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_story_asked_for_is_written_and_illustrated(api, mia, eager_tasks):
    response = api.post(STORIES, brief(mia), format="json")
    assert response.status_code == 202
    story_id, job_id = response.json()["id"], response.json()["job"]["id"]
    job = api.get(f"{JOBS}{job_id}/").json()
    assert (job["status"], job["progress"], job["story"]) == ("succeeded", 100, story_id)
    body = api.get(f"{STORIES}{story_id}/").json()
    assert body["status"] == "ready" and body["title"]
    assert [page["number"] for page in body["pages"]] == [1, 2]
    for page in body["pages"]:
        assert page["text"]
        assert page["selected_illustration"]["url"].startswith("http://testserver/")
        assert [i["id"] for i in page["illustrations"]] == [page["selected_illustration"]["id"]]


# Reading stories


def test_the_list_is_the_owners_newest_first(api, owner, story, theirs):
    newer = StoryFactory(owner=owner)
    body = api.get(STORIES).json()
    assert [s["id"] for s in body["results"]] == [newer.pk, story.pk]
    assert "pages" not in body["results"][0]


def test_the_list_is_filtered_by_status_series_character_and_age_group(api, owner, story, mia):
    in_series = StoryFactory(owner=owner, in_series=True, age_group="6-8", failed=True)
    assert [s["id"] for s in api.get(f"{STORIES}?status=failed").json()["results"]] == [in_series.pk]
    assert [s["id"] for s in api.get(f"{STORIES}?series={in_series.series_id}").json()["results"]] == [in_series.pk]
    assert [s["id"] for s in api.get(f"{STORIES}?character={mia.pk}").json()["results"]] == [story.pk]
    assert [s["id"] for s in api.get(f"{STORIES}?age_group=6-8").json()["results"]] == [in_series.pk]
    assert_error(api.get(f"{STORIES}?series=first"), 400, "VALIDATION_ERROR")


def test_the_list_costs_the_same_queries_for_5_and_50_stories(owner):
    def stories(count):
        for story in StoryFactory.create_batch(count, owner=owner, in_series=False):
            StoryCharacterFactory(story=story)
            StoryCharacterFactory(story=story, position=1)

    stories(5)
    few = queries_of(owner, f"{STORIES}?page_size=100")
    stories(45)
    assert queries_of(owner, f"{STORIES}?page_size=100") == few


def test_a_story_shows_its_pages_with_the_chosen_picture_and_every_candidate(api, story):
    body = api.get(f"{STORIES}{story.pk}/").json()
    first, second = body["pages"]
    assert (first["number"], first["text"], first["version"]) == (1, "Once upon a time.", 1)
    chosen = first["selected_illustration"]
    assert chosen["is_selected"] and chosen["url"].startswith("http://testserver/media/")
    assert len(first["illustrations"]) == 2
    assert chosen["id"] == first["illustrations"][0]["id"]  # oldest first
    assert (second["selected_illustration"], second["illustrations"]) == (None, [])


def test_a_story_costs_the_same_queries_with_2_pages_or_20(owner):
    def book(pages):
        story = StoryFactory(owner=owner, page_count=pages)
        StoryCharacterFactory(story=story)
        for page in PageFactory.create_batch(pages, story=story):
            IllustrationFactory.create_batch(2, page=page)
        return story

    assert queries_of(owner, f"{STORIES}{book(2).pk}/") == queries_of(owner, f"{STORIES}{book(20).pk}/")


def test_renaming_a_story(api, story):
    response = api.patch(f"{STORIES}{story.pk}/", {"title": "  The Big   Splash "}, format="json")
    assert (response.status_code, response.json()["title"]) == (200, "The Big Splash")
    assert len(response.json()["pages"]) == 2


def test_a_story_title_must_be_sensible(api, story):
    assert_error(api.patch(f"{STORIES}{story.pk}/", {"title": ""}, format="json"), 400, "VALIDATION_ERROR")
    assert_error(api.patch(f"{STORIES}{story.pk}/", {"title": "The gun"}, format="json"), 422, "CONTENT_FLAGGED")
    story.refresh_from_db()
    assert story.title.startswith("The Puddle Expedition")


def test_deleting_a_story(api, story):
    assert api.delete(f"{STORIES}{story.pk}/").status_code == 204
    assert not Story.objects.filter(pk=story.pk).exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_story_is_not_found(api, theirs, method):
    assert_not_found_without_data(getattr(api, method)(f"{STORIES}{theirs.pk}/", {"title": "Mine"}, format="json"))
    theirs.refresh_from_db()
    assert theirs.title == "Secret Sam's Book"


# Retrying


def test_retrying_a_failed_story_asks_for_the_missing_pictures(api, owner, django_capture_on_commit_callbacks):
    failed = StoryFactory(owner=owner, failed=True, page_count=2, pages=2)
    with django_capture_on_commit_callbacks(execute=False):
        response = api.post(f"{STORIES}{failed.pk}/retry/")
    assert response.status_code == 202
    jobs = response.json()["jobs"]
    assert [job["kind"] for job in jobs] == ["page_illustration", "page_illustration"]
    asked = GenerationJob.objects.filter(pk__in=[job["id"] for job in jobs])
    assert {job.request_id for job in asked} == {response["X-Request-ID"]}  # the retry's, for following it in the logs
    failed.refresh_from_db()
    assert failed.status == "generating"


def test_only_a_failed_story_can_be_retried(api, story):
    assert_error(api.post(f"{STORIES}{story.pk}/retry/"), 409, "CONFLICT")


def test_another_users_story_cannot_be_retried(api, stranger):
    failed = StoryFactory(owner=stranger, failed=True, title="Secret Sam's Book")
    assert_not_found_without_data(api.post(f"{STORIES}{failed.pk}/retry/"))
    failed.refresh_from_db()
    assert failed.status == "failed"


# Authentication


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", STORIES),
        ("post", STORIES),
        ("get", f"{STORIES}1/"),
        ("patch", f"{STORIES}1/"),
        ("delete", f"{STORIES}1/"),
        ("post", f"{STORIES}1/retry/"),
        ("patch", f"{STORIES}1/pages/1/"),
        ("post", f"{STORIES}1/pages/1/regenerate/"),
        ("post", f"{STORIES}1/pages/1/illustrations/1/select/"),
        ("get", SERIES),
        ("post", SERIES),
        ("get", f"{SERIES}1/"),
        ("patch", f"{SERIES}1/"),
        ("delete", f"{SERIES}1/"),
        ("get", JOBS),
        ("get", f"{JOBS}1/"),
    ],
)
def test_every_stories_endpoint_needs_credentials(anonymous, method, path):
    assert_error(getattr(anonymous, method)(path, {}, format="json"), 401, "AUTH_ERROR")


def test_the_browser_session_reads_stories_too(anonymous, owner, story):
    anonymous.force_login(owner)
    assert [s["id"] for s in anonymous.get(STORIES).json()["results"]] == [story.pk]


def test_an_id_too_big_for_the_database_is_not_found_or_invalid_never_an_error(api, mia):
    biggest, too_big = 2**63 - 1, 2**63
    assert_error(api.post(f"{STORIES}{biggest}/pages/1/regenerate/", {"what": "text"}, format="json"), 404, "NOT_FOUND")
    assert_error(api.post(f"{STORIES}{too_big}/pages/1/regenerate/", {"what": "text"}, format="json"), 404, "NOT_FOUND")
    assert_error(api.get(f"{STORIES}?character={too_big}"), 400, "VALIDATION_ERROR")
    response = api.post(STORIES, {"characters": [{"character": too_big}]}, format="json")
    assert "characters" in assert_error(response, 400, "VALIDATION_ERROR")["details"]["fields"]
    response = api.post(STORIES, brief(mia, series=too_big), format="json")
    assert "series" in assert_error(response, 400, "VALIDATION_ERROR")["details"]["fields"]
