"""Every change to stories, pages and generation jobs goes through these functions,
whichever interface asks: web pages, the API, Celery tasks, commands."""

from stories.services.budget import generation_allowance_check
from stories.services.generation import page_illustration_draw, story_text_write
from stories.services.jobs import job_enqueue, job_fail, jobs_reap
from stories.services.story import story_create, story_retry

__all__ = [
    "generation_allowance_check",
    "job_enqueue",
    "job_fail",
    "jobs_reap",
    "page_illustration_draw",
    "story_create",
    "story_retry",
    "story_text_write",
]
