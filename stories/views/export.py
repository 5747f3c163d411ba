"""Downloading a finished book as a print-ready PDF or an EPUB."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from stories.export import BOOK_FORMATS, book_export
from storyforge.core.downloads import download_response


@login_required
def story_export(request, story_id: int, format: str):
    if format not in BOOK_FORMATS:
        raise Http404("Books are exported as pdf or epub.")
    book = book_export(
        user=request.user,
        story_id=story_id,
        format=format,
        size=request.GET.get("size", "square"),
        bleed=request.GET.get("bleed") in ("1", "true", "on"),
    )
    return download_response(book)
