"""Reading a book aloud: a job per page, a clip per sentence (stories.models.SentenceClip).

`story_narrate` asks for the pages whose current text has no narration yet (an
edited page is narrated again, the rest kept); the worker's `page_narration_speak`
speaks each sentence that has no clip yet, so a retried or redelivered job never
makes a clip twice.
"""

from __future__ import annotations

import contextlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from stories.models import Page, SentenceClip, Story, StoryJobKind, clip_upload_to
from stories.selectors import story_book_get
from storyforge.core.errors import Conflict, NarrationUnavailable
from storyforge.core.images import files_delete_on_commit
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.core.reading import sentences
from storyforge.generation import breaker
from storyforge.generation.budget import generation_reserved
from storyforge.generation.calls import provider_call
from storyforge.generation.capabilities import speech_problem
from storyforge.generation.jobs import job_begin, job_lock_unfinished, job_request, job_succeed
from storyforge.generation.models import GenerationJob
from storyforge.generation.providers import cost_estimate, provider_get
from storyforge.generation.providers.base import Capability

UNFINISHED = (GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING)


def story_narrate(*, user, story_id) -> list[GenerationJob]:
    """Ask for every page of a ready story to be read aloud that is not already (or
    being). NarrationUnavailable when there is no voice here, Conflict when the book
    is not ready; an empty list when there is nothing left to narrate."""
    story = story_book_get(user=user, story_id=story_id)
    if story.status != Story.Status.READY:
        raise Conflict("Wait until the story has finished generating.")
    problem = speech_problem()
    if problem:
        raise NarrationUnavailable(problem)
    busy = set(
        GenerationJob.objects.filter(story=story, kind=StoryJobKind.PAGE_NARRATION, status__in=UNFINISHED).values_list(
            "page_id", flat=True
        )
    )
    pages = [page for page in story.pages.all() if page.text.strip() and not page.narrated and page.pk not in busy]
    if not pages:
        return []
    breaker.breaker_check()
    estimate = cost_estimate(characters=sum(len(page.text) for page in pages))
    with generation_reserved(user=user, estimate=estimate):  # checks the budget and holds the estimate
        attempts = GenerationJob.objects.filter(story=story, kind=StoryJobKind.PAGE_NARRATION).count()
        jobs = [
            job_request(
                owner_id=user.pk,
                kind=StoryJobKind.PAGE_NARRATION,
                story=story,
                page=page,
                idempotency_key=f"narration:page:{page.pk}:v{page.version}:{attempts + 1}",
            )
            for page in pages
        ]
    pagecache_invalidate(user.pk)
    return jobs


def page_narration_speak(*, job_id: int) -> None:
    """The worker's side: speak each sentence of the page's current text that has no
    clip yet, keeping each clip as soon as it is made, then drop older versions' clips."""
    job = job_begin(job_id)
    if job is None:
        return
    page = Page.objects.select_related("story").get(pk=job.page_id)
    version = page.version
    done = set(SentenceClip.objects.filter(page=page, page_version=version).values_list("index", flat=True))
    provider = provider_get(Capability.SPEECH)
    for index, text in enumerate(sentences(page.text)):
        if index not in done:
            _clip_keep(page, version, index, text, provider_call(provider.speak, text, language=page.story.language))
    with transaction.atomic():
        job = job_lock_unfinished(job_id)
        if job is None:
            return  # a duplicate delivery finished first
        clips = list(SentenceClip.objects.filter(page=page))
        stale = [clip for clip in clips if clip.page_version != version]
        files_delete_on_commit([clip.audio.name for clip in stale])
        SentenceClip.objects.filter(pk__in=[clip.pk for clip in stale]).delete()
        current = [clip for clip in clips if clip.page_version == version]
        last = max(current, key=lambda clip: clip.created_at, default=None)
        # usage=None: what this attempt's calls were charged; an earlier attempt's
        # clips were recorded when it ended, so none is charged twice.
        job_succeed(job, usage=None, provider=last.provider if last else "", model=last.model if last else "")
    pagecache_invalidate(page.story.owner_id)


def _clip_keep(page: Page, version: int, index: int, text: str, spoken) -> None:
    """Store one clip's sound and its row; a clip another delivery saved first wins."""
    name = default_storage.save(clip_upload_to(None, "clip.mp3"), ContentFile(spoken.mp3))
    try:
        with transaction.atomic():
            SentenceClip.objects.create(
                page=page,
                page_version=version,
                index=index,
                text=text,
                audio=name,
                duration_ms=spoken.duration_ms,
                provider=spoken.provider,
                model=spoken.model,
                voice=spoken.voice,
                cost=spoken.usage.cost,
            )
    except IntegrityError:
        with contextlib.suppress(OSError):
            default_storage.delete(name)


def narration_state(*, story: Story) -> dict:
    """How far a book's narration is: pages with text, pages narrated, jobs still
    running, and the last failure. `story` comes from story_book_get (clips prefetched)."""
    pages = [page for page in story.pages.all() if page.text.strip()]
    narrated = sum(1 for page in pages if page.narrated)
    jobs = GenerationJob.objects.filter(story=story, kind=StoryJobKind.PAGE_NARRATION)
    running = jobs.filter(status__in=UNFINISHED).count()
    failed = jobs.filter(status=GenerationJob.Status.FAILED).order_by("-updated_at").first()
    if narrated == len(pages) and pages:
        status = "ready"
    elif running:
        status = "narrating"
    elif failed is not None and narrated < len(pages):
        status = "failed"
    else:
        status = "none" if not narrated else "partial"
    return {
        "status": status,
        "pages": len(pages),
        "pages_narrated": narrated,
        "jobs_running": running,
        "error_code": failed.error_code if status == "failed" else "",
        "error_message": failed.error_message if status == "failed" else "",
    }
