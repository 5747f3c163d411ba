"""The story gallery: every book as its cover, newest first, a page at a time."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from stories.models import Story
from stories.selectors import covers_attach, story_gallery

GALLERY_PAGE = 24  # covers per page


@login_required
@require_GET
def story_gallery_view(request):
    """The covers with a title search and a status filter; the pages' links keep both."""
    status = request.GET.get("status", "")
    text = request.GET.get("q", "").strip()
    found = story_gallery(user=request.user, status=status or None, text=text)
    page = Paginator(found, GALLERY_PAGE).get_page(request.GET.get("page"))
    page.object_list = covers_attach(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stories/gallery.html",
        {
            "stories": page,
            "query": text,
            "status": status,
            "statuses": Story.Status.choices,
            "filters": query.urlencode(),
            "breadcrumbs": [("Stories", None)],
        },
    )
