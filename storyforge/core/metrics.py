"""Prometheus series counted as things happen, in the process where they happen:
request latency and database queries per request (`MetricsMiddleware`), cache hits
and misses (`cache_metrics_install`), AI call latency and errors
(`ai_call_measured`, around every provider call), task retries
(`task_retry_count`) and rate-limit rejections (the 429s the middleware sees).

They live in the memory of each process. With several gunicorn workers (and a
Celery worker beside them), set PROMETHEUS_MULTIPROC_DIR to an empty folder that
all of them share, and prometheus-client adds up every process's files. The series
read when Prometheus scrapes, and the `/metrics` view itself, are the operators'
(storyforge/operations/metrics.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connections
from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector

logger = logging.getLogger("storyforge.metrics")

REGISTRY = CollectorRegistry(auto_describe=True)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_LATENCY = Histogram(
    "storyforge_http_request_duration_seconds",
    "Time to answer an HTTP request, by view (URL name), method and status.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
REQUEST_QUERIES = Histogram(
    "storyforge_http_request_db_queries",
    "Database queries made while answering one HTTP request, by view.",
    ["view"],
    buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89),
    registry=REGISTRY,
)
CACHE_REQUESTS = Counter(
    "storyforge_cache_requests",
    "Cache reads (get, get_many: one per key) by cache alias and result (hit or miss).",
    ["cache", "result"],
    registry=REGISTRY,
)
AI_CALL_LATENCY = Histogram(
    "storyforge_ai_call_duration_seconds",
    "Time one AI provider call took, by operation and outcome (ok or error).",
    ["operation", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0),
    registry=REGISTRY,
)
AI_CALL_ERRORS = Counter(
    "storyforge_ai_call_errors",
    "AI provider calls that failed, by operation and error code.",
    ["operation", "code"],
    registry=REGISTRY,
)
TASK_RETRIES = Counter(
    "storyforge_task_retries", "Generation task retries scheduled, by task name.", ["task"], registry=REGISTRY
)
RATE_LIMIT_REJECTIONS = Counter(
    "storyforge_rate_limit_rejections",
    "Requests refused with 429, by the limit exceeded ('other': the log-in lockout).",
    ["limit"],
    registry=REGISTRY,
)


def multiprocess_mode() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


# Counting as things happen


class _QueryCounter:
    """A database execute wrapper that counts the queries of one request."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class MetricsMiddleware:
    """First in MIDDLEWARE, so that it times everything the others do and sees the
    final status, after the error middleware has turned exceptions into pages."""

    def __init__(self, get_response):
        self.get_response = get_response
        cache_metrics_install()

    def __call__(self, request):
        queries = _QueryCounter()
        started = time.perf_counter()
        with contextlib.ExitStack() as wrappers:
            for connection in connections.all():
                wrappers.enter_context(connection.execute_wrapper(queries))
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        method = request.method if request.method in METHODS else "other"
        REQUEST_LATENCY.labels(view, method, str(response.status_code)).observe(elapsed)
        REQUEST_QUERIES.labels(view).observe(queries.count)
        if response.status_code == 429:
            rate_limit_rejection_count(request)
        return response


def view_label(request) -> str:
    """The URL name (`stories:detail`), or the view's dotted path; never the raw
    path, so that the number of series stays bounded."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match._func_path


def rate_limit_rejection_count(request) -> None:
    from storyforge.core.ratelimit import ratelimit_states

    exceeded = sorted({state.name for state in ratelimit_states(request) if state.exceeded})
    for name in exceeded or ["other"]:
        RATE_LIMIT_REJECTIONS.labels(name).inc()


_MISSING = object()
_cache_metrics_installed = False


def cache_metrics_install() -> None:
    """Count the hits and misses of every Django cache from now on.

    The backends stay Django's own classes (the configuration checks recognise them
    by their paths); each instance gets counting `get` and `get_many` as the cache
    handler creates it. Idempotent."""
    global _cache_metrics_installed
    if _cache_metrics_installed:
        return
    create = caches.create_connection

    def create_connection(alias):
        backend = create(alias)
        _cache_meter(backend, alias)
        return backend

    caches.create_connection = create_connection
    for alias in caches:
        with contextlib.suppress(AttributeError):  # not created in this thread yet
            _cache_meter(getattr(caches._connections, alias), alias)
    _cache_metrics_installed = True


def _cache_meter(backend: BaseCache, alias: str) -> None:
    if getattr(backend, "_storyforge_metered", False):
        return
    get, get_many = backend.get, backend.get_many
    hits, misses = CACHE_REQUESTS.labels(alias, "hit"), CACHE_REQUESTS.labels(alias, "miss")

    def metered_get(key, default=None, version=None):
        value = get(key, _MISSING, version=version)
        if value is _MISSING:
            misses.inc()
            return default
        hits.inc()
        return value

    def metered_get_many(keys, version=None):
        keys = list(keys)
        found = get_many(keys, version=version)
        hits.inc(len(found))
        misses.inc(len(keys) - len(found))
        return found

    backend.get = metered_get
    # Django's default get_many calls self.get for each key, which now counts.
    if type(backend).get_many is not BaseCache.get_many:
        backend.get_many = metered_get_many
    backend._storyforge_metered = True


@contextlib.contextmanager
def ai_call_measured(call):
    """Time one AI provider call; a failure is counted by its error code."""
    operation = getattr(call, "__name__", "call")
    started = time.perf_counter()
    try:
        yield
    except Exception as error:
        AI_CALL_LATENCY.labels(operation, "error").observe(time.perf_counter() - started)
        AI_CALL_ERRORS.labels(operation, getattr(error, "code", None) or error.__class__.__name__).inc()
        raise
    AI_CALL_LATENCY.labels(operation, "ok").observe(time.perf_counter() - started)


def task_retry_count(task_name: str) -> None:
    TASK_RETRIES.labels(task_name).inc()


ProcessCollector(registry=REGISTRY)
