"""Pages as they are written: the story call streams, and each page is moderated,
saved and given its picture job as soon as its text is complete, while the rest of
the story is still being written. Tasks run inline here, so a page's picture is
drawn inside the stream, before the next page has arrived."""

import json

import pytest

from stories import services
from stories.models import Page, Story
from storyforge.generation.models import GenerationJob
from storyforge.generation.providers.openai import OpenAIProvider
from tests.factories import CharacterFactory, UserFactory
from tests.fakes.openai_server import Reply

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks", "openai_settings")]


def story_json(page_texts: list[str]) -> str:
    return json.dumps(
        {
            "title": "Mia and the Kite",
            "summary": "Mia flies a kite with her friends.",
            "pages": [{"text": text, "visual_description": f"Mia, page {n}."} for n, text in enumerate(page_texts, 1)],
        }
    )


def book(page_count=4):
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    return services.story_create(user=user, characters=[{"character": mia.pk}], page_count=page_count)


def test_each_pages_picture_starts_before_the_next_page_is_written(monkeypatch, fake_openai):
    pages_when_drawn = []
    draw = OpenAIProvider.page_illustrate

    def watched(self, scene):
        if scene.page_number:  # not the cover
            pages_when_drawn.append((scene.page_number, sorted(Page.objects.values_list("number", flat=True))))
        return draw(self, scene)

    monkeypatch.setattr(OpenAIProvider, "page_illustrate", watched)
    story, _ = book(page_count=4)
    story.refresh_from_db()
    assert story.status == Story.Status.READY
    assert pages_when_drawn == [(1, [1]), (2, [1, 2]), (3, [1, 2, 3]), (4, [1, 2, 3, 4])]
    assert list(Page.objects.filter(story=story).values_list("number", flat=True)) == [1, 2, 3, 4]
    assert GenerationJob.objects.filter(story=story, kind="page_illustration").count() == 4


def test_a_flagged_page_is_never_saved_nor_drawn_and_the_pages_before_it_are_kept(fake_openai):
    texts = ["Mia runs to the hill.", "The kite goes up.", "Then FLAGME happens.", "Mia goes home."]
    fake_openai.script("chat", Reply.content(story_json(texts)))
    story, job = book(page_count=4)
    story.refresh_from_db()
    job.refresh_from_db()
    assert story.status == Story.Status.FAILED and story.error_code == "CONTENT_FLAGGED"
    assert list(Page.objects.filter(story=story).values_list("number", flat=True)) == [1, 2]
    drawn = GenerationJob.objects.filter(story=story, kind="page_illustration")
    assert sorted(drawn.values_list("page__number", flat=True)) == [1, 2]
    assert not any("FLAGME" in request.json.get("prompt", "") for request in fake_openai.requests_for("images"))
    assert job.status == "failed" and job.prompt_tokens > 0  # what the AI wrote is still charged


def test_a_story_retried_after_it_stopped_part_way_keeps_its_pages_and_writes_the_rest(fake_openai):
    texts = ["Mia runs to the hill.", "The kite goes up.", "Then FLAGME happens.", "Mia goes home."]
    fake_openai.script("chat", Reply.content(story_json(texts)))
    story, _ = book(page_count=4)
    first_pages = list(Page.objects.filter(story=story).values_list("pk", "number"))
    assert [number for _, number in first_pages] == [1, 2]

    services.story_retry(user=story.owner, story_id=story.pk)  # the default story this time

    story.refresh_from_db()
    assert story.status == Story.Status.READY
    pages = list(Page.objects.filter(story=story).values_list("pk", "number"))
    assert pages[:2] == first_pages and [number for _, number in pages] == [1, 2, 3, 4]
    assert GenerationJob.objects.filter(story=story, kind="page_illustration").count() == 4


def test_a_reply_cut_mid_stream_is_written_again_without_a_second_copy_of_any_page(fake_openai, settings):
    settings.STORYFORGE_BREAKER_FAILURES = 100
    fake_openai.script("chat", Reply.stream_cut(after_chunks=12))
    story, job = book(page_count=6)
    story.refresh_from_db()
    job.refresh_from_db()
    assert story.status == Story.Status.READY and job.attempts == 2
    assert list(Page.objects.filter(story=story).values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert GenerationJob.objects.filter(story=story, kind="page_illustration").count() == 6


def test_a_server_that_wraps_its_json_in_prose_still_gets_its_pages_at_the_end(fake_openai):
    fake_openai.script(
        "chat", Reply.content("Here is your story:\n```json\n" + story_json(["A.", "B.", "C."]) + "\n```")
    )
    story, _ = book(page_count=3)
    story.refresh_from_db()
    assert story.status == Story.Status.READY
    assert list(Page.objects.filter(story=story).values_list("text", flat=True)) == ["A.", "B.", "C."]


def test_the_progress_page_and_the_api_show_the_pages_written_so_far(client):
    from tests.factories import StoryFactory

    user = UserFactory()
    story = StoryFactory(owner=user, status=Story.Status.GENERATING, page_count=4, pages=2)
    client.force_login(user)
    page = client.get(f"/stories/{story.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "2 of 4 pages so far" in page
    assert page.count("Drawing…") == 2
    answer = client.get(f"/api/v1/stories/{story.pk}/").json()
    assert [p["number"] for p in answer["pages"]] == [1, 2] and answer["status"] == "generating"


def test_a_page_moderation_failing_for_a_moment_saves_the_rest_at_the_end_without_writing_again(fake_openai, settings):
    settings.STORYFORGE_BREAKER_FAILURES = 100
    # The brief's moderation, page 1's, then page 2's fails for a moment.
    fake_openai.script("moderations", Reply.ok(), Reply.ok(), Reply.server_error(503))
    story, job = book(page_count=4)
    story.refresh_from_db()
    job.refresh_from_db()
    assert story.status == Story.Status.READY and job.attempts == 1
    assert len(fake_openai.requests_for("chat")) == 1
    assert list(Page.objects.filter(story=story).values_list("number", flat=True)) == [1, 2, 3, 4]
    assert GenerationJob.objects.filter(story=story, kind="page_illustration").count() == 4
