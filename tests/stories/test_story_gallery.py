"""The story gallery and the dashboard show books by their covers: the picture the
reader shows on the cover, the cast's faces, and pages of covers that cost a fixed
number of queries however many books there are."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stories.views.gallery import GALLERY_PAGE
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.core.private_media import media_url
from tests.factories import (
    CharacterFactory,
    IllustrationFactory,
    PortraitFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    client.user = UserFactory()
    client.force_login(client.user)
    return client


def illustrated(owner, **fields):
    """A finished two-page book whose pages have their chosen pictures, starring a
    character with a portrait."""
    story = StoryFactory(owner=owner, status="ready", pages=2, **fields)
    for page in story.pages.all():
        page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
        page.save()
    star = CharacterFactory(owner=owner, name=f"Star of {story.title}")
    star.selected_portrait = PortraitFactory(character=star, is_selected=True)
    star.save()
    StoryCharacterFactory(story=story, character=star)
    return story


def cover_of(story) -> str:
    return media_url(story.pages.get(number=1).selected_illustration.image)


def test_each_book_shows_the_cover_the_reader_shows(user_client):
    story = illustrated(user_client.user, title="The Lantern Cave")
    gallery = user_client.get("/stories/").content.decode()
    reader = user_client.get(f"/stories/{story.pk}/").content.decode()
    assert f'<img class="cover" src="{cover_of(story)}"' in gallery
    assert f'src="{cover_of(story)}"' in reader  # the same picture as the reader's cover
    assert "The Lantern Cave" in gallery


def test_a_book_not_drawn_yet_has_a_placeholder_instead_of_a_cover(user_client):
    StoryFactory(owner=user_client.user, title="Still being written", status="queued")
    html = user_client.get("/stories/").content.decode()
    assert '<span class="cover cover-placeholder" aria-hidden="true">' in html and 'class="cover" src=' not in html


def test_each_book_shows_its_casts_faces(user_client):
    story = illustrated(user_client.user)
    star = story.cast.get().character
    html = user_client.get("/stories/").content.decode()
    assert f'<img class="portrait portrait-small" src="{media_url(star.selected_portrait.image)}" alt=""' in html
    assert f"With {star.name}" in html


def test_the_gallery_pages_its_covers_and_the_links_keep_the_search(user_client):
    for number in range(GALLERY_PAGE + 3):
        StoryFactory(owner=user_client.user, title=f"Moon book {number:02}", status="ready")
    StoryFactory(owner=user_client.user, title="Sea song", status="ready")
    first = user_client.get("/stories/?q=moon&status=ready").content.decode()
    assert first.count('<li class="card">') == GALLERY_PAGE and "Page 1 of 2" in first
    assert "Moon book 26" in first and "Sea song" not in first  # newest first
    assert 'href="?q=moon&amp;status=ready&amp;page=2"' in first
    second = user_client.get("/stories/?q=moon&status=ready&page=2").content.decode()
    assert second.count('<li class="card">') == 3 and "Page 2 of 2" in second
    assert "Moon book 00" in second and 'href="?q=moon&amp;status=ready&amp;page=1"' in second
    # A page number past the end, or not a number, shows a page rather than an error.
    assert "Page 2 of 2" in user_client.get("/stories/?q=moon&page=99").content.decode()
    assert "Page 1 of 2" in user_client.get("/stories/?q=moon&page=two").content.decode()


def test_a_page_of_covers_costs_the_same_queries_for_a_few_books_or_a_full_page(user_client):
    def queries(path="/stories/") -> int:
        with CaptureQueriesContext(connection) as done:
            assert user_client.get(path).status_code == 200
        return len(done.captured_queries)

    illustrated(user_client.user, in_series=True)
    few = queries()
    for _ in range(GALLERY_PAGE + 5):
        illustrated(user_client.user, in_series=True)
    assert queries() == few
    assert queries("/stories/?page=2") == few


def test_another_users_books_are_not_in_the_gallery(user_client):
    illustrated(UserFactory(), title="Someone else's book")
    html = user_client.get("/stories/").content.decode()
    assert "Someone else" not in html and "No stories yet" in html


def test_the_dashboard_shows_recent_books_by_their_covers_and_characters_by_their_portraits(user_client):
    story = illustrated(user_client.user, title="The Lantern Cave")
    star = story.cast.get().character
    CharacterFactory(owner=user_client.user, name="Leo")
    pagecache_invalidate(user_client.user.pk)
    html = user_client.get("/").content.decode()
    assert f'<img class="cover" src="{cover_of(story)}"' in html
    assert f'src="{media_url(star.selected_portrait.image)}" alt="Portrait of {star.name}"' in html
    assert re.search(r'portrait-placeholder kind-child" aria-hidden="true">L<', html)
