"""A series' description has its cap in the service, whichever door the words come
in by: the API, the web page, the service called directly."""

import pytest

from stories.models import Series
from stories.services import series_create, series_update
from stories.services.series import SERIES_DESCRIPTION_MAX_LENGTH
from storyforge.core.errors import InvalidInput
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.factories import SeriesFactory, UserFactory
from tests.stories.api_fixtures import SERIES

pytestmark = pytest.mark.django_db

HUGE = "a" * 2_000_000


def test_a_two_million_character_series_description_is_refused_by_the_api_and_nothing_is_saved(api):
    error = assert_error(
        api.post(SERIES, {"title": "Mia's summers", "description": HUGE}, format="json"), 400, "VALIDATION_ERROR"
    )
    assert list(error["details"]["fields"]) == ["description"]
    assert not Series.objects.exists()


def test_the_service_refuses_a_description_one_character_over_its_cap_and_keeps_the_old_one():
    series = SeriesFactory(description="Every summer.")
    with pytest.raises(InvalidInput) as refused:
        series_update(user=series.owner, series_id=series.pk, description="b" * (SERIES_DESCRIPTION_MAX_LENGTH + 1))
    assert list(refused.value.details["fields"]) == ["description"]
    assert str(SERIES_DESCRIPTION_MAX_LENGTH) in refused.value.message
    series.refresh_from_db()
    assert series.description == "Every summer."


def test_the_web_page_shows_the_refusal_and_saves_nothing(client):
    series = SeriesFactory(description="Every summer.")
    client.force_login(series.owner)
    response = client.post(f"/series/{series.pk}/edit/", {"title": "Still", "description": HUGE})
    assert response.status_code == 400
    assert f"{SERIES_DESCRIPTION_MAX_LENGTH} characters" in response.content.decode()
    series.refresh_from_db()
    assert (series.title, series.description) != ("Still", HUGE)


def test_a_description_at_exactly_its_cap_is_accepted():
    description = "c" * SERIES_DESCRIPTION_MAX_LENGTH
    series = series_create(user=UserFactory(), title="Mia's summers", description=description)
    series.refresh_from_db()
    assert series.description == description
