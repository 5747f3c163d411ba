from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from storyforge.operations.media import DEFAULT_MIN_AGE, media_prune


def _minutes(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise CommandError(f"--min-age is a number of minutes; got '{raw}'.") from None
    if value < 0:
        raise CommandError("--min-age cannot be negative.")
    return value


class Command(BaseCommand):
    help = "Delete portrait and illustration files that no database row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would go; delete nothing.")
        parser.add_argument(
            "--min-age",
            default=str(int(DEFAULT_MIN_AGE.total_seconds() // 60)),
            help="Keep orphans younger than this many minutes: a worker may be saving them (default 60).",
        )

    def handle(self, *args, dry_run=False, min_age="60", **options):
        result = media_prune(dry_run=dry_run, min_age=timedelta(minutes=_minutes(min_age)))
        verb = "would delete" if dry_run else "deleted"
        for name in result.files:
            self.stdout.write(f"{verb} {name}")
        kept = f"; {result.kept_recent} recent orphan(s) kept for now" if result.kept_recent else ""
        self.stdout.write(
            f"prune_media: {verb} {len(result.files)} orphaned file(s), "
            f"{_size(result.bytes)} {'to free' if dry_run else 'freed'}{kept}."
        )


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / 1024 / 1024:.1f} MiB"
