"""Downloading a finished book as a print-ready PDF or an EPUB."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.text import slugify

from stories.export import story_export_epub, story_export_pdf
from stories.selectors import story_get

CONTENT_TYPES = {"pdf": "application/pdf", "epub": "application/epub+zip"}


def book_download(data: bytes, *, title: str, story_id: int, format: str) -> HttpResponse:
    """The file as a download named after the book (shared by the web page and the API)."""
    name = f"{slugify(title) or f'story-{story_id}'}.{format}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def book_export(*, user, story_id: int, format: str, size: str = "square", bleed: bool = False) -> HttpResponse:
    """One call for every interface: the book in `format`, ready to download."""
    if format == "pdf":
        data = story_export_pdf(user=user, story_id=story_id, size=size, bleed=bleed)
    else:
        data = story_export_epub(user=user, story_id=story_id)
    title = story_get(user=user, story_id=story_id).title
    return book_download(data, title=title, story_id=story_id, format=format)


@login_required
def story_export(request, story_id: int, format: str):
    if format not in CONTENT_TYPES:
        raise Http404("Books are exported as pdf or epub.")
    return book_export(
        user=request.user,
        story_id=story_id,
        format=format,
        size=request.GET.get("size", "square"),
        bleed=request.GET.get("bleed") in ("1", "true", "on"),
    )
