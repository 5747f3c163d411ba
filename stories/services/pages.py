"""Editing a finished book: a page's text, its picture, and asking for new versions."""

from __future__ import annotations

from django.db import transaction

from stories.models import Illustration, Page, Story, StoryJobKind
from stories.selectors import page_get
from stories.services.generation import illustration_job_create, story_brief
from stories.services.page_history import page_revision_keep
from storyforge.core.errors import Conflict, InvalidInput, NotFound
from storyforge.core.images import candidate_choose
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.generation import breaker
from storyforge.generation.budget import generation_carried, generation_reserved
from storyforge.generation.calls import generated_text_moderate, provider_call
from storyforge.generation.jobs import job_begin, job_lock_unfinished, job_request, job_succeed
from storyforge.generation.models import GenerationJob
from storyforge.generation.moderation import brief_texts, text_moderate
from storyforge.generation.providers import cost_estimate, provider_get
from storyforge.generation.providers.base import Capability, PageDraft

PAGE_TEXT_MAX = 2000


def page_text_update(*, user, story_id: int, number: int, text: str, version: int | None = None) -> Page:
    """Save the grown-up's own words for a page.

    `version` is the page version the editor started from: if someone saved the
    page since, the save is refused with CONFLICT instead of overwriting them.
    """
    text = text.strip()
    if not text:
        raise InvalidInput.for_field("text", "A page needs some words.")
    if len(text) > PAGE_TEXT_MAX:
        raise InvalidInput.for_field("text", f"Keep a page under {PAGE_TEXT_MAX} characters.")
    text_moderate([text])
    with transaction.atomic():
        page = page_get(user=user, story_id=story_id, number=number, for_update=True)
        if version is not None and int(version) != page.version:
            raise Conflict(
                "This page was changed by someone else since you opened it; reload to see their version.",
                details={"current_version": page.version},
            )
        page_revision_keep(page)
        page.text = text
        page.version += 1
        page.save(update_fields=["text", "version", "updated_at"])
        pagecache_invalidate(user.pk)
        return page


@transaction.atomic
def illustration_select(*, user, story_id: int, number: int, illustration_id: int) -> Illustration:
    """Make one of a page's candidate pictures the one in the book."""
    page = page_get(user=user, story_id=story_id, number=number, for_update=True)
    illustration = Illustration.objects.filter(page=page, pk=illustration_id).first()
    if illustration is None:
        raise NotFound("That picture does not exist, or it is not this page's.")
    candidate_choose(
        page,
        illustration,
        candidates=Illustration.objects.filter(page=page),
        field="selected_illustration",
        owner_id=user.pk,
    )
    return illustration


REGENERATE = ("text", "illustration")


def page_regenerate(*, user, story_id: int, number: int, what: str) -> GenerationJob:
    """Ask for a new version of one page's text, or a new picture candidate for it."""
    if what not in REGENERATE:
        raise InvalidInput.for_field("what", "Regenerate either 'text' or 'illustration'.")
    page = page_get(user=user, story_id=story_id, number=number)
    if page.story.status not in (Story.Status.READY, Story.Status.FAILED):
        raise Conflict("Wait until the story has finished generating.")
    breaker.breaker_check()
    text_moderate(brief_texts(story_brief(page.story)))  # the characters may have been edited since
    estimate = cost_estimate(text_pages=1) if what == "text" else cost_estimate(images=1)
    with generation_reserved(user=user, estimate=estimate):  # checks the budget and holds the estimate
        attempt = GenerationJob.objects.filter(page=page).count() + 1
        if what == "illustration":
            job = illustration_job_create(page.story, page, attempt=attempt, requested=True)
        else:
            job = job_request(
                owner_id=user.pk,
                kind=StoryJobKind.PAGE_TEXT,
                story=page.story,
                page=page,
                idempotency_key=f"text:page:{page.pk}:{attempt}",
            )
    return job


def page_text_rewrite(*, job_id: int) -> None:
    """The worker's side of regenerating a page's text."""
    _page_written(job_id, refusal="The new text was not suitable for children; try again.")


def page_write(*, job_id: int) -> None:
    """The worker's side of adding a page written by the AI: its words, to fit between
    its neighbours, then a job drawing its picture (held in the budget since the
    page was asked for)."""
    _page_written(job_id, refusal="The new page was not suitable for children; try again.", draw=True)


def _page_written(job_id: int, *, refusal: str, draw: bool = False) -> None:
    job = job_begin(job_id)
    if job is None:
        return
    page = Page.objects.select_related("story").get(pk=job.page_id)
    story = page.story
    # The whole book as it is now, the page itself included (empty when new): the
    # provider writes words that lead from the page before to the page after.
    pages = tuple(
        PageDraft(text, visual)
        for text, visual in Page.objects.filter(story=story)
        .order_by("number")
        .values_list("text", "visual_description")
    )
    provider = provider_get(Capability.TEXT)
    rewrite = provider_call(provider.page_rewrite, story_brief(story), pages, page.number)
    moderation = generated_text_moderate(
        [rewrite.page.text, rewrite.page.visual_description],  # the description becomes a picture's prompt
        refusal=refusal,
    )
    with transaction.atomic():
        job = job_lock_unfinished(job_id)
        if job is None:
            return
        page = Page.objects.select_for_update().get(pk=page.pk)
        page_revision_keep(page)
        page.text, page.visual_description = rewrite.page.text, rewrite.page.visual_description
        page.version += 1
        page.save(update_fields=["text", "visual_description", "version", "updated_at"])
        job_succeed(job, usage=rewrite.usage + moderation.usage, provider=provider.name, model=rewrite.model)
        if draw:
            with generation_carried(owner_id=story.owner_id, estimate=cost_estimate(images=1)):
                illustration_job_create(story, page)
    pagecache_invalidate(story.owner_id)
