"""Prometheus metrics, served at `/metrics` in the text format (docs/operations.md
says what each series means and which alerts to set).

Two kinds of series:
- counted as things happen, in the process where they happen: request latency
  and database queries per request (`MetricsMiddleware`), cache hits and misses
  (`cache_metrics_install`), AI call latency and errors (`ai_call_measured`,
  around every provider call), task retries (`task_retry_count`) and rate-limit
  rejections (the 429s the middleware sees);
- read when Prometheus scrapes, so they are the same whichever process answers:
  generation jobs by kind and status (the database), the circuit breaker and the
  error counts per code (the shared cache), and the Celery queue depth (the broker).

Counted series live in the memory of each process. With several gunicorn workers
(and a Celery worker beside them), set PROMETHEUS_MULTIPROC_DIR to an empty folder
that all of them share, and prometheus-client adds up every process's files.

`/metrics` is not public: it answers requests with `Authorization: Bearer
<METRICS_TOKEN>`, and requests from this machine (a loopback address, with no
proxy header in between); everyone else gets the ordinary 404 page.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connections
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import choose_encoder

logger = logging.getLogger("storyforge.metrics")

REGISTRY = CollectorRegistry(auto_describe=True)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
CELERY_QUEUE = "celery"
# Headers a reverse proxy adds: a request carrying one came from elsewhere, even
# when the proxy itself connects from 127.0.0.1.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")

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
    from storyforge.ratelimit import ratelimit_states

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


# Read at scrape time


class StateCollector:
    """Series read from the database, the cache and the broker when Prometheus scrapes.

    One part failing (the database is down, say) leaves the others, and
    `storyforge_metrics_collector_up{collector=...}` says which one failed."""

    def describe(self):
        return []  # nothing is read when the collector is registered

    def collect(self):
        up = GaugeMetricFamily(
            "storyforge_metrics_collector_up",
            "1 when the scrape-time collector could read its source, else 0.",
            labels=["collector"],
        )
        for name, part in (
            ("generation_jobs", self._jobs),
            ("ai_breaker", self._breaker),
            ("errors", self._errors),
            ("celery_queue", self._queue),
        ):
            try:
                families = list(part())
            except Exception:
                logger.warning("metrics: the %s collector failed", name, exc_info=True)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up

    def _jobs(self):
        from django.db.models import Count
        from django.utils import timezone

        from stories.models import GenerationJob

        jobs = GaugeMetricFamily(
            "storyforge_generation_jobs",
            "Generation jobs in the database, by kind and status.",
            labels=["kind", "status"],
        )
        counts = {
            (row["kind"], row["status"]): row["n"]
            for row in GenerationJob.objects.order_by().values("kind", "status").annotate(n=Count("id"))
        }
        for kind in GenerationJob.Kind.values:
            for status in GenerationJob.Status.values:
                jobs.add_metric([kind, status], counts.get((kind, status), 0))
        yield jobs
        overdue = GenerationJob.objects.filter(
            status=GenerationJob.Status.RUNNING, deadline_at__lt=timezone.now()
        ).count()
        yield GaugeMetricFamily(
            "storyforge_generation_jobs_overdue",
            "Running jobs past their deadline: stuck, until the sweep (beat) sends them again.",
            value=overdue,
        )

    def _breaker(self):
        from storyforge.ai.breaker import CLOSED, HALF_OPEN, OPEN, breaker_state

        state = breaker_state()
        family = GaugeMetricFamily(
            "storyforge_ai_breaker_state", "The AI circuit breaker: 1 for its current state.", labels=["state"]
        )
        for name in (CLOSED, OPEN, HALF_OPEN):
            family.add_metric([name], 1 if state.state == name else 0)
        yield family
        yield GaugeMetricFamily(
            "storyforge_ai_breaker_failures",
            "Consecutive transient AI failures counted by the breaker.",
            value=state.failures,
        )

    def _errors(self):
        from storyforge.logging import error_counts

        family = CounterMetricFamily(
            "storyforge_errors", "Error answers by code, counted in the shared cache (all processes).", labels=["code"]
        )
        for code, count in error_counts().items():
            family.add_metric([code], count)
        yield family

    def _queue(self):
        family = GaugeMetricFamily(
            "storyforge_celery_queue_depth",
            "Tasks waiting in the Celery queue (NaN when the broker cannot say).",
            labels=["queue"],
        )
        depth = celery_queue_depth(CELERY_QUEUE)
        family.add_metric([CELERY_QUEUE], float("nan") if depth is None else depth)
        yield family


def celery_queue_depth(queue: str = CELERY_QUEUE) -> int | None:
    """Messages waiting in `queue`: LLEN of its Redis list, or the files of the
    folder queue; None for another broker."""
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        try:
            return int(client.llen(queue))
        finally:
            client.close()
    if url.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in")
        if not folder or not Path(folder).is_dir():
            return 0
        # kombu names each message <time>_<uuid>.<queue>.msg
        return sum(1 for entry in os.scandir(folder) if entry.name.endswith(f".{queue}.msg"))
    return None


STATE_COLLECTOR = StateCollector()
REGISTRY.register(STATE_COLLECTOR)
ProcessCollector(registry=REGISTRY)


def scrape_registry() -> CollectorRegistry:
    """This process's registry, or in multiprocess mode one that adds up the files
    of every process (the scrape-time series are read once, here)."""
    if not multiprocess_mode():
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(STATE_COLLECTOR)
    return registry


# The view


def metrics_allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[len("Bearer ") :].strip().encode(), token.encode())
    if any(request.META.get(name) for name in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


@never_cache
@require_safe
def metrics_view(request):
    if not metrics_allowed(request):
        raise Http404  # the same answer as for any unknown address: nothing to see here
    # The text format Prometheus asks for in its Accept header (OpenMetrics, or classic text).
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return HttpResponse(encode(scrape_registry()), content_type=content_type)
