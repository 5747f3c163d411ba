"""Downloading a finished book as a print-ready PDF, an EPUB (read-along with
`?narrated=1`) or an MP3 audiobook."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from stories.export import BOOK_FORMATS, book_export
from stories.export.download import book_formats_listed
from storyforge.core.downloads import download_response

YES = ("1", "true", "on")


@login_required
def story_export(request, story_id: int, format: str):
    if format not in BOOK_FORMATS:
        raise Http404(f"Books are exported as {book_formats_listed()}.")
    book = book_export(
        user=request.user,
        story_id=story_id,
        format=format,
        size=request.GET.get("size", "square"),
        bleed=request.GET.get("bleed") in YES,
        narrated=request.GET.get("narrated") in YES,
    )
    return download_response(book)
