"""Reads of generation jobs and usage, always of one user."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from storyforge.core.ownership import owned_get
from storyforge.generation.models import GenerationJob


@dataclass(frozen=True)
class UsageSummary:
    tokens_today: int
    cost_today: Decimal
    generations_today: int
    tokens_month: int
    cost_month: Decimal
    generations_month: int
    daily_budget: Decimal
    remaining_budget: Decimal
    generations_remaining: int
    day_ends_at: datetime


def usage_summary(*, user, now: datetime | None = None) -> UsageSummary:
    """Tokens, cost and generation requests of today and this month (UTC), in one query."""
    now = now or timezone.now()
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    month = day.replace(day=1)
    today = Q(created_at__gte=day)
    tokens = F("prompt_tokens") + F("completion_tokens")
    totals = GenerationJob.objects.filter(owner=user, created_at__gte=month).aggregate(
        tokens_today=Coalesce(Sum(tokens, filter=today), 0),
        cost_today=Coalesce(Sum("cost", filter=today), Decimal("0"), output_field=DecimalField()),
        generations_today=Count("id", filter=today & Q(requested=True)),
        tokens_month=Coalesce(Sum(tokens), 0),
        cost_month=Coalesce(Sum("cost"), Decimal("0"), output_field=DecimalField()),
        generations_month=Count("id", filter=Q(requested=True)),
    )
    budget = settings.STORYFORGE_DAILY_BUDGET
    return UsageSummary(
        **totals,
        daily_budget=budget,
        remaining_budget=max(Decimal("0"), budget - totals["cost_today"]),
        generations_remaining=max(0, settings.STORYFORGE_DAILY_GENERATIONS - totals["generations_today"]),
        day_ends_at=day + timedelta(days=1),
    )


def job_list(*, user) -> QuerySet[GenerationJob]:
    return GenerationJob.objects.filter(owner=user).select_related("page")


def job_get(*, user, job_id) -> GenerationJob:
    return owned_get(job_list(user=user), job_id, what="job")
