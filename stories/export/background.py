"""Long books' files made off the web worker.

A PDF (or MP3) of a long book takes the web process a second or more, and on a
busy machine several: time in which it answers nobody else. So the reader's
download of a book longer than INLINE_PAGES asks the `cpu` worker for the file
(stories.tasks.book_export_render, routed to the prefork pool) and says it is being
made; the page asks again every second and offers the file once it is kept. Files
are kept exactly as download.py keeps them, under the fingerprint of the book and
its options, so a file made once downloads at once until anything in it changes.
EPUBs are a zip of files already made: always made at once, like short books.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from stories.export.download import EXPORT_CACHE_KEY, EXPORT_KEEP_SECONDS, book_export, export_limit_check
from stories.models import Page
from storyforge.core.downloads import FileDownload
from storyforge.core.errors import GenerationFailed, RateLimited

logger = logging.getLogger(__name__)

INLINE_PAGES = 8  # a book this short renders in well under half a second (docs/performance.md)
MADE_ELSEWHERE = ("pdf", "mp3")
EXPORT_RETRY_SECONDS = 1  # how soon to ask again for a file being made
MAKING_SECONDS = 120  # a render not done by then (its worker died) is asked for again
MAKING_KEY = "storyforge:export-making:{}"
FAILED_KEY = "storyforge:export-failed:{}"


def book_export_offered(*, user, story_id, format: str, **options) -> FileDownload | None:
    """The file when it is quick to make (made here, as `book_export` does) or was made
    before; None when it is being made on the `cpu` worker: ask again shortly.
    GenerationFailed when the last try to make it failed (the next ask tries again);
    RateLimited, NotFound, Conflict and InvalidInput as `book_export` raises them."""
    if format not in MADE_ELSEWHERE or Page.objects.filter(story_id=story_id).count() <= INLINE_PAGES:
        return book_export(user=user, story_id=story_id, format=format, **options)

    def keeper(user, digest, make) -> bytes:
        data = cache.get(EXPORT_CACHE_KEY.format(digest))
        if data is not None:
            return data
        failed = cache.get(FAILED_KEY.format(digest))
        if failed:
            cache.delete(FAILED_KEY.format(digest))
            raise GenerationFailed(f"The book file could not be made: {failed} Ask again to try once more.")
        if cache.add(MAKING_KEY.format(digest), 1, MAKING_SECONDS):  # one render per file at a time
            try:
                export_limit_check(user)
            except RateLimited:
                cache.delete(MAKING_KEY.format(digest))
                raise
            arguments = [user.pk, int(story_id), format, options, digest]
            transaction.on_commit(lambda: _render_send(arguments))
        raise _Making

    try:
        return book_export(user=user, story_id=story_id, format=format, keeper=keeper, **options)
    except _Making:
        return None


def book_export_render(*, user_id: int, story_id: int, format: str, options: dict, digest: str) -> None:
    """In the `cpu` worker: make the file and keep it where the reader looks for it."""

    def keeper(user, made_digest, make) -> bytes:
        key = EXPORT_CACHE_KEY.format(made_digest)
        data = cache.get(key)
        if data is None:
            data = make()
            cache.set(key, data, timeout=EXPORT_KEEP_SECONDS)
        return data

    user = get_user_model().objects.get(pk=user_id)
    try:
        book_export(user=user, story_id=story_id, format=format, keeper=keeper, **options)
    except Exception as error:  # the reader hears why on its next ask, and may ask again
        logger.warning("book export of story %s failed", story_id, exc_info=True)
        message = getattr(error, "message", "") or "something went wrong on our side."
        cache.set(FAILED_KEY.format(digest), message, timeout=MAKING_SECONDS)
    finally:
        cache.delete(MAKING_KEY.format(digest))


class _Making(Exception):
    """The file is not kept yet; the `cpu` worker is making it."""


def _render_send(arguments: list) -> None:
    from stories.tasks import book_export_render as task

    task.delay(*arguments)
