"""The data behind the dashboard and the reader, kept in the shared cache per user.

Each user has a version (`pagecache:v:<user id>`) that is part of every key of
theirs; a service that changes what those pages show calls
`pagecache_invalidate(user_id)` once, which gives the user a new version, so
every entry stored under the old one is never read again (and expires after
`TIMEOUT`). No key has to be found and deleted, and one user's writes never
touch another user's entries.

What is cached is the selectors' results (model instances with their prefetched
relations), never a rendered page: the CSRF token, messages and the signed-in
user stay per request. The usage figures count "today" in UTC, so the day is in
their key too.

The version is bumped at once and again when the transaction commits: a reader
that stores the old data between the two (it read before the commit) stores it
under the first new version, which the second bump leaves behind.

A cache that fails costs speed, never the page: the data is then read from the
database as if nothing were cached.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from prometheus_client import Counter

from storyforge.core.metrics import REGISTRY

logger = logging.getLogger("storyforge.core.pagecache")

TIMEOUT = 600  # seconds an entry lives at most, whatever happens to its version
VERSION_TIMEOUT = None  # a user's version lives until it is evicted

PAGE_CACHE_REQUESTS = Counter(
    "storyforge_page_cache_requests",
    "Reads of the per-user page cache by page (dashboard, reader) and result (hit or miss).",
    ["page", "result"],
    registry=REGISTRY,
)

_MISSING = object()


def _version_key(user_id) -> str:
    return f"pagecache:v:{user_id}"


def pagecache_version(user_id) -> str:
    """The user's current version; a missing one (never set, or evicted) is made
    new, so entries stored under an earlier version are never read again."""
    version = cache.get(_version_key(user_id))
    if version is None:
        cache.add(_version_key(user_id), time.time_ns(), VERSION_TIMEOUT)
        version = cache.get(_version_key(user_id))
    return str(version)


def _bump(user_id) -> None:
    try:
        cache.set(_version_key(user_id), time.time_ns(), VERSION_TIMEOUT)
    except Exception:
        logger.warning("pagecache: could not invalidate the pages of user %s", user_id, exc_info=True)


def pagecache_invalidate(user_id) -> None:
    """Forget the cached pages of one user: now, and again once the current
    transaction commits (at once when there is none). A transaction has at most
    one such commit callback, however many services it calls."""
    _bump(user_id)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    # A callback of a rolled-back savepoint is gone from this list, so a user is
    # never added to one that will not run.
    for _savepoints, callback, _robust in connection.run_on_commit:
        if hasattr(callback, "pagecache_user_ids"):
            callback.pagecache_user_ids.add(user_id)
            return

    def bump_on_commit():
        for pending in bump_on_commit.pagecache_user_ids:
            _bump(pending)

    bump_on_commit.pagecache_user_ids = {user_id}
    transaction.on_commit(bump_on_commit)


def pagecache_read(page: str, key: str, compute, *, user_id, daily: bool = False):
    """`compute()`'s result for `user_id`, kept under `pagecache:<key>:<user id>:<version>`
    (and today's date when `daily`). `page` names the page in the hit/miss counter.
    A cache that fails means `compute()` is called, never an error."""
    try:
        version = pagecache_version(user_id)
    except Exception:
        logger.warning("pagecache: version read failed, using the database", exc_info=True)
        return compute()
    full_key = f"pagecache:{key}:{user_id}:{version}"
    if daily:
        full_key += f":{timezone.now().date().isoformat()}"
    return _cached(page, full_key, compute)


def _cached(page: str, key: str, compute):
    try:
        value = cache.get(key, _MISSING)
    except Exception:
        logger.warning("pagecache: read failed, using the database", exc_info=True)
        return compute()
    if value is not _MISSING:
        PAGE_CACHE_REQUESTS.labels(page, "hit").inc()
        return value
    PAGE_CACHE_REQUESTS.labels(page, "miss").inc()
    value = compute()
    try:
        cache.set(key, value, TIMEOUT)
    except Exception:
        logger.warning("pagecache: write failed", exc_info=True)
    return value
