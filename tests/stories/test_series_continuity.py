"""A sequel carries the series so far: its prompt lists the earlier stories'
summaries in order, and the offline storyteller opens it by recalling the last one."""

import re

import pytest

from stories import services
from stories.models import Story
from stories.services.generation import story_brief
from storyforge.generation.providers.prompts import story_messages
from tests.factories import CharacterFactory, SeriesFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def series_of_two():
    """A series whose first two books were written by the offline provider."""
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia", traits=["brave"])
    series = SeriesFactory(owner=user)
    books = []
    for _ in range(2):
        story, _job = services.story_create(
            user=user, characters=[{"character": mia.pk}], series_id=series.pk, page_count=3, age_group="6-8"
        )
        story.refresh_from_db()  # written and illustrated by now: tasks run inline
        books.append(story)
    return user, mia, series, books


def first_event(summary: str) -> str:
    """What happened first in a story: its summary's first sentence, up to the first
    comma (the storyteller shortens a long sentence there)."""
    return re.split(r"(?<=[.!?])\s+", summary)[0].rstrip(".!? ").split(",")[0]


def test_a_sequels_prompt_holds_the_earlier_summaries_in_order(series_of_two):
    user, mia, series, (first, second) = series_of_two
    assert first.status == second.status == Story.Status.READY
    third, _job = services.story_create(user=user, characters=[{"character": mia.pk}], series_id=series.pk)

    prompt = story_messages(story_brief(third))[1]["content"]

    assert f"1. {first.summary}" in prompt and f"2. {second.summary}" in prompt
    assert prompt.index(first.summary) < prompt.index(second.summary)
    assert "continues a series" in prompt


def test_the_first_book_of_a_series_has_no_story_so_far(series_of_two):
    _user, _mia, _series, (first, _second) = series_of_two

    assert story_brief(first).earlier_summaries == ()
    assert "continues a series" not in story_messages(story_brief(first))[1]["content"]


def test_the_offline_storytellers_sequel_begins_by_recalling_the_story_before(series_of_two):
    _user, _mia, _series, (first, second) = series_of_two

    opening = second.pages.get(number=1).text

    assert first_event(first.summary).lower() in opening.lower()
    assert first_event(first.summary).lower() not in first.pages.get(number=1).text.lower()
