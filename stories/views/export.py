"""Downloading a finished book as a print-ready PDF (`?size=&bleed=1&layout=booklet`,
the reader's print dialog), an EPUB (read-along with `?narrated=1`) or an MP3 audiobook."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from stories.export import BOOK_FORMATS
from stories.export.background import book_export_offered
from stories.export.download import book_formats_listed
from storyforge.core.downloads import download_response

YES = ("1", "true", "on")


@login_required
def story_export(request, story_id: int, format: str):
    if format not in BOOK_FORMATS:
        raise Http404(f"Books are exported as {book_formats_listed()}.")
    # A long book's PDF or MP3 is made on the `cpu` worker (export/background.py): this
    # page says so and asks again each second (`made=1`), then offers the file.
    book = book_export_offered(
        user=request.user,
        story_id=story_id,
        format=format,
        size=request.GET.get("size", "square"),
        bleed=request.GET.get("bleed") in YES,
        narrated=request.GET.get("narrated") in YES,
        layout=request.GET.get("layout", "book"),
    )
    if book is not None and request.GET.get("made") not in YES:
        return download_response(book)
    options = request.GET.copy()
    options.pop("made", None)
    context = {"format": format, "story_id": story_id, "ready": book is not None, "download": options.urlencode()}
    options["made"] = "1"
    context["again"] = options.urlencode()
    return render(request, "stories/export_making.html", context, status=200 if book else 202)
