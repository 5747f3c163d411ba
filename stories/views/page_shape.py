"""Shaping a finished book in the reader: adding a page, removing one (after asking),
moving pages (Move earlier / Move later buttons, and drag and drop, which
static/js/reader.js turns into the same reorder form), and undoing a page's text
changes. Every action is a plain form that works without JavaScript; each one
answers with a redirect back to the place in the reader it concerns."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stories import services
from stories.selectors import page_get
from stories.views.reader import _reader_url, _version
from stories.views.refusals import refusal_tell
from storyforge.core.errors import DomainError
from storyforge.core.ratelimit import rate_limit

ORDER_TOOL = "page-order"  # the anchor of the reader's Pages tool (templates/stories/partials/page_order.html)


@login_required
@require_POST
@rate_limit("generation_user", key="user")
def page_add(request, story_id: int):
    """A new page at `position`: blank (the editor opens on it) or written by the AI."""
    mode = request.POST.get("mode", "")
    try:
        page, job = services.page_add(
            user=request.user, story_id=story_id, position=request.POST.get("position"), mode=mode
        )
    except DomainError as problem:
        refusal_tell(request, problem)
        return redirect(_reader_url(story_id, ORDER_TOOL))
    if job is None:
        messages.success(request, f"A blank page {page.number} is in the book: write its words.")
        return redirect(reverse("stories:page_edit", args=[story_id, page.number]) + f"#page-{page.number}")
    messages.success(request, f"Page {page.number} is being written and drawn; it appears in a minute.")
    return redirect(_reader_url(story_id, f"page-{page.number}", pending=job.pk))


@login_required
def page_remove(request, story_id: int, number: int):
    """A confirmation page; posting it removes the page and closes the gap."""
    page = page_get(user=request.user, story_id=story_id, number=number)
    if request.method == "POST":
        try:
            services.page_remove(
                user=request.user, story_id=story_id, number=number, version=_version(request.POST.get("version"))
            )
        except DomainError as problem:
            refusal_tell(request, problem)
        else:
            messages.success(request, f"Page {number} was removed; the pages after it moved up.")
        return redirect(_reader_url(story_id, ORDER_TOOL))
    back = _reader_url(story_id, f"page-{number}")
    return render(
        request,
        "stories/page_remove.html",
        {
            "story": page.story,
            "page": page,
            "back_url": back,
            "breadcrumbs": [
                ("Stories", reverse("stories:list")),
                (str(page.story), back),
                (f"Remove page {number}", None),
            ],
        },
    )


@login_required
@require_POST
def page_move(request, story_id: int, number: int):
    """Move one page to position `to`: the keyboard's way of reordering."""
    to = request.POST.get("to", "")
    try:
        services.page_move(user=request.user, story_id=story_id, number=number, to=int(to) if to.isdigit() else 0)
    except DomainError as problem:
        refusal_tell(request, problem)
    else:
        messages.success(request, f"Page {number} is now page {to}.")
    return redirect(_reader_url(story_id, ORDER_TOOL))


@login_required
@require_POST
def pages_reorder(request, story_id: int):
    """The whole new order at once (`order`: page numbers separated by commas), as
    dragging and dropping in the Pages tool sends it."""
    order = [part.strip() for part in request.POST.get("order", "").split(",") if part.strip()]
    try:
        services.pages_reorder(user=request.user, story_id=story_id, order=order)
    except DomainError as problem:
        refusal_tell(request, problem)
    else:
        messages.success(request, "The pages are in their new order.")
    return redirect(_reader_url(story_id, ORDER_TOOL))


@login_required
@require_POST
def page_restore(request, story_id: int, number: int, version: int):
    """Put an earlier text back on a page ("Undo" restores the one just replaced)."""
    try:
        services.page_restore(user=request.user, story_id=story_id, number=number, version=version)
    except DomainError as problem:
        refusal_tell(request, problem)
    else:
        messages.success(request, f"Page {number} has its earlier text back (from version {version}).")
    return redirect(_reader_url(story_id, f"page-{number}"))
