"""Every change to stories, pages, pictures and series goes through these functions,
whichever interface asks: web pages, the API, Celery tasks, commands."""

from stories.services.cover import cover_illustration_draw, cover_regenerate, cover_select
from stories.services.generation import page_illustration_draw, story_text_write
from stories.services.narration import narration_state, page_narration_speak, story_narrate
from stories.services.page_history import page_history, page_restore
from stories.services.page_order import page_add, page_move, page_remove, pages_reorder
from stories.services.pages import (
    illustration_select,
    page_regenerate,
    page_text_rewrite,
    page_text_update,
    page_write,
)
from stories.services.series import series_create, series_delete, series_update
from stories.services.sharing import story_share, story_unshare
from stories.services.story import story_cancel, story_create, story_delete, story_retry, story_update

__all__ = [
    "cover_illustration_draw",
    "cover_regenerate",
    "cover_select",
    "illustration_select",
    "narration_state",
    "page_narration_speak",
    "story_narrate",
    "page_illustration_draw",
    "page_add",
    "page_history",
    "page_move",
    "page_regenerate",
    "page_remove",
    "page_restore",
    "page_write",
    "pages_reorder",
    "story_cancel",
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
