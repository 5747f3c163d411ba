"""Reading a book aloud: a clip per sentence from the speech provider in force, the
jobs' retries, an edited page narrated again while the rest is kept, and a clear
NARRATION_UNAVAILABLE when there is no voice."""

import pytest
from django.urls import reverse

from stories import services
from stories.models import SentenceClip, Story
from storyforge.core import audio
from storyforge.core.reading import sentences
from storyforge.generation.models import GenerationJob
from tests.api_client import *  # noqa: F403
from tests.api_client import assert_error
from tests.factories import StoryFactory
from tests.fakes.openai_server import Reply

pytestmark = pytest.mark.django_db

TEXTS = ("Mia found a red ball. It rolled away!", '"Stop!" said Mia. The duck laughed.', "They played all day.")


@pytest.fixture
def book(owner):
    story = StoryFactory(owner=owner, status=Story.Status.READY, page_count=3, pages=3)
    for page, text in zip(story.pages.all(), TEXTS, strict=True):
        page.text = text
        page.save(update_fields=["text"])
    return story


@pytest.fixture
def narrate(api, book, eager_tasks, django_capture_on_commit_callbacks):
    """POST the narration and run its jobs at once; the response."""

    def post():
        with django_capture_on_commit_callbacks(execute=True):
            return api.post(reverse("api:story-narration", args=[book.pk]))

    return post


@pytest.fixture
def speech_from_fake(openai_settings):
    openai_settings.STORYFORGE_SPEECH_PROVIDER = ""
    openai_settings.OPENAI_SPEECH_MODEL, openai_settings.OPENAI_SPEECH_VOICE = "gpt-4o-mini-tts", "coral"
    return openai_settings


def clips_of(story) -> list[SentenceClip]:
    return list(SentenceClip.objects.filter(page__story=story).order_by("page__number", "index"))


def test_every_sentence_of_every_page_gets_its_clip(speech_from_fake, fake_openai, book, narrate, api):
    response = narrate()

    assert response.status_code == 202
    assert len(response.json()["jobs"]) == 3
    clips = clips_of(book)
    expected = [text for page_text in TEXTS for text in sentences(page_text)]
    assert [clip.text for clip in clips] == expected
    for clip in clips:
        with clip.audio.open("rb") as file:
            assert abs(audio.duration_ms(file.read()) - clip.duration_ms) <= 1
        assert (clip.provider, clip.model, clip.voice) == ("openai", "gpt-4o-mini-tts", "coral")
    spoken = [request.json["input"] for request in fake_openai.requests_for("speech")]
    assert spoken == expected
    state = api.get(reverse("api:story-narration", args=[book.pk])).json()
    assert (state["status"], state["pages_narrated"], state["pages"]) == ("ready", 3, 3)
    book.refresh_from_db()
    assert book.cost == sum(clip.cost for clip in clips) > 0


def test_a_fault_is_retried_and_no_clip_is_made_twice(speech_from_fake, fake_openai, book, narrate):
    fake_openai.script("speech", Reply.ok(), Reply.rate_limited(), Reply.server_error())

    narrate()

    clips = clips_of(book)
    assert len(clips) == 5
    assert len({(clip.page_id, clip.index) for clip in clips}) == 5
    replies = [request.reply for request in fake_openai.requests_for("speech")]
    assert replies.count("ok") == 5 and len(replies) == 7  # two faults, each retried once
    assert set(GenerationJob.objects.filter(story=book).values_list("status", flat=True)) == {"succeeded"}


def test_an_edited_page_is_narrated_again_and_the_rest_kept(speech_from_fake, fake_openai, book, narrate, owner):
    narrate()
    kept = {clip.pk for clip in clips_of(book) if clip.page.number != 2}
    services.page_text_update(user=owner, story_id=book.pk, number=2, text="Quack, said the duck. Mia smiled.")
    fake_openai.requests.clear()

    response = narrate()

    assert len(response.json()["jobs"]) == 1
    assert [r.json["input"] for r in fake_openai.requests_for("speech")] == ["Quack, said the duck.", "Mia smiled."]
    clips = clips_of(book)
    assert {clip.pk for clip in clips if clip.page.number != 2} == kept
    assert [clip.text for clip in clips if clip.page.number == 2] == ["Quack, said the duck.", "Mia smiled."]


