"""Every change to stories, pages, pictures and series goes through these functions,
whichever interface asks: web pages, the API, Celery tasks, commands."""

from stories.services.generation import page_illustration_draw, story_text_write
from stories.services.narration import narration_state, page_narration_speak, story_narrate
from stories.services.pages import (
    illustration_select,
    page_regenerate,
    page_text_rewrite,
    page_text_update,
)
from stories.services.series import series_create, series_delete, series_update
from stories.services.sharing import story_share, story_unshare
from stories.services.story import story_create, story_delete, story_retry, story_update

__all__ = [
    "illustration_select",
    "narration_state",
    "page_narration_speak",
    "story_narrate",
    "page_illustration_draw",
    "page_regenerate",
    "page_text_rewrite",
    "page_text_update",
    "series_create",
    "series_delete",
    "series_update",
    "story_create",
    "story_delete",
    "story_retry",
    "story_share",
    "story_text_write",
    "story_unshare",
    "story_update",
]
