"""Tokens, cost and generations per user over a month (`manage.py usage_report`).

Counted from the generation jobs, which outlive what they made, so deleted stories
still count; "generations" are the requests a person made (the daily limit's
unit), "jobs" every piece of AI work including the pipeline's follow-ups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce

from storyforge.generation.models import GenerationJob


@dataclass(frozen=True)
class UserUsage:
    user_id: int
    username: str
    generations: int
    jobs: int
    tokens: int
    cost: Decimal


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of `month` and of the next one, in UTC."""
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    following = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=UTC)
    return start, following


def usage_by_user(*, month: date) -> list[UserUsage]:
    start, end = month_bounds(month)
    rows = (
        GenerationJob.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("owner_id", "owner__username")
        .annotate(
            generations=Count("id", filter=Q(requested=True)),
            jobs=Count("id"),
            tokens=Coalesce(Sum(F("prompt_tokens") + F("completion_tokens")), 0),
            cost=Coalesce(Sum("cost"), Decimal("0"), output_field=DecimalField()),
        )
        .order_by("-cost", "owner__username")
    )
    return [
        UserUsage(row["owner_id"], row["owner__username"], row["generations"], row["jobs"], row["tokens"], row["cost"])
        for row in rows
    ]
