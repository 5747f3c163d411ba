"""Series: stories that continue each other, in order."""

from __future__ import annotations

from django.db import transaction

from stories.models import Series, Story
from stories.selectors import series_get
from storyforge.core.errors import InvalidInput
from storyforge.core.pagecache import pagecache_invalidate

# The caps on a series' words: the title's is its CharField's; the description is a
# TextField, and every story of the series carries it into its prompt.
SERIES_TITLE_MAX_LENGTH = Series._meta.get_field("title").max_length
SERIES_DESCRIPTION_MAX_LENGTH = 2000


def _clean(title: str, description: str) -> tuple[str, str]:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput.for_field("title", "Give the series a title.")
    if len(title) > SERIES_TITLE_MAX_LENGTH:
        raise InvalidInput.for_field("title", f"Keep the title under {SERIES_TITLE_MAX_LENGTH} characters.")
    description = description.strip()
    if len(description) > SERIES_DESCRIPTION_MAX_LENGTH:
        raise InvalidInput.for_field(
            "description",
            f"Keep the description to {SERIES_DESCRIPTION_MAX_LENGTH} characters or fewer (it has {len(description)}).",
        )
    return title, description


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
