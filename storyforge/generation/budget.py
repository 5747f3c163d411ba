from decimal import Decimal

from django.conf import settings

from storyforge.core.errors import QuotaExceeded
from storyforge.generation.selectors import usage_summary


def generation_allowance_check(*, user, estimate: Decimal = Decimal("0")) -> None:
    """QuotaExceeded when the user has used up today's generations or budget, or
    when `estimate` (the expected cost of this request) would go past the budget."""
    usage = usage_summary(user=user)
    details = {"resets_at": usage.day_ends_at.isoformat(), "remaining_budget": str(usage.remaining_budget)}
    if usage.generations_today >= settings.STORYFORGE_DAILY_GENERATIONS:
        raise QuotaExceeded(
            f"You have made {usage.generations_today} generations today, the daily limit; it resets at midnight UTC.",
            details=details,
        )
    budget = settings.STORYFORGE_DAILY_BUDGET
    if budget <= 0 or usage.cost_today + estimate > budget:
        raise QuotaExceeded(
            f"Today's AI budget of ${budget:.2f} is used up (${usage.cost_today:.2f} spent); it resets at midnight UTC.",
            details=details,
        )
