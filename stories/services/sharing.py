"""Sharing a finished book through a read-only link that anyone holding it can open."""

from __future__ import annotations

import secrets

from django.db import transaction

from stories.models import Story
from storyforge.core.errors import Conflict, NotFound
from storyforge.core.pagecache import pagecache_invalidate


def _own_story_locked(user, story_id: int) -> Story:
    story = Story.objects.select_for_update().filter(owner=user, pk=story_id).first()
    if story is None:
        raise NotFound("That story does not exist, or it is not yours.")
    return story


@transaction.atomic
def story_share(*, user, story_id: int) -> str:
    """The story's share token, created on first use; sharing again keeps the same
    link. Only a finished book can be shared: the public page shows nothing else."""
    story = _own_story_locked(user, story_id)
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
    story = _own_story_locked(user, story_id)
    if story.share_token is not None:
        story.share_token = None
        story.save(update_fields=["share_token"])
        pagecache_invalidate(user.pk)
