"""`/healthz` (liveness) and `/readyz` (readiness) for load balancers and orchestrators.

`/healthz` answers as long as the process serves requests, and touches nothing
else: restarting a web process because the database is down would not help.
`/readyz` checks what a request needs (the database, the cache, the Celery
broker) and answers 503 when any of them fails, so a load balancer sends traffic
elsewhere meanwhile. The AI circuit breaker being open is reported as `degraded`
with a 200: every web node shares the breaker, and reading, editing and exporting
books need no AI, so taking them all out of the load balancer would help no one.
Its details also say who serves each AI capability, and any fallback learnt. Each check
runs in its own thread with a deadline (HEALTH_CHECK_TIMEOUT, 2 s), so a
server that does not answer makes the check fail instead of hanging the probe.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("storyforge.operations.health")

DEFAULT_TIMEOUT = 2.0
OK, FAILING, DEGRADED = "ok", "failing", "degraded"


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str  # "ok" or "failing"
    latency_ms: float
    detail: str = ""

    def as_dict(self) -> dict:
        answer = {"status": self.status, "latency_ms": self.latency_ms}
        if self.detail:
            answer["detail"] = self.detail
        return answer


class CheckFailed(Exception):
    """A dependency answered, but not as it should."""


class CheckDegraded(CheckFailed):
    """Something the node can serve without is not working: reported, but the node
    stays ready (reading, editing and exporting books need no AI)."""


def check_timeout() -> float:
    return float(getattr(settings, "HEALTH_CHECK_TIMEOUT", DEFAULT_TIMEOUT))


# The checks: each returns a short detail on success and raises on failure.


def database_connection():
    """The connection the database check uses (a test may point it elsewhere)."""
    return connections[DEFAULT_DB_ALIAS]


def database_check() -> str:
    connection = database_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # The check runs in a thread of its own: its connection must not outlive it.
        connection.close()
    return connection.vendor


def cache_check() -> str:
    key = f"storyforge:readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=30)
        if cache.get(key) != value:
            raise CheckFailed("a value written to the cache did not read back")
    finally:
        try:
            cache.delete(key)
        except Exception:  # the failure is already being reported
            logger.debug("readyz: cache key not deleted", exc_info=True)
    return caches["default"].__class__.__name__


def broker_check() -> str:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return "memory"
    if url.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = options.get(key)
            if folder and not (Path(folder).is_dir() and os.access(folder, os.W_OK | os.X_OK)):
                raise CheckFailed(f"the broker folder {key} is missing or not writable")
        return "filesystem"
    from kombu import Connection

    timeout = check_timeout()
    options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "socket_timeout": timeout, "socket_connect_timeout": timeout}
    with Connection(url, connect_timeout=timeout, transport_options=options) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    return url.split("://", 1)[0]


def ai_breaker_check() -> str:
    from storyforge.generation.breaker import OPEN, breaker_state

    try:
        state = breaker_state()
    except Exception:
        # The breaker lives in the cache; the cache check already reports that.
        logger.warning("readyz: the breaker's state cannot be read", exc_info=True)
        return "unknown: the cache does not answer"
    if state.state == OPEN:
        raise CheckDegraded(f"open after {state.failures} failures; next try in {max(1, round(state.retry_in))} s")
    return state.state


def ai_capabilities_check() -> str:
    """Who serves text, images and moderation, and any fallback learnt (never failing:
    a fallback still makes books; ai_check says more)."""
    from storyforge.generation.capabilities import capabilities_summary

    try:
        return capabilities_summary()
    except Exception:
        logger.warning("readyz: what the AI servers can do cannot be read", exc_info=True)
        return "unknown: the cache does not answer"


CHECKS: dict[str, Callable[[], str]] = {
    "database": database_check,
    "cache": cache_check,
    "broker": broker_check,
    "ai_breaker": ai_breaker_check,
    "ai_capabilities": ai_capabilities_check,
}


def _timed(name: str, check: Callable[[], str]) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as error:
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        # The answer is public: it names the kind of failure; the log has the rest.
        logger.warning("readyz: %s failing: %s", name, error, exc_info=not isinstance(error, CheckFailed))
        reason = str(error) if isinstance(error, CheckFailed) else error.__class__.__name__
        return CheckResult(name, DEGRADED if isinstance(error, CheckDegraded) else FAILING, elapsed, reason)
    return CheckResult(name, OK, round((time.perf_counter() - started) * 1000, 1), detail)


def readiness(checks: dict[str, Callable[[], str]] | None = None) -> list[CheckResult]:
    """Run every check at once, each bounded by HEALTH_CHECK_TIMEOUT."""
    checks = CHECKS if checks is None else checks
    timeout = check_timeout()
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    started = time.perf_counter()
    futures = {name: pool.submit(_timed, name, check) for name, check in checks.items()}
    results = []
    for name, future in futures.items():
        remaining = max(0.0, timeout - (time.perf_counter() - started))
        try:
            results.append(future.result(timeout=remaining))
        except FutureTimeout:
            logger.warning("readyz: %s did not answer within %.1f s", name, timeout)
            results.append(CheckResult(name, FAILING, round(timeout * 1000, 1), f"no answer within {timeout:g} s"))
    # A check that hangs finishes in the background; the probe does not wait for it.
    pool.shutdown(wait=False, cancel_futures=True)
    return results


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": OK})


@never_cache
@require_safe
def readyz(request):
    results = readiness()
    ready = all(result.status != FAILING for result in results)
    degraded = any(result.status == DEGRADED for result in results)
    overall = FAILING if not ready else DEGRADED if degraded else OK
    return JsonResponse(
        {"status": overall, "checks": {result.name: result.as_dict() for result in results}},
        status=200 if ready else 503,
    )
