"""The generation pipeline's steps, each run by a Celery task with the job's id.

First the text: the provider writes the story, the text is moderated, and the
pages are saved together with one illustration job per page and one for the cover
(stories/services/cover.py), which then run in parallel. Each illustration is saved
as soon as it is drawn; the story is ready when every page has one (the cover may
come a moment later). A step that fails leaves everything saved before it.
"""

from __future__ import annotations

from django.db import transaction

from characters.selectors import character_sheet, relationship_sentences
from stories.models import Illustration, Page, Story, StoryCharacter, StoryJobKind
from stories.services.text_stream import PagesAsWritten, pages_rest_save, pages_unsaved
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.core.reading import reading_grade
from storyforge.generation.budget import generation_carried
from storyforge.generation.calls import generated_text_moderate, provider_call
from storyforge.generation.jobs import job_begin, job_images_save, job_lock_unfinished, job_request, job_succeed
from storyforge.generation.models import GenerationJob
from storyforge.generation.moderation import drawn_pictures_moderate
from storyforge.generation.providers import cost_estimate, provider_get
from storyforge.generation.providers.base import Capability, DrawnImage, Scene, StoryBrief


def story_brief(story: Story, *, stricter: bool = False) -> StoryBrief:
    """Everything the provider needs to write `story`, including the series so far."""
    cast = list(
        StoryCharacter.objects.filter(story=story).select_related("character__selected_portrait").order_by("position")
    )
    earlier = ()
    if story.series_id:
        earlier = tuple(
            Story.objects.filter(series_id=story.series_id, series_position__lt=story.series_position or 0)
            .exclude(summary="")
            .order_by("series_position")
            .values_list("summary", flat=True)
        )
    return StoryBrief(
        characters=tuple(character_sheet(role.character, role=role.role) for role in cast),
        relationships=relationship_sentences([role.character_id for role in cast]),
        age_group=story.age_group,
        page_count=story.page_count,
        tone=story.tone,
        moral=story.moral,
        setting=story.setting,
        language=story.language,
        art_style=story.art_style,
        seed=story.seed,
        earlier_summaries=earlier,
        stricter_reading_level=stricter,
    )


def story_text_write(*, job_id: int) -> None:
    job = job_begin(job_id)
    if job is None:
        return
    story = Story.objects.get(pk=job.story_id)
    # Not a story stopped meanwhile (story_cancel): it stays stopped, and this job's result is dropped.
    Story.objects.filter(pk=story.pk, status__in=(Story.Status.QUEUED, Story.Status.GENERATING)).update(
        status=Story.Status.GENERATING, error_code="", error_message=""
    )
    pagecache_invalidate(story.owner_id)
    provider = provider_get(Capability.TEXT)
    # A provider that streams saves each page as it is written (text_stream.py).
    as_written = PagesAsWritten(job_id=job_id, story=story)
    draft = provider_call(provider.story_write, story_brief(story), **as_written.asked_of(provider))
    as_written.problem_raise()
    # The visual descriptions too: each becomes a picture's prompt.
    texts = [
        draft.title,
        draft.summary,
        *(text for page in pages_unsaved(story, draft.pages) for text in (page.text, page.visual_description)),
    ]
    moderation = generated_text_moderate(
        texts,
        refusal="The written story was not suitable for children and was thrown away; try another brief.",
    )
    full_text = "\n".join(page.text for page in draft.pages)
    with transaction.atomic():
        job = job_lock_unfinished(job_id)
        if job is None:
            return  # a duplicate delivery saved this story's text first
        story = Story.objects.select_for_update().get(pk=story.pk)
        pages = pages_rest_save(story, draft.pages)
        story.title = story.title or draft.title[:200]
        story.summary = draft.summary
        story.reading_level = reading_grade(full_text, story.language)
        if story.status == Story.Status.QUEUED:  # not one a picture failed meanwhile (pages stream)
            story.status = Story.Status.GENERATING
        story.save(update_fields=["title", "summary", "reading_level", "status", "updated_at"])
        usage = draft.usage + moderation.usage + as_written.usage
        job_succeed(job, usage=usage, provider=provider.name, model=draft.model)
        # The pictures' part of the story's estimate, checked when it was asked for, moves to their jobs.
        # The cover is queued last: no page waits for it.
        with generation_carried(owner_id=story.owner_id, estimate=cost_estimate(images=book_pictures(len(pages)))):
            for page in pages:
                illustration_job_create(story, page)
            cover_job_create(story)
        story_finish_if_complete(story)  # every picture may be drawn already