def test_the_built_in_narrator_reads_in_the_storys_language(settings, book, narrate):
    settings.STORYFORGE_AI_PROVIDER = "offline"
    book.language = "de"
    book.save(update_fields=["language"])

    narrate()

    clips = clips_of(book)
    assert len(clips) == 5 and {(clip.provider, clip.voice) for clip in clips} == {("offline", "de")}
    assert all(clip.duration_ms > 300 for clip in clips)


def test_a_server_without_speech_falls_back_to_the_built_in_narrator(settings, fake_ollama, book, narrate):
    settings.STORYFORGE_AI_PROVIDER = "openai"
    settings.OPENAI_BASE_URL, settings.OPENAI_API_KEY = fake_ollama.base_url, ""
    settings.OPENAI_TEXT_MODEL = "llama3.2"

    narrate()

    assert {clip.provider for clip in clips_of(book)} == {"offline"}
    assert len(fake_ollama.requests_for("speech")) == 1  # learnt once


def test_no_voice_is_a_clear_error_and_nothing_is_asked(settings, monkeypatch, api, book):
    from storyforge.generation.providers.offline import voice

    settings.STORYFORGE_AI_PROVIDER = "offline"
    monkeypatch.setattr(voice, "espeak_path", lambda: None)

    response = api.post(reverse("api:story-narration", args=[book.pk]))

    error = assert_error(response, 503, "NARRATION_UNAVAILABLE")
    assert "apt-get install espeak-ng" in error["message"]
    assert not GenerationJob.objects.filter(story=book).exists()


def test_a_story_still_being_made_cannot_be_narrated(api, owner):
    story = StoryFactory(owner=owner, status=Story.Status.GENERATING)
    assert_error(api.post(reverse("api:story-narration", args=[story.pk])), 409, "CONFLICT")


def test_another_users_story_is_not_found(api, stranger):
    story = StoryFactory(owner=stranger, status=Story.Status.READY, pages=1)
    assert_error(api.post(reverse("api:story-narration", args=[story.pk])), 404, "NOT_FOUND")
    assert_error(api.get(reverse("api:story-narration", args=[story.pk])), 404, "NOT_FOUND")


def test_the_reader_button_narrates_and_says_so(
    settings, client, owner, book, eager_tasks, django_capture_on_commit_callbacks
):
    settings.STORYFORGE_AI_PROVIDER = "offline"
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stories:narrate", args=[book.pk]), follow=True)

    assert "Narrating 3 page(s)" in response.content.decode()
    assert len(clips_of(book)) == 5
    again = client.post(reverse("stories:narrate", args=[book.pk]), follow=True)
    assert "Every page already has its voice." in again.content.decode()


def test_the_narration_box_asks_again_while_narrating_and_stops_when_done(settings, client, owner, book):
    """The reader's box polls (htmx) while the jobs run, like the book's progress."""
    from stories.models import StoryJobKind
    from tests.factories import GenerationJobFactory

    client.force_login(owner)
    job = GenerationJobFactory(owner=owner, story=book, page=book.pages.first(), kind=StoryJobKind.PAGE_NARRATION)
    url = reverse("stories:narrate", args=[book.pk])

    running = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Narrating… 0 of 3 pages" in running and 'hx-trigger="every 2s"' in running

    GenerationJob.objects.filter(pk=job.pk).update(status="failed", error_code="AI_TIMEOUT", error_message="Too slow.")
    failed = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "The narration did not finish. Too slow." in failed and "hx-trigger" not in failed


def test_a_web_machine_without_espeak_narrates_through_workers_that_have_it(settings, monkeypatch, api, book):
    """Web and workers may be different machines: what the workers said when they
    started counts, not only the web process's own packages."""
    from storyforge.generation.apps import _worker_ready
    from storyforge.generation.providers.offline import voice

    settings.STORYFORGE_AI_PROVIDER = "offline"
    _worker_ready()  # a worker with espeak-ng (this machine has it) starts
    monkeypatch.setattr(voice, "espeak_path", lambda: None)  # the web machine has not

    response = api.post(reverse("api:story-narration", args=[book.pk]))

    assert response.status_code == 202 and len(response.json()["jobs"]) == 3
