"""The reader names who drew a book's pictures: a server without images falls back
to the built-in artist, and the family should know."""

import pytest
from django.urls import reverse

from storyforge.core.pagecache import pagecache_invalidate
from tests.stories.test_reader_views import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return book(3)


@pytest.fixture
def owner(client, story):
    client.force_login(story.owner)
    return story.owner


def test_the_reader_says_which_artist_drew_the_pictures(client, owner, story):
    """A server without images falls back to the built-in artist; the reader says so."""
    response = client.get(reverse("stories:detail", args=[story.pk]))
    assert "Pictures drawn by the built-in artist" in response.content.decode()

    first, second, _ = story.pages.all()
    first.selected_illustration.__class__.objects.filter(pk=first.selected_illustration_id).update(
        provider="automatic1111", model="dreamshaper_8"
    )
    second.selected_illustration.__class__.objects.filter(pk=second.selected_illustration_id).update(
        provider="openai", model="gpt-image-2"
    )
    pagecache_invalidate(story.owner_id)  # as a service changing the pictures would

    text = client.get(reverse("stories:detail", args=[story.pk])).content.decode()
    assert "Pictures drawn by Stable Diffusion (dreamshaper_8), gpt-image-2 and the built-in artist" in text
