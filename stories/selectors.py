from django.db.models import Count, Prefetch, QuerySet

from characters.selectors import character_list
from stories.models import Series, Story, StoryCharacter
from storyforge.core.converters import object_id
from storyforge.core.errors import NotFound
from storyforge.core.pagecache import pagecache_read
from storyforge.generation.selectors import usage_summary


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
        .filter(pk=object_id(story_id))
        .first()
    )
    if story is None:
        raise NotFound("That story does not exist, or it is not yours.")
    return story


def series_list(*, user) -> QuerySet[Series]:
    # An annotation drops Meta.ordering, so the order is spelled out.
    return Series.objects.filter(owner=user).annotate(story_count=Count("stories")).order_by("-updated_at", "-id")


def series_get(*, user, series_id) -> Series:
    series = series_list(user=user).filter(pk=object_id(series_id)).first()
    if series is None:
        raise NotFound("That series does not exist, or it is not yours.")
    return series


def series_stories(*, series) -> QuerySet[Story]:
    return (
        Story.objects.filter(series=series)
        .order_by("series_position")
        .prefetch_related(Prefetch("cast", queryset=StoryCharacter.objects.select_related("character")))
    )


def page_get(*, user, story_id, number):
    """One page of one of the user's stories, with its story, its chosen picture and
    every picture candidate. Another user's page is NotFound."""
    from stories.models import Illustration, Page

    page = (
        Page.objects.select_related("story", "selected_illustration")
        .prefetch_related(Prefetch("illustrations", queryset=Illustration.objects.order_by("created_at", "id")))
        .filter(story__owner=user, story_id=object_id(story_id), number=object_id(number))
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


def dashboard_data(*, user) -> dict:
    """What the dashboard shows of `user`: ready characters, drafts, recent stories,
    usage; through the page cache (storyforge/core/pagecache.py)."""

    def compute() -> dict:
        return {
            "characters": list(character_list(user=user, status="ready")[:8]),
            "drafts": list(character_list(user=user, status="draft")[:6]),
            "stories": list(story_list(user=user)[:8]),
            "usage": usage_summary(user=user),
        }

    # The usage figures count "today" in UTC, so the day is part of the key.
    return pagecache_read("dashboard", "dashboard", compute, user_id=user.pk, daily=True)


def story_get_cached(*, user, story_id) -> Story:
    """`story_get` through the page cache, for the reader. Another user's story is
    NotFound, and that is not cached."""
    story_id = object_id(story_id)
    return pagecache_read(
        "reader", f"story:{story_id}", lambda: story_get(user=user, story_id=story_id), user_id=user.pk
    )
