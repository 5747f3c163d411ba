"""The circuit breaker around the AI service, shared by every web and worker process
through the cache (Redis in production).

Closed: calls go through. After STORYFORGE_BREAKER_FAILURES consecutive transient
failures it opens: generation requests fail fast with AI_UNAVAILABLE and a retry
time. Once the cool-off has passed, exactly one caller is let through as a probe;
its success closes the breaker, its failure opens it for another cool-off.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from storyforge.core.errors import AIUnavailable

FAILURES_KEY = "ai-breaker:failures"
OPENED_KEY = "ai-breaker:opened-at"
PROBE_KEY = "ai-breaker:probe"
# Long enough to outlive any cool-off; the keys are reset on success anyway.
KEY_TIMEOUT = 24 * 60 * 60

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


@dataclass(frozen=True)
class BreakerState:
    state: str
    failures: int
    retry_in: float  # seconds until a probe may go through; 0 when closed or half-open


def breaker_state() -> BreakerState:
    values = cache.get_many([FAILURES_KEY, OPENED_KEY])
    failures = int(values.get(FAILURES_KEY) or 0)
    opened_at = values.get(OPENED_KEY)
    if opened_at is None:
        return BreakerState(CLOSED, failures, 0.0)
    retry_in = opened_at + settings.STORYFORGE_BREAKER_COOLOFF - time.time()
    if retry_in > 0:
        return BreakerState(OPEN, failures, retry_in)
    return BreakerState(HALF_OPEN, failures, 0.0)


def breaker_check() -> None:
    """Fail fast with AIUnavailable while the breaker is open. For web requests:
    it never takes the probe, it only says whether asking makes sense."""
    state = breaker_state()
    if state.state == OPEN:
        raise _unavailable(state.retry_in)


def breaker_allow() -> None:
    """Before an AI call in a worker: pass when closed; when half-open, let exactly
    one caller through as the probe; otherwise raise AIUnavailable."""
    state = breaker_state()
    if state.state == CLOSED:
        return
    if state.state == HALF_OPEN and cache.add(PROBE_KEY, 1, timeout=max(1, int(settings.STORYFORGE_BREAKER_COOLOFF))):
        return
    raise _unavailable(state.retry_in or settings.STORYFORGE_BREAKER_COOLOFF)


def breaker_record_success() -> None:
    cache.delete_many([FAILURES_KEY, OPENED_KEY, PROBE_KEY])


def breaker_record_failure() -> None:
    """Count one transient failure; open (or re-open after a failed probe) at the threshold."""
    cache.add(FAILURES_KEY, 0, timeout=KEY_TIMEOUT)
    try:
        failures = cache.incr(FAILURES_KEY)
    except ValueError:  # expired between add and incr
        cache.set(FAILURES_KEY, 1, timeout=KEY_TIMEOUT)
        failures = 1
    if failures is None:  # the cache is not answering (it fails open): nothing to count
        return
    if failures >= settings.STORYFORGE_BREAKER_FAILURES:
        cache.set(OPENED_KEY, time.time(), timeout=KEY_TIMEOUT)
        cache.delete(PROBE_KEY)


def _unavailable(retry_in: float) -> AIUnavailable:
    seconds = max(1, round(retry_in))
    return AIUnavailable(
        f"The AI service is not answering right now; try again in {seconds} seconds.",
        details={"retry_after": seconds},
    )
