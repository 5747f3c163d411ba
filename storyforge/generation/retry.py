"""The retry policy every generation task shares, in one place.

A provider error says whether it is transient; transient failures (429, 408, 409,
5xx, timeouts, connection errors, an open circuit breaker) are retried with
exponential backoff and full jitter, waiting at least as long as the service's
Retry-After asks, up to STORYFORGE_RETRY_LIMIT retries. Permanent failures fail
the job at once with their code. Tasks acknowledge late, so a worker that dies
mid-task has its task delivered again; the job's idempotency makes that safe.
"""

from __future__ import annotations

import logging
import random

from celery import Task
from django.conf import settings

from storyforge.core import metrics
from storyforge.core.errors import AIUnavailable, ErrorCode
from storyforge.generation.providers.base import ProviderError

logger = logging.getLogger(__name__)

BACKOFF_BASE = 1.0  # seconds before the first retry, doubled each time


def retry_delay(retries: int, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number `retries + 1`."""
    cap = settings.STORYFORGE_RETRY_BACKOFF_MAX
    jittered = random.uniform(0, min(cap, BACKOFF_BASE * 2**retries))
    if retry_after:
        return max(float(retry_after), jittered)
    return jittered


class GenerationTask(Task):
    """Base of the tasks that run one generation job: `run_job(service, job_id)`."""

    acks_late = True
    reject_on_worker_lost = True
    max_retries = None  # the limit is read from settings in run_job, so tests can change it

    def run_job(self, service, job_id: int) -> None:
        from storyforge.generation.jobs import job_charges_record, job_fail, job_note_retry

        try:
            service(job_id=job_id)
        except (ProviderError, AIUnavailable) as error:
            transient = isinstance(error, AIUnavailable) or error.transient
            retry_after = error.details.get("retry_after") if isinstance(error, AIUnavailable) else error.retry_after
            code, message = error.code, error.message
            if transient and self.request.retries < settings.STORYFORGE_RETRY_LIMIT:
                delay = retry_delay(self.request.retries, retry_after)
                logger.info("job %s: %s, retry %s in %.1f s", job_id, code, self.request.retries + 1, delay)
                job_note_retry(job_id, code=code, message=message)
                metrics.task_retry_count(self.name)
                raise self.retry(countdown=delay, max_retries=settings.STORYFORGE_RETRY_LIMIT) from None
            logger.warning("job %s failed: %s %s", job_id, code, message)
            job_fail(job_id=job_id, code=code, message=message)
        except Exception:
            # Our own fault or a database hiccup: worth a few tries, then the job
            # fails with a code instead of hanging until the sweep finds it.
            logger.exception("job %s raised", job_id)
            if self.request.retries < settings.STORYFORGE_RETRY_LIMIT:
                job_charges_record(job_id)  # what the AI was paid before our error
                metrics.task_retry_count(self.name)
                raise self.retry(
                    countdown=retry_delay(self.request.retries), max_retries=settings.STORYFORGE_RETRY_LIMIT
                ) from None
            job_fail(job_id=job_id, code=ErrorCode.GENERATION_FAILED, message="Something went wrong on our side.")
