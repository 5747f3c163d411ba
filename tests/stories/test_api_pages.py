"""The stories API's pages and pictures: editing a page's text, asking for a new
text or picture, choosing the picture in the book; never another grown-up's."""

import pytest

from stories.models import Illustration, Page, Story
from storyforge.generation.models import GenerationJob
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.factories import (
    IllustrationFactory,
    StoryFactory,
)
from tests.stories.api_fixtures import *  # noqa: F403 - the fixtures
from tests.stories.api_fixtures import STORIES, assert_not_found_without_data

pytestmark = pytest.mark.django_db


# Pages and pictures


def test_editing_a_page_raises_its_version(api, story):
    response = api.patch(f"{STORIES}{story.pk}/pages/1/", {"text": "A new start.", "version": 1}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["text"], body["version"]) == ("A new start.", 2)
    assert len(body["illustrations"]) == 2


def test_editing_a_page_from_a_stale_version_is_a_conflict(api, story):
    api.patch(f"{STORIES}{story.pk}/pages/1/", {"text": "First editor.", "version": 1}, format="json")
    response = api.patch(f"{STORIES}{story.pk}/pages/1/", {"text": "Second editor.", "version": 1}, format="json")
    error = assert_error(response, 409, "CONFLICT")
    assert error["details"] == {"current_version": 2}
    assert Page.objects.get(story=story, number=1).text == "First editor."


@pytest.mark.parametrize(
    ("data", "field"), [({}, "text"), ({"text": "  "}, "text"), ({"text": "Hi", "version": 0}, "version")]
)
def test_a_page_edit_needs_words(api, story, data, field):
    error = assert_error(api.patch(f"{STORIES}{story.pk}/pages/1/", data, format="json"), 400, "VALIDATION_ERROR")
    assert field in error["details"]["fields"]


def test_unsuitable_page_text_is_refused(api, story):
    assert_error(
        api.patch(f"{STORIES}{story.pk}/pages/1/", {"text": "He took a gun."}, format="json"), 422, "CONTENT_FLAGGED"
    )


def test_a_page_that_does_not_exist_is_not_found(api, story):
    assert_error(api.patch(f"{STORIES}{story.pk}/pages/9/", {"text": "Hello."}, format="json"), 404, "NOT_FOUND")


@pytest.mark.parametrize("what", ["text", "illustration"])
def test_regenerating_a_page_queues_a_job(api, story, what, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(f"{STORIES}{story.pk}/pages/1/regenerate/", {"what": what}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["kind"] == {"text": "page_text", "illustration": "page_illustration"}[what]
    assert (body["status"], body["story"]) == ("queued", story.pk)
    assert GenerationJob.objects.get(pk=body["id"]).request_id == response["X-Request-ID"]
    assert (
        len([c for c in callbacks if not hasattr(c, "pagecache_user_ids")]) == 1
    )  # the task; the page cache's callback aside


def test_regenerating_needs_to_know_what(api, story):
    error = assert_error(
        api.post(f"{STORIES}{story.pk}/pages/1/regenerate/", {"what": "music"}, format="json"), 400, "VALIDATION_ERROR"
    )
    assert "what" in error["details"]["fields"]


def test_a_story_still_generating_cannot_be_regenerated(api, owner):
    generating = StoryFactory(owner=owner, status=Story.Status.GENERATING, pages=1)
    response = api.post(f"{STORIES}{generating.pk}/pages/1/regenerate/", {"what": "text"}, format="json")
    assert_error(response, 409, "CONFLICT")


def test_regenerating_is_refused_once_todays_quota_is_used_up(api, story, settings):
    settings.STORYFORGE_DAILY_GENERATIONS = 0
    response = api.post(f"{STORIES}{story.pk}/pages/1/regenerate/", {"what": "text"}, format="json")
    assert_error(response, 429, "QUOTA_EXCEEDED")
    assert not GenerationJob.objects.exists()


def test_choosing_another_picture_for_a_page(api, story):
    page = story.pages.get(number=1)
    other = page.illustrations.exclude(pk=page.selected_illustration_id).get()
    response = api.post(f"{STORIES}{story.pk}/pages/1/illustrations/{other.pk}/select/")
    assert (response.status_code, response.json()["id"], response.json()["is_selected"]) == (200, other.pk, True)
    page.refresh_from_db()
    assert page.selected_illustration == other


def test_another_pages_picture_cannot_be_chosen(api, story):
    picture = IllustrationFactory(page=story.pages.get(number=1))
    assert_error(api.post(f"{STORIES}{story.pk}/pages/2/illustrations/{picture.pk}/select/"), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("method", "suffix", "data"),
    [
        ("patch", "pages/1/", {"text": "Mine now."}),
        ("post", "pages/1/regenerate/", {"what": "text"}),
        ("post", "pages/1/illustrations/{illustration}/select/", None),
    ],
)
def test_another_users_pages_and_pictures_are_not_found(api, theirs, method, suffix, data):
    illustration = Illustration.objects.get(page__story=theirs)
    path = f"{STORIES}{theirs.pk}/{suffix.format(illustration=illustration.pk)}"
    assert_not_found_without_data(getattr(api, method)(path, data, format="json"))
    page = Page.objects.get(story=theirs)
    assert (page.text, page.version, page.selected_illustration_id) == ("Secret Sam sails away.", 1, None)
    assert not GenerationJob.objects.exists()
