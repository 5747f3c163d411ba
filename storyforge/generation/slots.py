"""A limit on the pictures being drawn at once, across every worker.

A local Stable Diffusion server draws one picture at a time; twelve illustration
jobs sent to it together would mostly time out. `image_slot()` holds one of
`IMAGE_MAX_CONCURRENCY` slots in the shared cache (an atomic add on Redis) for
the length of one call, and waits for a free one, so the jobs queue politely.
A slot left by a worker that died frees itself after `IMAGE_TIMEOUT` and a margin.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import ProviderError

POLL_SECONDS = 0.25
_KEY = "image-slot:{}"


def image_slots_limit() -> int:
    """Pictures allowed at once; 0 means no limit."""
    if settings.IMAGE_MAX_CONCURRENCY is not None:
        return settings.IMAGE_MAX_CONCURRENCY
    from storyforge.generation.providers import provider_name  # the image provider in force

    name, _ = provider_name("image")
    return 1 if name == "automatic1111" else 0


@contextlib.contextmanager
def image_slot(*, wait: float | None = None) -> Iterator[None]:
    """Hold a drawing slot for the block. Waits up to `wait` seconds (default twice
    IMAGE_TIMEOUT) for one, then raises a transient ProviderError so the job retries."""
    limit = image_slots_limit()
    if limit <= 0:
        yield
        return
    token = uuid.uuid4().hex
    hold = int(settings.IMAGE_TIMEOUT) + 30
    deadline = time.monotonic() + (2 * settings.IMAGE_TIMEOUT if wait is None else wait)
    while True:
        key = next((_KEY.format(n) for n in range(limit) if cache.add(_KEY.format(n), token, hold)), None)
        if key is not None:
            break
        if time.monotonic() >= deadline:
            raise ProviderError(
                ErrorCode.AI_RATE_LIMITED,
                f"The picture server is busy with {limit} picture(s) already; this one waits its turn.",
                transient=True,
                retry_after=settings.IMAGE_TIMEOUT / 2,
            )
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        if cache.get(key) == token:  # not taken over after an expiry
            cache.delete(key)


def image_slots_busy() -> int:
    """How many slots are held now (for operators)."""
    limit = image_slots_limit()
    return sum(1 for n in range(limit) if cache.get(_KEY.format(n)) is not None)
