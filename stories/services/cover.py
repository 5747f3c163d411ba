"""A book's cover picture: drawn once the text is written, alongside the pages' pictures
(queued after them, so no page waits for it), and drawn again on request, each new one a
candidate to choose like a page's pictures.

The cover is composed for the cover: the whole cast together, large, and the title's
subject (a Scene with page number COVER_PAGE, which every provider draws as a cover).
A failed cover never fails its book: a book without a cover picture shows page 1's.
"""

from __future__ import annotations

from django.db import transaction

from stories.models import CoverPicture, Page, Story, StoryJobKind
from stories.selectors import story_get
from stories.services.generation import cover_job_create, picture_draw, story_brief
from storyforge.core.errors import Conflict, NotFound
from storyforge.core.images import candidate_choose
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.generation import breaker
from storyforge.generation.budget import generation_reserved
from storyforge.generation.jobs import job_begin, job_images_save
from storyforge.generation.models import GenerationJob
from storyforge.generation.moderation import brief_texts, text_moderate
from storyforge.generation.providers import cost_estimate
from storyforge.generation.providers.base import COVER_PAGE, Scene, StoryBrief


def cover_scene(story: Story, brief: StoryBrief | None = None, *, attempt: int = 1) -> Scene:
    """The cover's scene: its words are the title (and subtitle), its cast everyone in
    the book; each attempt gets its own seed, so a cover drawn again differs."""
    brief = brief or story_brief(story)
    title = " ".join(part for part in (story.title, story.subtitle) if part) or story.setting or "A picture book"
    return Scene(
        page_number=COVER_PAGE,
        visual_description=title,
        page_text=title,
        characters=brief.characters,
        setting=story.setting,
        art_style=story.art_style,
        seed=story.seed * 100 + 50 + attempt,
    )


def cover_regenerate(*, user, story_id: int) -> GenerationJob:
    """Ask for a new cover picture for a finished book: a new candidate, chosen at once
    when the book has none yet (else the grown-up chooses it)."""
    story = story_get(user=user, story_id=story_id)
    if story.status not in (Story.Status.READY, Story.Status.FAILED):
        raise Conflict("Wait until the story has finished generating.")
    if not Page.objects.filter(story=story).exists():
        raise Conflict("A book gets its cover once its text is written.")
    breaker.breaker_check()
    text_moderate([story.title, story.subtitle, *brief_texts(story_brief(story))])
    with generation_reserved(user=user, estimate=cost_estimate(images=1)):
        attempt = GenerationJob.objects.filter(story=story, kind=StoryJobKind.COVER_ILLUSTRATION).count() + 1
        return cover_job_create(story, attempt=attempt, requested=True)


def cover_illustration_draw(*, job_id: int) -> None:
    """The worker's side: draw the cover, look at it, keep it as a candidate."""
    job = job_begin(job_id)
    if job is None:
        return
    story = Story.objects.get(pk=job.story_id)
    attempt = GenerationJob.objects.filter(story=story, kind=StoryJobKind.COVER_ILLUSTRATION, pk__lte=job.pk).count()
    drawn, made = picture_draw(cover_scene(story, attempt=attempt), what="the cover")

    def save(job, names):
        locked = Story.objects.select_for_update().get(pk=story.pk)
        first = locked.cover_id is None
        cover = CoverPicture.objects.create(story=locked, image=names[0], is_selected=first, **made)
        if first:
            locked.cover = cover
            locked.save(update_fields=["cover", "updated_at"])
        pagecache_invalidate(locked.owner_id)

    job_images_save(job_id=job_id, images=[drawn], model=CoverPicture, provider=made["provider"], save=save)


@transaction.atomic
def cover_select(*, user, story_id: int, cover_id: int) -> CoverPicture:
    """Make one of the book's cover candidates its cover."""
    story = story_get(user=user, story_id=story_id, for_update=True)
    cover = CoverPicture.objects.filter(story=story, pk=cover_id).first()
    if cover is None:
        raise NotFound("That picture does not exist, or it is not this book's cover.")
    candidate_choose(story, cover, candidates=CoverPicture.objects.filter(story=story), field="cover", owner_id=user.pk)
    return cover
