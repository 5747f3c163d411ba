"""Sharing a finished book through a read-only link that anyone holding it can open."""

from __future__ import annotations

import secrets

from django.db import transaction

from stories.models import Story
from stories.selectors import story_get
from storyforge.core.errors import Conflict
from storyforge.core.pagecache import pagecache_invalidate


@transaction.atomic
def story_share(*, user, story_id: int) -> str:
    """The story's share token, created on first use; sharing again keeps the same
    link. Only a finished book can be shared: the public page shows nothing else."""
    story = story_get(user=user, story_id=story_id, for_update=True)
    if story.status != Story.Status.READY:
        raise Conflict("Only a finished book can be shared.")
    if not story.share_token:
        story.share_token = secrets.token_urlsafe(32)
        story.save(update_fields=["share_token"])
        pagecache_invalidate(user.pk)
    return story.share_token


@transaction.atomic
def story_unshare(*, user, story_id: int) -> None:
    """Forget the share token: the old link stops working, and sharing again makes a new one."""
    story = story_get(user=user, story_id=story_id, for_update=True)
    if story.share_token is not None:
        story.share_token = None
        story.save(update_fields=["share_token"])
        pagecache_invalidate(user.pk)
