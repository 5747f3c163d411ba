"""Series: stories that continue each other, in order."""

from __future__ import annotations

from django.db import transaction

from stories.models import Series, Story
from stories.selectors import series_get
from storyforge.core.errors import InvalidInput
from storyforge.core.pagecache import pagecache_invalidate


def _clean(title: str, description: str) -> tuple[str, str]:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput.for_field("title", "Give the series a title.")
    if len(title) > 200:
        raise InvalidInput.for_field("title", "Keep the title under 200 characters.")
    return title, description.strip()


def series_create(*, user, title: str, description: str = "") -> Series:
    title, description = _clean(title, description)
    return Series.objects.create(owner=user, title=title, description=description)


def series_update(*, user, series_id: int, title: str | None = None, description: str | None = None) -> Series:
    series = series_get(user=user, series_id=series_id)
    series.title, series.description = _clean(
        series.title if title is None else title, series.description if description is None else description
    )
    series.save()
    pagecache_invalidate(user.pk)
    return series


@transaction.atomic
def series_delete(*, user, series_id: int) -> None:
    """Delete the series; its stories stay, no longer numbered in it."""
    series = series_get(user=user, series_id=series_id, for_update=True)
    Story.objects.filter(series=series).update(series=None, series_position=None)
    series.delete()
    pagecache_invalidate(user.pk)
