"""What the stories API tests share: their addresses, a finished story of the owner's
starring Mia, another grown-up's story, a brief, and the check that a refusal gives
nothing of the other grown-up's away.

Import the fixtures into a test module with `from tests.stories.api_fixtures import *`
(next to `from tests.api_client import *`, whose `owner` and `stranger` they use)."""

import pytest

from stories.models import Page, Story
from tests.api_client import assert_error
from tests.factories import CharacterFactory, IllustrationFactory, PageFactory, StoryCharacterFactory, StoryFactory

__all__ = ["JOBS", "SERIES", "STORIES", "assert_not_found_without_data", "brief", "mia", "story", "theirs"]

STORIES = "/api/v1/stories/"
SERIES = "/api/v1/series/"
JOBS = "/api/v1/jobs/"


@pytest.fixture
def mia(owner):
    return CharacterFactory(owner=owner, name="Mia")


@pytest.fixture
def story(owner, mia):
    """A finished two-page story starring Mia; page 1 has two pictures, the first chosen."""
    story = StoryFactory(owner=owner, status=Story.Status.READY, page_count=2)
    StoryCharacterFactory(story=story, character=mia)
    first = PageFactory(story=story, number=1, text="Once upon a time.")
    PageFactory(story=story, number=2)
    chosen = IllustrationFactory(page=first, is_selected=True)
    IllustrationFactory(page=first)
    Page.objects.filter(pk=first.pk).update(selected_illustration=chosen)
    return story


@pytest.fixture
def theirs(stranger):
    """A finished story of another grown-up, with a page and a picture."""
    story = StoryFactory(owner=stranger, title="Secret Sam's Book", status=Story.Status.READY, page_count=1)
    StoryCharacterFactory(story=story)
    IllustrationFactory(page=PageFactory(story=story, number=1, text="Secret Sam sails away."))
    return story


def brief(*characters, **fields):
    return {
        "characters": [{"character": c.pk, "role": "main"} for c in characters],
        "page_count": 2,
        "setting": "a windy beach",
        **fields,
    }


def assert_not_found_without_data(response):
    assert_error(response, 404, "NOT_FOUND")
    assert b"Secret Sam" not in response.content
