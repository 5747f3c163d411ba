import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from storyforge.operations.media_copy import STORAGE_KINDS, media_copy, storage_of

BAR = 30


class Command(BaseCommand):
    help = (
        "Copy every stored picture and narration clip between the local folder (MEDIA_ROOT) and "
        "object storage. Resumable: files already copied are skipped. Nothing is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, choices=STORAGE_KINDS, help="Where the files go.")
        parser.add_argument(
            "--from",
            dest="source",
            choices=STORAGE_KINDS,
            help="Where they come from (default: the other one).",
        )

    def handle(self, *args, to, source=None, **options):
        source = source or next(kind for kind in STORAGE_KINDS if kind != to)
        if source == to:
            raise CommandError("--from and --to name the same storage.")
        try:
            source_storage, target_storage = storage_of(source), storage_of(to)
        except ValueError as error:
            raise CommandError(str(error)) from None
        interactive = sys.stderr.isatty()

        def progress(done, total, result):
            if interactive or done == total or done % max(1, total // 10) == 0:
                filled = BAR * done // max(1, total)
                line = (
                    f"[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} files, {result.bytes / 1e6:.1f} MB copied"
                )
                self.stderr.write(("\r" if interactive else "") + line, ending="" if interactive else "\n")

        result = media_copy(source_storage, target_storage, progress=progress)
        if interactive:
            self.stderr.write("")
        self.stdout.write(
            f"{result.copied} copied ({result.bytes / 1e6:.1f} MB), {result.skipped} already there, "
            f"{len(result.missing)} missing from {source}."
        )
        for name in result.missing:
            self.stdout.write(f"  missing: {name}")
        if to != settings.STORYFORGE_MEDIA_STORAGE:
            self.stdout.write(
                f"Next: set STORYFORGE_MEDIA_STORAGE={to} on every machine, restart, and run check_integrity."
            )
