"""Shaping a finished book: adding a page anywhere (written by the AI to fit between
its neighbours, or blank), removing one, and putting the pages in another order.

Page numbers stay 1..n without gaps through every change, whoever else is changing
the book. Each change locks the story's row, so changes to one book's pages happen
one after the other. The pages that move are first parked at PAGE_PARKED + their
number, in one statement, then given their new numbers in another: the unique
(story, number) constraint holds after every row written, on SQLite and PostgreSQL.
A page keeps its pictures, narration and history wherever it goes (they point at
the page, not at its number).

Locks are taken in the order a worker saving its work takes them: a page's jobs,
then the story, then its pages.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When

from stories.models import MAX_PAGES, PAGE_PARKED, Illustration, Page, SentenceClip, Story, StoryJobKind
from stories.selectors import page_get, story_get
from stories.services.generation import story_brief
from storyforge.core.errors import Conflict, InvalidInput
from storyforge.core.images import files_delete_on_commit
from storyforge.core.pagecache import pagecache_invalidate
from storyforge.generation import breaker
from storyforge.generation.budget import generation_reserved
from storyforge.generation.jobs import job_request, jobs_cancel
from storyforge.generation.models import GenerationJob
from storyforge.generation.moderation import brief_texts, text_moderate
from storyforge.generation.providers import cost_estimate

PAGE_ADD_MODES = ("write", "blank")


def _story_to_shape(user, story_id) -> Story:
    """The user's story, locked, if its pages may change now."""
    story = story_get(user=user, story_id=story_id, for_update=True)
    if story.status != Story.Status.READY:
        raise Conflict("Wait until the book is finished before adding, removing or moving pages.")
    return story


def _page_ids(story: Story) -> list[int]:
    return list(Page.objects.filter(story=story).order_by("number").values_list("pk", flat=True))


def _renumber(story: Story, ids: list[int | None]) -> None:
    """Give the page with id `ids[i]` the number i + 1 (None: a slot left free for a
    page about to be created there), in two statements whatever the count."""
    current = dict(Page.objects.filter(story=story).values_list("pk", "number"))
    moving = {pk: number for number, pk in enumerate(ids, start=1) if pk is not None and current[pk] != number}
    if not moving:
        return
    pages = Page.objects.filter(story=story, pk__in=list(moving))
    pages.update(number=F("number") + PAGE_PARKED)
    pages.update(
        number=Case(*(When(pk=pk, then=Value(number)) for pk, number in moving.items()), output_field=IntegerField())
    )


def _book_changed(story: Story) -> None:
    story.page_count = Page.objects.filter(story=story).count()
    story.save(update_fields=["page_count", "updated_at"])
    pagecache_invalidate(story.owner_id)


def _position_check(position, count: int) -> int:
    try:
        position = int(position)
    except (TypeError, ValueError):
        raise InvalidInput.for_field("position", "The position is a page number.") from None
    if position < 1:
        raise InvalidInput.for_field("position", "The position is a page number, from 1.")
    if count >= MAX_PAGES:
        raise Conflict(f"A book has at most {MAX_PAGES} pages; remove one first.")
    if position > count + 1:
        raise Conflict(
            f"The book has {count} pages: add a page at a position from 1 to {count + 1}.",
            details={"page_count": count},
        )
    return position


def _page_insert(user, story_id, position) -> Page:
    story = _story_to_shape(user, story_id)
    ids = _page_ids(story)
    position = _position_check(position, len(ids))
    _renumber(story, [*ids[: position - 1], None, *ids[position - 1 :]])
    page = Page.objects.create(story=story, number=position)
    _book_changed(story)
    return page


def page_add(*, user, story_id: int, position, mode: str) -> tuple[Page, GenerationJob | None]:
    """A new page at `position` (1 to the page count + 1; the pages from there move
    one on). `mode` "blank": an empty page for the grown-up to write. "write": the AI
    writes it to fit between its neighbours, then draws its picture, as a job that
    counts against the daily limits like any regeneration."""
    if mode not in PAGE_ADD_MODES:
        raise InvalidInput.for_field("mode", "Add a page to 'write' (by the AI) or a 'blank' one.")
    if mode == "blank":
        with transaction.atomic():
            return _page_insert(user, story_id, position), None
    breaker.breaker_check()
    text_moderate(brief_texts(story_brief(story_get(user=user, story_id=story_id))))  # the cast may have changed
    with generation_reserved(user=user, estimate=cost_estimate(text_pages=1, images=1)):
        page = _page_insert(user, story_id, position)
        job = job_request(
            owner_id=user.pk,
            kind=StoryJobKind.PAGE_WRITE,
            story=page.story,
            page=page,
            idempotency_key=f"write:page:{page.pk}",
        )
    return page, job


def page_remove(*, user, story_id: int, number: int, version: int | None = None) -> None:
    """Remove a page with its pictures and narration; the pages after it move one back.
    Its unfinished jobs are cancelled. `version`: the page version the grown-up saw;
    a page changed since (or moved: another page has its number now) is a CONFLICT."""
    seen = page_get(user=user, story_id=story_id, number=number)
    with transaction.atomic():
        jobs_cancel(GenerationJob.objects.filter(page_id=seen.pk))
        story = _story_to_shape(user, story_id)
        page = Page.objects.select_for_update().filter(story=story, number=seen.number).first()
        if page is None or page.pk != seen.pk or (version is not None and int(version) != page.version):
            raise Conflict(
                f"Page {number} was changed or moved by someone else meanwhile; reload to see the book as it is.",
                details={"current_version": page.version} if page else {},
            )
        ids = _page_ids(story)
        if len(ids) <= 1:
            raise Conflict("A book needs at least one page.")
        names = list(Illustration.objects.filter(page=page).values_list("image", flat=True))
        names += list(SentenceClip.objects.filter(page=page).values_list("audio", flat=True))
        page.delete()
        ids.remove(seen.pk)
        _renumber(story, ids)
        _book_changed(story)
        files_delete_on_commit(names)


@transaction.atomic
def pages_reorder(*, user, story_id: int, order: list[int]) -> Story:
    """Put the pages in a new order: `order` lists the current page numbers in their
    new order, each once (page `order[0]` becomes page 1, and so on)."""
    story = _story_to_shape(user, story_id)
    ids = _page_ids(story)
    try:
        order = [int(number) for number in order]
    except (TypeError, ValueError):
        order = []
    if sorted(order) != list(range(1, len(ids) + 1)):
        raise InvalidInput.for_field(
            "order", f"List each of the book's {len(ids)} page numbers (1 to {len(ids)}) once, in their new order."
        )
    _renumber(story, [ids[number - 1] for number in order])
    _book_changed(story)
    return story


def page_move(*, user, story_id: int, number: int, to: int) -> int:
    """Move one page to position `to` (the others close up around it): the reader's
    Move earlier / Move later buttons. Returns the page's new number."""
    with transaction.atomic():
        count = Page.objects.filter(story=_story_to_shape(user, story_id)).count()
        if not (1 <= number <= count and 1 <= to <= count):
            raise InvalidInput.for_field("to", f"The book's pages are numbered 1 to {count}.")
        order = [n for n in range(1, count + 1) if n != number]
        order.insert(to - 1, number)
        pages_reorder(user=user, story_id=story_id, order=order)
    return to
