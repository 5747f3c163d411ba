"""Prometheus metrics, served at `/metrics` in the text format (docs/operations.md
says what each series means and which alerts to set).

Two kinds of series:
- counted as things happen (storyforge/core/metrics.py): request latency, database
  queries per request, cache hits and misses, AI call latency and errors, task
  retries and rate-limit rejections;
- read here when Prometheus scrapes, so they are the same whichever process
  answers: generation jobs by kind and status (the database), the circuit breaker
  and the error counts per code (the shared cache), and the Celery queue depth.

`/metrics` is not public: it answers requests with `Authorization: Bearer
<METRICS_TOKEN>`, and requests from this machine (a loopback address, with no
proxy header in between); everyone else gets the ordinary 404 page.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import choose_encoder

from storyforge.core.metrics import REGISTRY, multiprocess_mode

logger = logging.getLogger("storyforge.metrics")

CELERY_QUEUE = "celery"
# Headers a reverse proxy adds: a request carrying one came from elsewhere, even
# when the proxy itself connects from 127.0.0.1.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


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

        from storyforge.generation.kinds import job_kinds
        from storyforge.generation.models import GenerationJob

        jobs = GaugeMetricFamily(
            "storyforge_generation_jobs",
            "Generation jobs in the database, by kind and status.",
            labels=["kind", "status"],
        )
        counts = {
            (row["kind"], row["status"]): row["n"]
            for row in GenerationJob.objects.order_by().values("kind", "status").annotate(n=Count("id"))
        }
        for kind in [kind.name for kind in job_kinds()]:
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
        from storyforge.generation.breaker import CLOSED, HALF_OPEN, OPEN, breaker_state

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
        from storyforge.core.logging import error_counts

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
