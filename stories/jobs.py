"""The kinds of generation job the stories app asks for, and what their outcome
means for a story. Registered when Django starts (StoriesConfig.ready)."""

from django.db.models import F
from django.utils import timezone

from stories.models import Story, StoryJobKind
from storyforge.generation.kinds import JobKind, job_kind_register
from storyforge.generation.providers.base import Usage
from storyforge.generation.routing import task_computes_register


def story_usage_add(job, usage) -> None:
    """A story's tokens and cost are the sum of its jobs'."""
    if job.story_id:
        Story.objects.filter(pk=job.story_id).update(
            prompt_tokens=F("prompt_tokens") + usage.prompt_tokens,
            completion_tokens=F("completion_tokens") + usage.completion_tokens,
            cost=F("cost") + usage.cost,
        )


def story_fail_with_job(job, code: str, message: str) -> None:
    """A book still being made fails with its text or picture job and says why; a
    finished one only loses the new version that was asked for (the job says why)."""
    if not job.story_id:
        return
    what = "writing the story" if job.kind == StoryJobKind.STORY_TEXT else "drawing a picture"
    Story.objects.filter(pk=job.story_id).exclude(status=Story.Status.READY).update(
        status=Story.Status.FAILED,
        error_code=code,
        error_message=f"Something went wrong while {what}: {message}",
        updated_at=timezone.now(),
    )


def story_job_failed(job, code: str, message: str) -> None:
    """What a failed job was charged counts in its book's cost too; a text or picture
    job fails the book with it."""
    story_usage_add(job, Usage(job.prompt_tokens, job.completion_tokens, job.cost))
    if job.kind in (StoryJobKind.STORY_TEXT, StoryJobKind.PAGE_ILLUSTRATION):
        story_fail_with_job(job, code, message)


def story_job_kinds_register() -> None:
    tasks = {
        StoryJobKind.STORY_TEXT: "stories.tasks.story_text_write",
        StoryJobKind.PAGE_ILLUSTRATION: "stories.tasks.page_illustration_draw",
        StoryJobKind.PAGE_TEXT: "stories.tasks.page_text_rewrite",
        StoryJobKind.PAGE_NARRATION: "stories.tasks.page_narration_speak",
        StoryJobKind.PAGE_WRITE: "stories.tasks.page_write",
        StoryJobKind.COVER_ILLUSTRATION: "stories.tasks.cover_illustration_draw",
    }
    for kind, task in tasks.items():
        # A new text for one page of a finished book, its narration, or a cover fails
        # alone (story_job_failed): the book stays as it was (its cover, page 1's picture).
        job_kind_register(
            JobKind(name=kind.value, label=kind.label, task=task, on_succeed=story_usage_add, on_fail=story_job_failed)
        )
    # The offline artist draws on this machine: CPU work (storyforge.generation.routing).
    task_computes_register(tasks[StoryJobKind.PAGE_ILLUSTRATION], capability="image")
    task_computes_register(tasks[StoryJobKind.COVER_ILLUSTRATION], capability="image")
    task_computes_register("stories.tasks.book_export_render")  # a long book's PDF: CPU work always
