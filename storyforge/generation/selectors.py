"""Reads of generation jobs and usage, always of one user."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from storyforge.core.ownership import owned_get
from storyforge.generation.models import Allowance, GenerationJob

UNFINISHED = (GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING)
MICRODOLLAR = Decimal("0.000001")  # what the money fields keep


@dataclass(frozen=True)
class Limits:
    """A user's daily limits: their Allowance where staff set one, else the settings."""

    daily_budget: Decimal
    daily_generations: int


@dataclass(frozen=True)
class UsageSummary:
    tokens_today: int
    cost_today: Decimal  # spent, failed jobs included
    reserved_today: Decimal  # held for today's queued and running jobs (their estimates)
    generations_today: int
    tokens_month: int
    cost_month: Decimal
    generations_month: int
    daily_budget: Decimal
    daily_generations: int
    remaining_budget: Decimal  # the budget less what is spent and what is held
    generations_remaining: int
    day_ends_at: datetime


def limits_of(allowance: Allowance | None) -> Limits:
    """The limits an Allowance row says, its empty fields filled in from the settings."""
    budget = allowance.daily_budget if allowance is not None else None
    generations = allowance.daily_generations if allowance is not None else None
    return Limits(
        daily_budget=settings.STORYFORGE_DAILY_BUDGET if budget is None else budget,
        daily_generations=settings.STORYFORGE_DAILY_GENERATIONS if generations is None else generations,
    )


def _dollars(total):
    return Coalesce(total, Decimal("0"), output_field=DecimalField())


def usage_summary(*, user, now: datetime | None = None) -> UsageSummary:
    """Tokens, cost, reservations and generation requests of today and this month
    (UTC), and the user's limits: two queries."""
    return owner_usage(user.pk, now=now)


def owner_usage(owner_id: int, *, now: datetime | None = None, limits: Limits | None = None) -> UsageSummary:
    """usage_summary by the owner's id; one query when their `limits` are known."""
    now = now or timezone.now()
    limits = limits or limits_of(Allowance.objects.filter(user_id=owner_id).first())
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    month = day.replace(day=1)
    today = Q(created_at__gte=day)
    tokens = F("prompt_tokens") + F("completion_tokens")
    totals = GenerationJob.objects.filter(owner_id=owner_id, created_at__gte=month).aggregate(
        tokens_today=Coalesce(Sum(tokens, filter=today), 0),
        cost_today=_dollars(Sum("cost", filter=today)),
        reserved_today=_dollars(Sum("reserved", filter=today & Q(status__in=UNFINISHED))),
        generations_today=Count("id", filter=today & Q(requested=True)),
        tokens_month=Coalesce(Sum(tokens), 0),
        cost_month=_dollars(Sum("cost")),
        generations_month=Count("id", filter=Q(requested=True)),
    )
    for name in ("cost_today", "reserved_today", "cost_month"):  # SQLite's sums carry float noise
        totals[name] = Decimal(totals[name]).quantize(MICRODOLLAR)
    budget = limits.daily_budget
    return UsageSummary(
        **totals,
        daily_budget=budget,
        daily_generations=limits.daily_generations,
        remaining_budget=max(Decimal("0"), budget - totals["cost_today"] - totals["reserved_today"]),
        generations_remaining=max(0, limits.daily_generations - totals["generations_today"]),
        day_ends_at=day + timedelta(days=1),
    )


def job_list(*, user) -> QuerySet[GenerationJob]:
    return GenerationJob.objects.filter(owner=user).select_related("page")


def job_get(*, user, job_id) -> GenerationJob:
    return owned_get(job_list(user=user), job_id, what="job")
