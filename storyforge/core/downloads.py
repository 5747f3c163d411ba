"""A file for the grown-up to save: a book, a character card. Services return one;
the HTML view and the API view answer with `download_response`, the same way."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse


@dataclass(frozen=True)
class FileDownload:
    data: bytes
    content_type: str
    filename: str  # made of slugified words and a suffix: safe in a header as it is

    @property
    def disposition(self) -> str:
        """The Content-Disposition header that saves the file under its name."""
        return f'attachment; filename="{self.filename}"'


def download_response(download: FileDownload) -> HttpResponse:
    return HttpResponse(
        download.data, content_type=download.content_type, headers={"Content-Disposition": download.disposition}
    )