def story_text_job_create(story: Story, *, attempt: int) -> GenerationJob:
    """The job writing `story`, asked for when it is created (`attempt` 1) and again
    when a failed story without pages is retried."""
    return job_request(
        owner_id=story.owner_id,
        kind=StoryJobKind.STORY_TEXT,
        story=story,
        idempotency_key=f"story:{story.pk}:text:{attempt}",
    )


# A book's pictures: one a page, and its cover (stories/services/cover.py).
COVER_PICTURES = 1


def book_pictures(page_count: int) -> int:
    """How many pictures a book of `page_count` pages asks for: what its estimate holds."""
    return page_count + COVER_PICTURES


def cover_job_create(story: Story, *, attempt: int = 1, requested: bool = False) -> GenerationJob:
    """The job drawing a cover candidate for `story` (stories.services.cover)."""
    return job_request(
        owner_id=story.owner_id,
        kind=StoryJobKind.COVER_ILLUSTRATION,
        story=story,
        requested=requested,
        idempotency_key=f"cover:story:{story.pk}:{attempt}",
    )


def illustration_job_create(story: Story, page: Page, *, attempt: int = 1, requested: bool = False) -> GenerationJob:
    return job_request(
        owner_id=story.owner_id,
        kind=StoryJobKind.PAGE_ILLUSTRATION,
        story=story,
        page=page,
        requested=requested,
        idempotency_key=f"illustration:page:{page.pk}:{attempt}",
    )


def page_scene(page: Page, story: Story, brief: StoryBrief | None = None) -> Scene:
    brief = brief or story_brief(story)
    return Scene(
        page_number=page.number,
        visual_description=page.visual_description,
        page_text=page.text,
        characters=brief.characters,
        setting=story.setting,
        art_style=story.art_style,
        seed=story.seed * 100 + page.number + page.version,
    )


def picture_draw(scene: Scene, *, what: str) -> tuple[DrawnImage, dict]:
    """Draw one picture of a book (a page's or the cover's) and look at it: ContentFlagged
    when it is unsuitable. The picture, and what its record keeps of how it was made."""
    provider = provider_get(Capability.IMAGE)
    drawn = provider_call(provider.page_illustrate, scene)
    drawn_pictures_moderate(
        [drawn],
        refusal=f"The picture drawn for {what} did not look suitable for a children's book, "
        "so it was thrown away; ask for it again.",
    )
    made = {"provider": drawn.provider or provider.name, "prompt": drawn.prompt, "model": drawn.model}
    return drawn, {**made, "seed": drawn.seed, "cost": drawn.usage.cost}


def page_illustration_draw(*, job_id: int) -> None:
    job = job_begin(job_id)
    if job is None:
        return
    page = Page.objects.select_related("story").get(pk=job.page_id)
    drawn, made = picture_draw(page_scene(page, page.story), what=f"page {page.number}")

    def save(job, names):
        story = Story.objects.select_for_update().get(pk=page.story_id)  # serialises the "all done?" check
        locked = Page.objects.select_for_update().get(pk=page.pk)
        first = locked.selected_illustration_id is None
        illustration = Illustration.objects.create(page=locked, image=names[0], is_selected=first, **made)
        if first:
            locked.selected_illustration = illustration
            locked.save(update_fields=["selected_illustration", "updated_at"])
        story_finish_if_complete(story)

    job_images_save(job_id=job_id, images=[drawn], model=Illustration, provider=made["provider"], save=save)


def story_finish_if_complete(story: Story) -> None:
    """Inside the locked transaction: the story is ready once every page has a picture."""
    from django.utils import timezone

    if story.status not in (Story.Status.GENERATING, Story.Status.QUEUED):
        return
    writing = GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING
    if story.generation_jobs.filter(kind=StoryJobKind.STORY_TEXT, status__in=writing).exists():
        return  # pages streamed so far may all have pictures, but the text is not finished
    pages = Page.objects.filter(story=story)
    if pages.count() == story.page_count and not pages.filter(selected_illustration__isnull=True).exists():
        story.status = Story.Status.READY
        story.completed_at = timezone.now()
        story.error_code = story.error_message = ""
        story.save(update_fields=["status", "completed_at", "error_code", "error_message", "updated_at"])
