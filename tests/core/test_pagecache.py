"""The dashboard and the reader keep their data in the cache per user: a second
view reads it from there with fewer queries, and the services that change what
those pages show make the next view read the database again."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from characters import services as character_services
from stories import services as story_services
from stories.models import Story
from storyforge.core.pagecache import PAGE_CACHE_REQUESTS, pagecache_invalidate, pagecache_version
from storyforge.generation.jobs import job_succeed
from storyforge.generation.providers.base import Usage
from tests.factories import (
    CharacterFactory,
    GenerationJobFactory,
    IllustrationFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def book(owner, pages: int = 3, title: str = "The Puddle Expedition") -> Story:
    story = StoryFactory(owner=owner, title=title, status=Story.Status.READY, page_count=pages, pages=pages)
    StoryCharacterFactory(story=story, character__name="Mia")
    for page in story.pages.all():
        page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
        page.save()
    return story


def counted(page: str, result: str) -> float:
    return PAGE_CACHE_REQUESTS.labels(page, result)._value.get()


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


@pytest.fixture
def user(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def story(user):
    return book(user)


def test_the_second_dashboard_view_is_a_cache_hit_with_fewer_queries(client, user, story):
    CharacterFactory(owner=user, name="Leo")
    hits = counted("dashboard", "hit")
    first, first_queries = get(client, reverse("home"))
    second, second_queries = get(client, reverse("home"))
    assert counted("dashboard", "hit") == hits + 1
    assert "Leo" in second.text and "The Puddle Expedition" in second.text
    # Only the session and the user are read on a hit.
    assert second_queries <= 2 < first_queries


def test_the_second_reader_view_is_a_cache_hit_with_fewer_queries(client, user, story):
    url = reverse("stories:detail", args=[story.pk])
    hits = counted("reader", "hit")
    _, first_queries = get(client, url)
    second, second_queries = get(client, url)
    assert counted("reader", "hit") == hits + 1
    assert "Page 1: the friends set off" in second.text
    assert second_queries <= 2 < first_queries


def test_editing_a_page_shows_the_new_text_in_the_reader(client, user, story):
    url = reverse("stories:detail", args=[story.pk])
    get(client, url)
    story_services.page_text_update(user=user, story_id=story.pk, number=2, text="A brand new second page.")
    response, _ = get(client, url)
    assert "A brand new second page." in response.text


def test_renaming_a_story_shows_on_the_dashboard_and_in_the_reader(client, user, story):
    reader = reverse("stories:detail", args=[story.pk])
    get(client, reverse("home"))
    get(client, reader)
    story_services.story_update(user=user, story_id=story.pk, title="The Great Splash")
    assert "The Great Splash" in get(client, reverse("home"))[0].text
    assert "The Great Splash" in get(client, reader)[0].text


def test_a_new_story_shows_on_the_dashboard(client, user, story):
    mia = CharacterFactory(owner=user, name="Mia")
    get(client, reverse("home"))
    new, _ = story_services.story_create(user=user, characters=[{"character": mia.pk}], title="Moonlight Picnic")
    assert "Moonlight Picnic" in get(client, reverse("home"))[0].text
    assert Story.objects.filter(pk=new.pk).exists()


def test_a_character_change_shows_on_the_dashboard(client, user, story):
    leo = CharacterFactory(owner=user, name="Leo")
    get(client, reverse("home"))
    character_services.character_update(user=user, character_id=leo.pk, name="Leonard")
    text = get(client, reverse("home"))[0].text
    assert "Leonard" in text
    character_services.character_delete(user=user, character_id=leo.pk)
    assert "Leonard" not in get(client, reverse("home"))[0].text


def test_deleting_a_story_takes_it_off_the_dashboard(client, user, story):
    get(client, reverse("home"))
    story_services.story_delete(user=user, story_id=story.pk)
    assert "The Puddle Expedition" not in get(client, reverse("home"))[0].text


def test_one_users_cache_is_not_another_users(client, user, story):
    other = UserFactory()
    book(other, title="The Neighbours Book")
    get(client, reverse("home"))
    client.force_login(other)
    text = get(client, reverse("home"))[0].text
    assert "The Neighbours Book" in text and "The Puddle Expedition" not in text
    # Nor can a cached story of one user be read by another.
    assert client.get(reverse("stories:detail", args=[story.pk])).status_code == 404


def test_another_users_change_leaves_this_users_entry_cached(client, user, story):
    other = UserFactory()
    others = book(other, title="The Neighbours Book")
    url = reverse("stories:detail", args=[story.pk])
    get(client, url)
    story_services.story_update(user=other, story_id=others.pk, title="Renamed Elsewhere")
    hits = counted("reader", "hit")
    get(client, url)
    assert counted("reader", "hit") == hits + 1


def test_a_transaction_forgets_the_pages_again_once_it_commits(user, django_capture_on_commit_callbacks):
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        pagecache_invalidate(user.pk)
        pagecache_invalidate(other.pk)
        pagecache_invalidate(user.pk)
    on_commit = [callback for callback in callbacks if hasattr(callback, "pagecache_user_ids")]
    assert len(on_commit) == 1 and on_commit[0].pagecache_user_ids == {user.pk, other.pk}
    before = pagecache_version(user.pk), pagecache_version(other.pk)
    on_commit[0]()
    after = pagecache_version(user.pk), pagecache_version(other.pk)
    assert before[0] != after[0] and before[1] != after[1]


def test_the_worker_finishing_a_job_shows_in_the_dashboards_usage(client, user, story):
    job = GenerationJobFactory(owner=user, story=story)
    get(client, reverse("home"))
    before = pagecache_version(user.pk)
    job_succeed(job, usage=Usage(cost=Decimal("0.25")), provider="offline")
    assert pagecache_version(user.pk) != before
    hits = counted("dashboard", "hit")
    get(client, reverse("home"))
    assert counted("dashboard", "hit") == hits


def test_a_picture_chosen_by_the_integrity_repair_shows_in_the_reader_at_once(client, user, story):
    """Repairs choose pictures through the same helper as the picture picker, so the
    reader does not keep showing its cached, broken page for ten minutes."""
    page = story.pages.get(number=2)
    picture = page.selected_illustration
    type(page).objects.filter(pk=page.pk).update(selected_illustration=None)  # broken outside the services
    reader = reverse("stories:detail", args=[story.pk])
    assert picture.image.url not in get(client, reader)[0].text  # the broken page, now cached

    call_command("check_integrity", "--fix", stdout=io.StringIO())

    assert picture.image.url in get(client, reader)[0].text
