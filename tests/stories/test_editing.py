"""Editing finished books: page text with a version check, picture choice,
regeneration, titles, series and deleting."""

from pathlib import Path

import pytest

from stories import services
from stories.models import Illustration, Page, Story
from storyforge.core.errors import Conflict, ContentFlagged, InvalidInput, NotFound
from storyforge.generation.models import GenerationJob
from tests.factories import (
    IllustrationFactory,
    PageFactory,
    SentenceClipFactory,
    SeriesFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    story = StoryFactory(status=Story.Status.READY, page_count=2)
    return PageFactory(story=story, number=1, text="Once upon a time.")


def test_a_page_edit_saves_the_text_and_raises_the_version(page):
    edited = services.page_text_update(
        user=page.story.owner, story_id=page.story_id, number=1, text="  A new start. ", version=1
    )
    assert edited.text == "A new start." and edited.version == 2


def test_a_second_editor_with_a_stale_version_gets_a_conflict_not_an_overwrite(page):
    owner = page.story.owner
    services.page_text_update(user=owner, story_id=page.story_id, number=1, text="First editor.", version=1)
    with pytest.raises(Conflict) as error:
        services.page_text_update(user=owner, story_id=page.story_id, number=1, text="Second editor.", version=1)
    assert error.value.details == {"current_version": 2}
    page.refresh_from_db()
    assert page.text == "First editor."


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_a_page_needs_sensible_text(page, text):
    with pytest.raises(InvalidInput):
        services.page_text_update(user=page.story.owner, story_id=page.story_id, number=1, text=text)


def test_unsuitable_page_text_is_refused(page):
    with pytest.raises(ContentFlagged):
        services.page_text_update(user=page.story.owner, story_id=page.story_id, number=1, text="He took a gun.")


def test_another_users_page_is_not_found(page):
    with pytest.raises(NotFound):
        services.page_text_update(user=UserFactory(), story_id=page.story_id, number=1, text="Mine now.")
    with pytest.raises(NotFound):
        services.page_text_update(user=page.story.owner, story_id=page.story_id, number=9, text="No such page.")


def test_choosing_another_illustration_moves_the_selection(page):
    first = IllustrationFactory(page=page, is_selected=True)
    second = IllustrationFactory(page=page)
    services.illustration_select(user=page.story.owner, story_id=page.story_id, number=1, illustration_id=second.pk)
    page.refresh_from_db()
    assert page.selected_illustration == second
    assert list(Illustration.objects.filter(page=page, is_selected=True)) == [second]
    other_page = PageFactory(story=page.story, number=2)
    with pytest.raises(NotFound):
        services.illustration_select(user=page.story.owner, story_id=page.story_id, number=2, illustration_id=first.pk)
    assert other_page.selected_illustration is None


def test_regenerating_asks_for_a_job_of_the_right_kind(page, django_capture_on_commit_callbacks):
    owner = page.story.owner
    with django_capture_on_commit_callbacks() as sent:
        text_job = services.page_regenerate(user=owner, story_id=page.story_id, number=1, what="text")
        picture_job = services.page_regenerate(user=owner, story_id=page.story_id, number=1, what="illustration")
    assert (text_job.kind, picture_job.kind) == ("page_text", "page_illustration")
    assert text_job.requested and picture_job.requested
    assert len([c for c in sent if not hasattr(c, "pagecache_user_ids")]) == 2  # the page cache's callbacks aside
    with pytest.raises(InvalidInput):
        services.page_regenerate(user=owner, story_id=page.story_id, number=1, what="music")


def test_a_story_still_generating_cannot_be_regenerated(page):
    Story.objects.filter(pk=page.story_id).update(status=Story.Status.GENERATING)
    with pytest.raises(Conflict):
        services.page_regenerate(user=page.story.owner, story_id=page.story_id, number=1, what="text")
    assert not GenerationJob.objects.exists()


def test_a_page_rewrite_replaces_the_text(page, django_capture_on_commit_callbacks, settings):
    owner = page.story.owner
    with django_capture_on_commit_callbacks():
        job = services.page_regenerate(user=owner, story_id=page.story_id, number=1, what="text")
    PageFactory(story=page.story, number=2, text="And then the end.")
    services.page_text_rewrite(job_id=job.pk)
    page.refresh_from_db()
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert page.text and page.text != "Once upon a time." and page.version == 2


def test_a_title_can_be_changed_but_not_emptied(page):
    story = services.story_update(user=page.story.owner, story_id=page.story_id, title="  The  Big Day ")
    assert story.title == "The Big Day"
    with pytest.raises(InvalidInput):
        services.story_update(user=page.story.owner, story_id=page.story_id, title=" ")


def test_deleting_a_story_removes_its_pictures_but_keeps_the_usage(page, django_capture_on_commit_callbacks):
    illustration = IllustrationFactory(page=page, is_selected=True)
    clip = SentenceClipFactory(page=page)
    path, clip_path = Path(illustration.image.path), Path(clip.audio.path)
    job = GenerationJob.objects.create(owner=page.story.owner, kind="story_text", story=page.story, idempotency_key="k")
    with django_capture_on_commit_callbacks(execute=True):
        services.story_delete(user=page.story.owner, story_id=page.story_id)
    assert not Story.objects.exists() and not Page.objects.exists()
    assert not path.exists() and not clip_path.exists()
    job.refresh_from_db()
    assert job.story is None


def test_series_can_be_made_renamed_and_deleted_keeping_their_stories():
    user = UserFactory()
    series = services.series_create(user=user, title=" Seaside  Tales ")
    assert series.title == "Seaside Tales"
    services.series_update(user=user, series_id=series.pk, description="Summer books")
    story = StoryFactory(owner=user, series=series, series_position=1)
    services.series_delete(user=user, series_id=series.pk)
    story.refresh_from_db()
    assert story.series is None and story.series_position is None
    with pytest.raises(InvalidInput):
        services.series_create(user=user, title="")
    with pytest.raises(NotFound):
        services.series_update(user=user, series_id=SeriesFactory().pk, title="Mine")
