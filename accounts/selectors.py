from django.db.models import QuerySet

from accounts.models import ApiToken


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
