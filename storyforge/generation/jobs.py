"""The life of a generation job: queued, running, then succeeded or failed.

A job's idempotency key makes it unique; a task that is delivered twice finds the
job already succeeded and does nothing, so no page, picture or charge is added twice.

Money: a job holds its share of the request's estimate (`reserved`, storyforge.
generation.budget) while queued or running; each attempt is checked against the
owner's budget before it calls the AI; and whatever the provider charged is recorded
in `cost`, whether the job succeeds, is retried or fails.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as KombuOperationalError

from storyforge.core.errors import ErrorCode, ServiceUnavailable
from storyforge.core.images import image_upload_to
from storyforge.core.logging import request_id_get
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.generation.budget import job_budget_problem, reservation_join
from storyforge.generation.charges import charges_noted, charges_start, charges_take
from storyforge.generation.kinds import job_kind_get
from storyforge.generation.models import GenerationJob
from storyforge.generation.providers.base import Usage

logger = logging.getLogger(__name__)

# A message delivered this many times more than the retry limit is poison: the
# job fails instead of running again (Celery keeps no delivery counter of its own).
EXTRA_DELIVERIES = 3


def job_request(*, owner_id: int, kind: str, idempotency_key: str, requested: bool = True, **target) -> GenerationJob:
    """A new job for `target` (story=, page=, character=), sent to a worker once the
    surrounding transaction commits. Every way of asking for generation goes through
    here. `kind` must be registered (storyforge.generation.kinds); the job records the
    id of the current request (or of the task that asked, in a worker). Inside
    `generation_reserved` (or `generation_carried`) it holds a share of the estimate."""
    job_kind_get(kind)  # LookupError for a kind no app registered
    job = GenerationJob.objects.create(
        owner_id=owner_id,
        kind=kind,
        idempotency_key=idempotency_key,
        request_id=request_id_get(),
        requested=requested,
        **target,
    )
    reservation_join(job)
    job_enqueue(job)
    return job


def job_enqueue(job: GenerationJob) -> None:
    """Send the job to a worker once the surrounding transaction has committed.

    When the broker (Redis) does not take the message, the job is not lost: it
    stays queued in the database and the stuck-job sweep (`jobs_reap`) sends it
    again once it is older than STORYFORGE_JOB_TIMEOUT. The caller hears about it
    as ServiceUnavailable (503), raised after the commit, so the work is saved."""
    task = import_string(job_kind_get(job.kind).task)
    job_id, story_id = job.pk, job.story_id
    pagecache_invalidate(job.owner_id)  # a new job counts in today's usage

    def publish():
        try:
            task.apply_async(args=[job_id])
        except (KombuOperationalError, OSError) as error:
            logger.warning("job %s saved but not sent to a worker (%s); the sweep will send it", job_id, error)
            minutes = max(1, round(settings.STORYFORGE_JOB_TIMEOUT / 60))
            raise ServiceUnavailable(
                "The job queue is not answering right now. Your request is saved and will start by "
                f"itself within about {minutes} minutes; there is no need to ask again.",
                details={"job_id": job_id, **({"story_id": story_id} if story_id else {})},
            ) from None

    transaction.on_commit(publish)


def job_begin(job_id: int) -> GenerationJob | None:
    """Mark the job running for one more attempt; None when there is nothing to do
    (already finished, or delivered too often), or when its owner's budget ran out
    meanwhile (the job fails with QUOTA_EXCEEDED, what was made before stays)."""
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.status in (GenerationJob.Status.SUCCEEDED, GenerationJob.Status.FAILED, GenerationJob.Status.CANCELLED):
            return None
        if job.attempts >= settings.STORYFORGE_RETRY_LIMIT + EXTRA_DELIVERIES:
            _fail(job, ErrorCode.GENERATION_FAILED, f"Gave up after {job.attempts} attempts.")
            return None
        problem = job_budget_problem(job)
        if problem:
            _fail(job, ErrorCode.QUOTA_EXCEEDED, problem)
            return None
        now = timezone.now()
        job.status = GenerationJob.Status.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.deadline_at = now + timedelta(seconds=settings.STORYFORGE_JOB_TIMEOUT)
        job.save(update_fields=["status", "attempts", "started_at", "deadline_at", "updated_at"])
    charges_start(job.pk)
    return job


def job_lock_unfinished(job_id: int) -> GenerationJob | None:
    """Inside a transaction: the job, locked, or None if a duplicate delivery already finished it."""
    job = GenerationJob.objects.select_for_update().get(pk=job_id)
    if job.status == GenerationJob.Status.SUCCEEDED:
        charges_take(job_id)  # the other delivery recorded the cost
        return None
    if job.status == GenerationJob.Status.CANCELLED:
        # Stopped while its AI call ran: the result is dropped, what the call cost is kept.
        job_charges_record(job_id)
        return None
    return job


def job_succeed(job: GenerationJob, *, usage: Usage | None, provider: str, model: str = "") -> None:
    """Inside the transaction that saved the job's work: record success and its cost,
    and let go of its reservation. `usage` is what this attempt's calls were charged;
    None: what provider_call noted for them (storyforge.generation.charges)."""
    usage = charges_noted(job.pk) if usage is None else usage
    # Dropped once saved: if the transaction rolls back, the failure records the charges.
    transaction.on_commit(functools.partial(charges_take, job.pk))
    job.status = GenerationJob.Status.SUCCEEDED
    job.progress = 100
    job.finished_at = timezone.now()
    job.error_code = job.error_message = ""
    job.provider, job.model = provider, model
    job.prompt_tokens += usage.prompt_tokens
    job.completion_tokens += usage.completion_tokens
    job.cost += usage.cost
    job.reserved = 0
    job.save()
    pagecache_invalidate(job.owner_id)
    on_succeed = job_kind_get(job.kind).on_succeed
    if on_succeed:
        # All the job cost, earlier attempts' charges (recorded when they ended) included.
        on_succeed(job, Usage(job.prompt_tokens, job.completion_tokens, job.cost))


def job_images_save(*, job_id: int, images, model, provider: str, save) -> bool:
    """The end of every drawing job: store each drawn image's file, then in one
    transaction lock the job, let `save(job, names)` create the app's rows for the
    stored `names` (in the order of `images`), and record the job's success with the
    images' cost. When anything fails, or a duplicate delivery finished the job
    first, the stored files are removed again. False when there was nothing to do.

    `model` is the image model (a GeneratedImage) that says where files go."""
    names = [default_storage.save(image_upload_to(model, "image.png"), ContentFile(image.png)) for image in images]
    saved = False
    try:
        with transaction.atomic():
            job = job_lock_unfinished(job_id)
            if job is not None:
                save(job, names)
                usage = sum((image.usage for image in images), Usage())
                job_succeed(job, usage=usage, provider=provider, model=images[0].model if images else "")
                saved = True
    finally:
        if not saved:
            for name in names:
                with contextlib.suppress(OSError):
                    default_storage.delete(name)
    return saved


def job_note_retry(job_id: int, *, code: str, message: str) -> None:
    """A transient failure that will be retried: keep the last error and what the
    attempt was charged, back to queued (still holding its reservation)."""
    job_charges_record(job_id)
    GenerationJob.objects.filter(pk=job_id, status=GenerationJob.Status.RUNNING).update(
        status=GenerationJob.Status.QUEUED, error_code=code, error_message=message, updated_at=timezone.now()
    )


def job_charges_record(job_id: int) -> None:
    """Add what the job's calls were charged in this attempt to its cost: for an
    attempt that ends without success (it will be retried)."""
    usage = charges_take(job_id)
    if not (usage.cost or usage.prompt_tokens or usage.completion_tokens):
        return
    try:
        GenerationJob.objects.filter(pk=job_id).update(
            cost=F("cost") + usage.cost,
            prompt_tokens=F("prompt_tokens") + usage.prompt_tokens,
            completion_tokens=F("completion_tokens") + usage.completion_tokens,
        )
    except DatabaseError:  # the database is what failed: the retry matters more than the figure
        logger.warning("job %s: could not record $%s charged before its error", job_id, usage.cost)


@transaction.atomic
def job_fail(*, job_id: int, code: str, message: str) -> None:
    """The job has failed for good; its story says why. Work already saved stays."""
    job = GenerationJob.objects.select_for_update().get(pk=job_id)
    if job.status == GenerationJob.Status.SUCCEEDED:
        return
    if job.status == GenerationJob.Status.CANCELLED:  # stopped meanwhile: it stays so, with what it cost
        job_charges_record(job_id)
        return
    _fail(job, code, message)


def jobs_cancel(jobs) -> list[int]:
    """Inside a transaction: cancel the queued and running jobs of `jobs` (a queryset),
    letting go of their reservations. A queued job never starts (job_begin); a running
    one finishes its AI call, whose result is then dropped (job_lock_unfinished) and
    whose charge still counts. Returns the ids of the jobs cancelled."""
    unfinished = list(
        jobs.select_for_update()
        .filter(status__in=(GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING))
        .values_list("pk", "owner_id")
    )
    if not unfinished:
        return []
    GenerationJob.objects.filter(pk__in=[pk for pk, _ in unfinished]).update(
        status=GenerationJob.Status.CANCELLED,
        reserved=0,
        error_code="",
        error_message="Stopped by its owner.",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    for owner_id in {owner_id for _, owner_id in unfinished}:
        pagecache_invalidate(owner_id)  # the usage figures hold less now
    return [pk for pk, _ in unfinished]


def _fail(job: GenerationJob, code: str, message: str) -> None:
    """The job has failed for good: what this attempt was charged is added to its
    cost (the provider charged for flagged or unusable answers too), its reservation let go."""
    usage = charges_take(job.pk)
    job.status = GenerationJob.Status.FAILED
    job.error_code, job.error_message = code, message
    job.finished_at = timezone.now()
    job.prompt_tokens += usage.prompt_tokens
    job.completion_tokens += usage.completion_tokens
    job.cost += usage.cost
    job.reserved = 0
    job.save()
    pagecache_invalidate(job.owner_id)
    on_fail = job_kind_get(job.kind).on_fail
    if on_fail:
        on_fail(job, code, message)


def jobs_reap(*, now=None) -> dict[str, int]:
    """The sweep for stuck jobs: a job running past its deadline, or queued and not
    picked up within the job timeout, is sent again once, and failed the next time."""
    now = now or timezone.now()
    stale_queued = now - timedelta(seconds=settings.STORYFORGE_JOB_TIMEOUT)
    stuck = GenerationJob.objects.filter(
        Q(status=GenerationJob.Status.RUNNING, deadline_at__lt=now)
        | Q(status=GenerationJob.Status.QUEUED, updated_at__lt=stale_queued)
    )
    requeued = failed = 0
    for job_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            job = GenerationJob.objects.select_for_update().get(pk=job_id)
            if job.status not in (GenerationJob.Status.RUNNING, GenerationJob.Status.QUEUED):
                continue
            if job.error_code != ErrorCode.JOB_STUCK:
                job.status, job.error_code = GenerationJob.Status.QUEUED, ErrorCode.JOB_STUCK
                job.error_message = "The job stopped answering and was sent to a worker again."
                job.save()
                job_enqueue(job)
                requeued += 1
            else:
                _fail(job, ErrorCode.JOB_STUCK, "The job stopped answering twice; try again.")
                failed += 1
    return {"requeued": requeued, "failed": failed}
