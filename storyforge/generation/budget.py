"""Each user's daily limits, and the reservation that keeps the budget when many
requests arrive at once.

A request for generation checks the user's limits and creates its jobs inside
`generation_reserved`: one transaction holding the lock on the user's Allowance row,
so two requests of one user are checked one after the other (a row lock on
PostgreSQL; SQLite's immediate transactions serialise anyway). The request's
estimate is then held by the jobs it created (`GenerationJob.reserved`, shared
between them) until each one ends, when what it really cost is in `cost` instead.
Usage counts what is spent plus what is held, so the estimates accepted in a day
never add up to more than the budget, however many requests arrive together.

A request whose estimate is 0 (a free provider: the offline ones, a server of one's
own) never runs out of money; its generations still count. A budget of 0 turns
generation off. Before a job calls the AI, the worker looks again
(`job_budget_problem`), because what was spent may have come out above the estimates.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from django.db import transaction

from storyforge.core.errors import QuotaExceeded
from storyforge.generation.models import Allowance, GenerationJob
from storyforge.generation.selectors import MICRODOLLAR, UsageSummary, limits_of, owner_usage


def _dollars(amount) -> Decimal:
    return Decimal(amount).quantize(MICRODOLLAR, rounding=ROUND_UP)


@dataclass
class Reservation:
    """What a request holds of the budget, shared at the end by the jobs it created."""

    owner_id: int
    estimate: Decimal
    usage: UsageSummary | None  # the usage it was checked against; None: carried, not checked
    jobs: list[GenerationJob] = field(default_factory=list)

    def hold(self, more) -> None:
        """Hold `more` as well, once the request knows what it will ask for: QuotaExceeded
        when it does not fit in what is left. Still under the user's lock."""
        more = _dollars(more)
        if self.usage is not None:
            _money_check(self.usage, self.estimate + more)
        self.estimate += more


_open: ContextVar[Reservation | None] = ContextVar("storyforge_reservation", default=None)


def allowance_lock(user_id: int) -> Allowance:
    """The user's Allowance row, made when missing, locked until the transaction ends."""
    allowance, _ = Allowance.objects.select_for_update().get_or_create(user_id=user_id)
    return allowance


@contextlib.contextmanager
def generation_reserved(*, user, estimate=Decimal("0")) -> Iterator[Reservation]:
    """A transaction in which a request checks the user's limits and creates its jobs
    (through job_request), the user's Allowance row locked throughout.

    QuotaExceeded, before the body runs, when today's generations are used up or
    `estimate` (US dollars) does not fit in what is left of today's budget. The jobs
    the body creates share the estimate, and whatever it adds with `.hold()`."""
    with transaction.atomic():
        usage = owner_usage(user.pk, limits=limits_of(allowance_lock(user.pk)))
        _count_check(usage)
        estimate = _dollars(estimate)
        _money_check(usage, estimate)
        reservation = Reservation(owner_id=user.pk, estimate=estimate, usage=usage)
        with _reservation_open(reservation):
            yield reservation
        _spread(reservation)


@contextlib.contextmanager
def generation_carried(*, owner_id: int, estimate) -> Iterator[Reservation]:
    """For a worker's follow-up jobs (a story's pictures, once its text is written):
    the jobs created inside hold `estimate` without a check, because the request
    that asked for them was checked for it. Inside the transaction that creates them."""
    reservation = Reservation(owner_id=owner_id, estimate=_dollars(estimate), usage=None)
    with _reservation_open(reservation):
        yield reservation
    _spread(reservation)


def reservation_join(job: GenerationJob) -> None:
    """job_request's part: a job made inside an open reservation of its owner shares it."""
    reservation = _open.get()
    if reservation is not None and reservation.owner_id == job.owner_id:
        reservation.jobs.append(job)


@contextlib.contextmanager
def _reservation_open(reservation: Reservation) -> Iterator[None]:
    token = _open.set(reservation)
    try:
        yield
    finally:
        _open.reset(token)


def _spread(reservation: Reservation) -> None:
    """Share the estimate between the jobs: equal parts, the first taking the odd microdollars."""
    jobs = reservation.jobs
    if not jobs or reservation.estimate <= 0:
        return
    share = (reservation.estimate / len(jobs)).quantize(MICRODOLLAR, rounding=ROUND_DOWN)
    first = reservation.estimate - share * (len(jobs) - 1)
    GenerationJob.objects.filter(pk__in=[job.pk for job in jobs[1:]]).update(reserved=share)
    GenerationJob.objects.filter(pk=jobs[0].pk).update(reserved=first)
    for job in jobs:
        job.reserved = share
    jobs[0].reserved = first


def _details(usage: UsageSummary) -> dict:
    return {
        "resets_at": usage.day_ends_at.isoformat(),
        "remaining_budget": str(usage.remaining_budget),
        "reserved_budget": str(usage.reserved_today),
    }


def _count_check(usage: UsageSummary) -> None:
    if usage.generations_today >= usage.daily_generations:
        raise QuotaExceeded(
            f"You have made {usage.generations_today} generations today, the daily limit; it resets at midnight UTC.",
            details=_details(usage),
        )


def _money_check(usage: UsageSummary, estimate: Decimal) -> None:
    budget = usage.daily_budget
    if budget <= 0 or (estimate > 0 and usage.cost_today + usage.reserved_today + estimate > budget):
        held = f", ${usage.reserved_today:.2f} held for work under way" if usage.reserved_today else ""
        raise QuotaExceeded(
            f"Today's AI budget of ${budget:.2f} is used up (${usage.cost_today:.2f} spent{held}); "
            "it resets at midnight UTC.",
            details=_details(usage),
        )


def job_budget_problem(job: GenerationJob) -> str | None:
    """Before a job calls the AI: why it may not (its owner's spending and holdings
    today, its own reservation among them once, are past their budget), else None.
    A job that holds nothing (free when asked for) always goes ahead."""
    if job.reserved <= 0:
        return None
    usage = owner_usage(job.owner_id)
    if usage.cost_today + usage.reserved_today <= usage.daily_budget:
        return None
    return (
        f"Today's AI budget of ${usage.daily_budget:.2f} ran out before this could start "
        f"(${usage.cost_today:.2f} spent); what was made so far is kept. It resets at midnight UTC."
    )
