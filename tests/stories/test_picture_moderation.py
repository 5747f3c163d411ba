"""A page's picture is judged by the moderation endpoint before it is saved (the fake
OpenAI server, as OpenAI's omni-moderation): a flagged picture is never stored nor
shown, the page's job and the book's progress page say why, and asking again draws
a new one."""

import pytest

from stories import services
from stories.models import Illustration, Page, Story
from storyforge.generation.models import GenerationJob
from tests.factories import CharacterFactory, UserFactory
from tests.fakes.openai_server import Reply

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

TEXTS = ["Mia finds a red ball.", "The ball rolls into the UNSAFEPICTURE pond.", "A duck brings it back."]


@pytest.fixture
def mia():
    return CharacterFactory(owner=UserFactory(), name="Mia")


def create(mia, page_count=3):
    return services.story_create(user=mia.owner, characters=[{"character": mia.pk}], page_count=page_count)


def test_a_flagged_page_picture_is_never_kept_and_the_progress_page_says_why(
    mia, openai_settings, fake_openai, client, media_root
):
    fake_openai.script("chat", Reply.story(texts=TEXTS))  # page 2's prompt draws the unsafe picture

    story, _ = create(mia)

    story.refresh_from_db()
    flagged = GenerationJob.objects.get(story=story, page__number=2)
    assert (flagged.status, flagged.error_code) == ("failed", "CONTENT_FLAGGED")
    assert "The picture drawn for page 2 did not look suitable" in flagged.error_message
    assert not Illustration.objects.filter(page__number=2, page__story=story).exists()
    assert Illustration.objects.filter(page__story=story).count() == 2
    assert len(list((media_root / "illustrations").rglob("*.png"))) == 2  # the flagged one was never stored
    assert (story.status, story.error_code) == (Story.Status.FAILED, "CONTENT_FLAGGED")
    client.force_login(mia.owner)
    html = client.get(f"/stories/{story.pk}/progress/").content.decode()
    assert "did not look suitable for a children" in html and "CONTENT_FLAGGED" in html


def test_a_new_picture_asked_for_a_finished_page_is_judged_too(mia, openai_settings, fake_openai):
    story, _ = create(mia)
    story.refresh_from_db()
    assert story.status == Story.Status.READY
    page = Page.objects.get(story=story, number=1)
    before = page.selected_illustration_id
    fake_openai.unsafe_picture_word = "Mia"  # every prompt of this story names her

    job = services.page_regenerate(user=mia.owner, story_id=story.pk, number=1, what="illustration")

    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "CONTENT_FLAGGED")
    page.refresh_from_db()
    assert page.selected_illustration_id == before and Illustration.objects.filter(page=page).count() == 1
    story.refresh_from_db()
    assert story.status == Story.Status.READY  # the book stays as it was


def test_a_retry_draws_the_flagged_page_again(mia, openai_settings, fake_openai):
    fake_openai.script("chat", Reply.story(texts=TEXTS))
    story, _ = create(mia)
    fake_openai.unsafe_picture_word = ""  # the next drawing is harmless

    services.story_retry(user=mia.owner, story_id=story.pk)

    story.refresh_from_db()
    assert story.status == Story.Status.READY
    assert not Page.objects.filter(story=story, selected_illustration__isnull=True).exists()
