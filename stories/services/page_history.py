"""A page's earlier texts: every change to a page's words keeps the words it replaced
(a PageRevision at the version they had), so a wrong edit or an unwanted new text
from the AI can be undone."""

from __future__ import annotations

from django.db import transaction

from stories.models import Page, PageRevision
from stories.selectors import page_get
from storyforge.core.converters import object_id
from storyforge.core.errors import NotFound
from storyforge.core.pagecache import pagecache_invalidate

# Earlier texts kept per page; older ones are dropped as new ones come.
PAGE_HISTORY_KEPT = 20


def page_revision_keep(page: Page) -> None:
    """Inside the transaction that is about to change the locked `page`'s text: keep
    the text it has now. A page that has no words yet (a blank new page) has nothing
    worth going back to."""
    if not page.text.strip():
        return
    PageRevision.objects.create(
        page=page, version=page.version, text=page.text, visual_description=page.visual_description
    )
    dropped = PageRevision.objects.filter(page=page).order_by("-version").values_list("pk", flat=True)
    PageRevision.objects.filter(pk__in=list(dropped[PAGE_HISTORY_KEPT:])).delete()


def page_history(*, user, story_id: int, number: int) -> tuple[Page, list[PageRevision]]:
    """One of the user's pages and its earlier texts, newest first."""
    page = page_get(user=user, story_id=story_id, number=number)
    return page, list(PageRevision.objects.filter(page=page).order_by("-version"))


@transaction.atomic
def page_restore(*, user, story_id: int, number: int, version: int) -> Page:
    """Put an earlier text back on a page, as a new version: the text it replaces is
    kept in turn, so a restore can be undone too. Its narration is made again."""
    page = page_get(user=user, story_id=story_id, number=number, for_update=True)
    revision = PageRevision.objects.filter(page=page, version=object_id(version)).first()
    if revision is None:
        raise NotFound(f"Page {page.number} has no earlier version {version}.")
    page_revision_keep(page)
    page.text, page.visual_description = revision.text, revision.visual_description
    page.version += 1
    page.save(update_fields=["text", "visual_description", "version", "updated_at"])
    pagecache_invalidate(user.pk)
    return page
