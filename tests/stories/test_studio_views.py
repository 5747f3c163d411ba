"""The dashboard, the story studio and the progress page, through the test client."""

import re

import pytest

from stories.models import Story
from tests.factories import (
    CharacterFactory,
    PageFactory,
    SeriesFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    user = UserFactory(default_age_group="6-8")
    client.force_login(user)
    client.user = user
    return client


def brief(character, **extra):
    data = {
        f"role_{character.pk}": "main",
        "age_group": "3-5",
        "page_count": 3,
        "tone": "gentle",
        "language": "en",
        "art_style": "watercolour",
        "moral": "",
        "setting": "",
        "title": "",
        "series": "",
    }
    data.update(extra)
    return data


def test_the_dashboard_shows_drafts_stories_characters_and_usage(user_client):
    CharacterFactory(owner=user_client.user, name="Mia")
    CharacterFactory(owner=user_client.user, draft=True, name="Half-made")
    StoryFactory(owner=user_client.user, title="The Big Wave")
    html = user_client.get("/").content.decode()
    assert "Resume Half-made" in html and "The Big Wave" in html and "Mia" in html
    assert "This month" in html


def test_the_dashboard_costs_the_same_queries_for_few_and_many_things(user_client, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            StoryCharacterFactory(
                story=StoryFactory(owner=user_client.user), character=CharacterFactory(owner=user_client.user)
            )
            CharacterFactory(owner=user_client.user, draft=True)

    add(2)
    with django_assert_max_num_queries(20) as few:
        user_client.get("/")
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        user_client.get("/")


def test_the_studio_fills_in_the_readers_preferences_and_shows_the_budget(user_client):
    CharacterFactory(owner=user_client.user, name="Mia")
    html = user_client.get("/stories/new/").content.decode()
    assert 'value="6-8" selected' in html
    assert "Today you can still make" in html


def test_the_studio_without_characters_sends_the_user_to_make_one(user_client):
    html = user_client.get("/stories/new/").content.decode()
    assert "needs at least one finished character" in html


def test_a_brief_creates_a_queued_story_and_opens_its_progress_page(user_client, django_capture_on_commit_callbacks):
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    with django_capture_on_commit_callbacks() as queued:
        response = user_client.post("/stories/new/", brief(mia, moral="Be kind."))
    story = Story.objects.get(owner=user_client.user)
    assert response.status_code == 302 and response["Location"] == f"/stories/{story.pk}/progress/"
    assert (
        story.status == "queued"
        and story.moral == "Be kind."
        and len([c for c in queued if not hasattr(c, "pagecache_user_ids")]) == 1
    )
    progress = user_client.get(response["Location"]).content.decode()
    assert "Waiting for a storyteller" in progress and 'hx-trigger="every 1s"' in progress


def test_a_story_asked_for_on_the_web_page_carries_that_requests_id(user_client, django_capture_on_commit_callbacks):
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    with django_capture_on_commit_callbacks(execute=False):
        response = user_client.post("/stories/new/", brief(mia), HTTP_X_REQUEST_ID="studio-brief-0001")
    job = Story.objects.get(owner=user_client.user).generation_jobs.get()
    assert job.request_id == response["X-Request-ID"] == "studio-brief-0001"


def test_studio_errors_are_shown_and_the_brief_is_kept(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    response = user_client.post("/stories/new/", brief(mia, **{f"role_{mia.pk}": "", "moral": "Keep trying"}))
    html = response.content.decode()
    assert response.status_code == 400 and "Choose between 1 and 4 characters." in html
    assert 'value="Keep trying"' in html
    assert not Story.objects.exists()


def test_unsuitable_words_and_used_up_budgets_are_explained_in_place(user_client, settings):
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    flagged = user_client.post("/stories/new/", brief(mia, moral="Bring a gun"))
    assert "not suitable for a children" in flagged.content.decode()
    settings.STORYFORGE_DAILY_GENERATIONS = 0
    quota = user_client.post("/stories/new/", brief(mia))
    assert "come back after midnight UTC" in quota.content.decode()
    assert not Story.objects.exists()


def test_continue_this_series_prefills_the_series_and_its_cast(user_client):
    series = SeriesFactory(owner=user_client.user)
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    StoryCharacterFactory(story=StoryFactory(owner=user_client.user, series=series, series_position=1), character=mia)
    html = user_client.get(f"/stories/new/?series={series.pk}").content.decode()
    assert f'<option value="{series.pk}" selected' in html
    assert re.search(rf'<input type="radio" name="role_{mia.pk}" value="main"[^>]* checked>', html)


def test_the_progress_partial_stops_polling_when_the_book_is_ready(user_client):
    story = StoryFactory(owner=user_client.user, status="ready", page_count=1)
    PageFactory(story=story, number=1, text="The end came softly.")
    response = user_client.get(f"/stories/{story.pk}/progress/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "The book is ready." in html and "hx-trigger" not in html and "<html" not in html
    assert "The end came softly." in html


def test_a_failed_story_says_why_and_offers_a_retry(user_client, django_capture_on_commit_callbacks):
    story = StoryFactory(owner=user_client.user, failed=True)
    html = user_client.get(f"/stories/{story.pk}/progress/").content.decode()
    assert story.error_message in html and "Try again" in html
    with django_capture_on_commit_callbacks():
        response = user_client.post(f"/stories/{story.pk}/retry/")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == "generating"
    assert {job.request_id for job in story.generation_jobs.all()} == {response["X-Request-ID"]}


def test_another_users_story_progress_and_retry_are_not_found(user_client):
    story = StoryFactory()
    assert user_client.get(f"/stories/{story.pk}/progress/").status_code == 404
    assert user_client.post(f"/stories/{story.pk}/retry/").status_code == 404


def test_the_gallery_searches_and_filters(user_client):
    StoryFactory(owner=user_client.user, title="Moon Picnic", status="ready")
    StoryFactory(owner=user_client.user, title="Sea Song", status="failed", error_code="X")
    html = user_client.get("/stories/?q=moon").content.decode()
    assert "Moon Picnic" in html and "Sea Song" not in html
    html = user_client.get("/stories/?status=failed").content.decode()
    assert "Sea Song" in html and "Moon Picnic" not in html


def test_the_story_gallery_costs_the_same_queries_for_few_and_many_stories(user_client, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            StoryCharacterFactory(
                story=StoryFactory(owner=user_client.user, series=SeriesFactory(owner=user_client.user)),
                character=CharacterFactory(owner=user_client.user),
            )

    add(2)
    with django_assert_max_num_queries(20) as few:
        user_client.get("/stories/")
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert user_client.get("/stories/").status_code == 200
