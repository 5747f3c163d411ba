"""The stories API's series: stories that continue each other, in order; never
another grown-up's."""

import pytest

from stories.models import Series
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error, queries_of
from tests.factories import (
    SeriesFactory,
    StoryFactory,
)
from tests.stories.api_fixtures import SERIES, assert_not_found_without_data

pytestmark = pytest.mark.django_db


# Series


def test_creating_a_series(api, owner):
    response = api.post(SERIES, {"title": "  Mia's   Adventures ", "description": "Every summer."}, format="json")
    assert response.status_code == 201
    assert (response.json()["title"], response.json()["story_count"]) == ("Mia's Adventures", 0)
    assert Series.objects.get().owner == owner


def test_a_series_needs_a_title(api):
    error = assert_error(api.post(SERIES, {"title": ""}, format="json"), 400, "VALIDATION_ERROR")
    assert "title" in error["details"]["fields"]


def test_a_series_shows_its_stories_in_order(api, owner):
    series = SeriesFactory(owner=owner)
    second = StoryFactory(owner=owner, series=series, series_position=2)
    first = StoryFactory(owner=owner, series=series, series_position=1)
    body = api.get(f"{SERIES}{series.pk}/").json()
    assert body["story_count"] == 2
    assert [s["id"] for s in body["stories"]] == [first.pk, second.pk]
    listed = api.get(SERIES).json()["results"]
    assert [(s["id"], s["story_count"]) for s in listed] == [(series.pk, 2)]


def test_renaming_and_deleting_a_series_keeps_its_stories(api, owner):
    series = SeriesFactory(owner=owner)
    story = StoryFactory(owner=owner, series=series, series_position=1)
    response = api.patch(f"{SERIES}{series.pk}/", {"description": "Sequels."}, format="json")
    assert (response.status_code, response.json()["description"], response.json()["title"]) == (
        200,
        "Sequels.",
        series.title,
    )
    assert_error(api.patch(f"{SERIES}{series.pk}/", {"title": " "}, format="json"), 400, "VALIDATION_ERROR")
    assert api.delete(f"{SERIES}{series.pk}/").status_code == 204
    story.refresh_from_db()
    assert (story.series, story.series_position) == (None, None)


def test_the_series_list_costs_the_same_queries_for_5_and_50(owner):
    SeriesFactory.create_batch(5, owner=owner)
    few = queries_of(owner, f"{SERIES}?page_size=100")
    SeriesFactory.create_batch(45, owner=owner)
    assert queries_of(owner, f"{SERIES}?page_size=100") == few


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_series_is_not_found(api, stranger, method):
    series = SeriesFactory(owner=stranger, title="Secret Sam's Series")
    assert_not_found_without_data(getattr(api, method)(f"{SERIES}{series.pk}/", {"title": "Mine"}, format="json"))
    series.refresh_from_db()
    assert series.title == "Secret Sam's Series"


def test_series_are_listed_most_recently_changed_first(api, owner):
    older, newer = SeriesFactory(owner=owner), SeriesFactory(owner=owner)
    assert [s["id"] for s in api.get(SERIES).json()["results"]] == [newer.pk, older.pk]
    api.patch(f"{SERIES}{older.pk}/", {"description": "Touched."}, format="json")
    assert [s["id"] for s in api.get(SERIES).json()["results"]] == [older.pk, newer.pk]
