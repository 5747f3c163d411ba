from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stories.export import BOOK_FORMATS, PDF_LAYOUTS, TRIM_SIZES, book_export
from stories.models import Story
from storyforge.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Export any ready story as a print-ready PDF, an EPUB ebook (--narrated: read-along) or, once narrated, "
        "an MP3 audiobook (for operators: no owner check)."
    )

    def add_arguments(self, parser):
        parser.add_argument("story_id", type=int, help="The story's id.")
        parser.add_argument("--format", choices=tuple(BOOK_FORMATS), required=True, dest="export_format")
        parser.add_argument("--out", required=True, type=Path, help="The file to write (replaced if it exists).")
        parser.add_argument("--size", choices=tuple(TRIM_SIZES), default="square", help="PDF trim size.")
        parser.add_argument("--bleed", action="store_true", help="PDF: add a 0.125 in bleed with crop marks.")
        parser.add_argument(
            "--layout", choices=tuple(PDF_LAYOUTS), default="book", help="PDF: booklet imposes two pages a sheet."
        )
        parser.add_argument("--narrated", action="store_true", help="EPUB: a read-along EPUB with the narration.")

    def handle(self, *args, story_id, export_format, out, size, bleed, narrated, layout, **options):
        if export_format != "pdf" and (bleed or size != "square" or layout != "book"):
            raise CommandError("--size, --bleed and --layout are for PDF exports only.")
        if narrated and export_format != "epub":
            raise CommandError("--narrated is for EPUB exports only.")
        if out.is_dir():
            raise CommandError(f"{out} is a folder; give the file to write.")
        if not out.parent.is_dir():
            raise CommandError(f"The folder {out.parent} does not exist.")
        story = Story.objects.select_related("owner").filter(pk=story_id).first()
        if story is None:
            raise CommandError(f"There is no story with id {story_id}.")
        try:
            data = book_export(
                user=story.owner,
                story_id=story.pk,
                format=export_format,
                size=size,
                bleed=bleed,
                narrated=narrated,
                layout=layout,
            ).data
        except DomainError as error:
            raise CommandError(f"Story {story_id}: {error.message}") from None
        out.write_bytes(data)
        pages = story.pages.count()
        shape = ", booklet" if layout == "booklet" else (", with bleed" if bleed else "")
        detail = f"{TRIM_SIZES[size].label}{shape}, " if export_format == "pdf" else ""
        self.stdout.write(
            f"export_story: story {story.pk} ({pages} pages, {detail}{export_format.upper()}) "
            f"{len(data):,} bytes to {out}"
        )
