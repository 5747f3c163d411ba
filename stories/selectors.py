from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from stories.models import GenerationJob, Series, Story, StoryCharacter
from storyforge.errors import NotFound


def story_list(*, user, status: str | None = None) -> QuerySet[Story]:
    """The user's stories, newest first, with their cast in order."""
    stories = (
        Story.objects.filter(owner=user)
        .select_related("series")
        .prefetch_related(Prefetch("cast", queryset=StoryCharacter.objects.select_related("character")))
    )
    if status:
        stories = stories.filter(status=status)
    return stories


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


def story_get(*, user, story_id) -> Story:
    """One of the user's stories with its cast, pages and every picture candidate,
    in a fixed number of queries. Another user's story is NotFound."""
    from stories.models import Illustration, Page

    story = (
        story_list(user=user)
        .prefetch_related(
            Prefetch(
                "pages",
                queryset=Page.objects.order_by("number")
                .select_related("selected_illustration")
                .prefetch_related(
                    Prefetch("illustrations", queryset=Illustration.objects.order_by("created_at", "id"))
                ),
            )
        )
        .filter(pk=_id(story_id))
        .first()
    )
    if story is None:
        raise NotFound("That story does not exist, or it is not yours.")
    return story


def series_list(*, user) -> QuerySet[Series]:
    # An annotation drops Meta.ordering, so the order is spelled out.
    return Series.objects.filter(owner=user).annotate(story_count=Count("stories")).order_by("-updated_at", "-id")


def series_get(*, user, series_id) -> Series:
    series = series_list(user=user).filter(pk=_id(series_id)).first()
    if series is None:
        raise NotFound("That series does not exist, or it is not yours.")
    return series


def series_stories(*, series) -> QuerySet[Story]:
    return (
        Story.objects.filter(series=series)
        .order_by("series_position")
        .prefetch_related(Prefetch("cast", queryset=StoryCharacter.objects.select_related("character")))
    )


def job_list(*, user) -> QuerySet[GenerationJob]:
    return GenerationJob.objects.filter(owner=user).select_related("page")


def job_get(*, user, job_id) -> GenerationJob:
    job = job_list(user=user).filter(pk=_id(job_id)).first()
    if job is None:
        raise NotFound("That job does not exist, or it is not yours.")
    return job


def _id(value) -> int:
    """An object id from a URL or form; anything else is simply not found."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("That does not exist, or it is not yours.") from None


def page_get(*, user, story_id, number):
    """One page of one of the user's stories, with its story, its chosen picture and
    every picture candidate. Another user's page is NotFound."""
    from stories.models import Illustration, Page

    page = (
        Page.objects.select_related("story", "selected_illustration")
        .prefetch_related(Prefetch("illustrations", queryset=Illustration.objects.order_by("created_at", "id")))
        .filter(story__owner=user, story_id=_id(story_id), number=_id(number))
        .first()
    )
    if page is None:
        raise NotFound("That page does not exist, or it is not yours.")
    return page


def story_get_shared(*, token) -> Story:
    """The finished story a share link points to, with its author, cast and pages with
    their chosen picture, in a fixed number of queries. An unknown or revoked token,
    or a story that is not ready, is NotFound."""
    from stories.models import Page

    if not isinstance(token, str) or not token:
        raise NotFound("This link does not work any more.")
    story = (
        Story.objects.filter(share_token=token, status=Story.Status.READY)
        .select_related("owner", "series")
        .prefetch_related(
            Prefetch("cast", queryset=StoryCharacter.objects.select_related("character")),
            Prefetch("pages", queryset=Page.objects.order_by("number").select_related("selected_illustration")),
        )
        .first()
    )
    if story is None:
        raise NotFound("This link does not work any more.")
    return story


def series_books(*, series) -> QuerySet[Story]:
    """The series' stories in order (as `series_stories`), each with its first page
    and that page's chosen picture in `cover_pages` (empty before it is written)."""
    from stories.models import Page

    return series_stories(series=series).prefetch_related(
        Prefetch(
            "pages",
            queryset=Page.objects.filter(number=1).select_related("selected_illustration"),
            to_attr="cover_pages",
        )
    )
