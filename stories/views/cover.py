"""A book's cover and front matter in the reader: its title, subtitle, author name and
dedication (one form), drawing its cover again and choosing among its cover pictures.
Plain forms that redirect back to the reader's cover; no JavaScript needed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from stories import services
from stories.export import BOOKLET_INSTRUCTION, TRIM_SIZES
from stories.models import Story, StoryJobKind
from stories.selectors import cover_picture_of, story_book_get
from stories.views.refusals import refusal_tell
from storyforge.core.errors import DomainError
from storyforge.core.pagecache import pagecache_read
from storyforge.core.ratelimit import rate_limit
from storyforge.generation.models import GenerationJob

FRONT_MATTER_FIELDS = ("title", "subtitle", "author_name", "dedication")
UNFINISHED = (GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING)


def _cover_url(story_id, anchor: str = "cover") -> str:
    return f"{reverse('stories:detail', args=[story_id])}#{anchor}"


def cover_shown(story: Story, pages: list):
    """The picture on the book's cover in the reader, the print view and the shared page:
    its own, else page 1's (`pages` in order, as the reader has them)."""
    return cover_picture_of(story, pages[0] if pages else None)


def cover_tools(story: Story) -> dict:
    """What the reader's cover tools and print dialog show: the cover candidates
    (prefetched by story_book_get), whether a new one is being drawn (through the page
    cache like the book: every change of a job's state invalidates it), the PDF's page
    sizes and the booklet's instruction."""
    drawing = GenerationJob.objects.filter(story=story, kind=StoryJobKind.COVER_ILLUSTRATION, status__in=UNFINISHED)
    return {
        "print_sizes": list(TRIM_SIZES.values()),
        "booklet_instruction": BOOKLET_INSTRUCTION,
        "cover_candidates": list(story.cover_pictures.all()),
        "cover_drawing": pagecache_read(
            "reader_cover", f"cover-drawing:{story.pk}", drawing.exists, user_id=story.owner_id
        ),
    }


@login_required
@require_POST
def story_front_matter(request, story_id: int):
    """Save the title, subtitle, author name and dedication; the form comes back with
    the words as typed and the reason beside the field at fault when they are refused."""
    from stories.views.reader import _reader

    given = {field: request.POST[field] for field in FRONT_MATTER_FIELDS if field in request.POST}
    try:
        services.story_update(user=request.user, story_id=story_id, **given)
    except DomainError as problem:
        if problem.http_status == 404:
            raise
        fields = problem.details.get("fields", {}) if isinstance(problem.details, dict) else {}
        story = story_book_get(user=request.user, story_id=story_id)
        form = {field: given.get(field, getattr(story, field)) for field in FRONT_MATTER_FIELDS}
        form.update(error=problem, field=next(iter(fields), ""))
        return _reader(request, story, status=problem.http_status, front_form=form)
    messages.success(request, "The cover and front pages are saved.")
    return redirect(_cover_url(story_id))


@login_required
@require_POST
@rate_limit("generation_user", key="user")
def cover_regenerate(request, story_id: int):
    try:
        services.cover_regenerate(user=request.user, story_id=story_id)
    except DomainError as problem:
        refusal_tell(request, problem)
    else:
        messages.success(request, "A new cover is being drawn; it appears here in a moment (reload the page).")
    return redirect(_cover_url(story_id, "cover-tools"))


@login_required
@require_POST
def cover_select(request, story_id: int, cover_id: int):
    services.cover_select(user=request.user, story_id=story_id, cover_id=cover_id)
    messages.success(request, "The book has the cover you chose.")
    return redirect(_cover_url(story_id))
