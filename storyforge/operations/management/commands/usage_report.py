import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from storyforge.operations.usage import usage_by_user

MONTH = re.compile(r"(\d{4})-(\d{2})")


class Command(BaseCommand):
    help = "Tokens, cost and generations per user for one month (UTC)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: this month).")

    def handle(self, *args, month=None, **options):
        chosen = _month_parse(month) if month else timezone.now().date().replace(day=1)
        rows = usage_by_user(month=chosen)
        label = f"{chosen:%Y-%m}"
        header = ("USER", "GENERATIONS", "JOBS", "TOKENS", "COST (USD)")
        table = [header] + [
            (row.username, str(row.generations), str(row.jobs), f"{row.tokens:,}", f"{row.cost:.4f}") for row in rows
        ]
        if rows:
            widths = [max(len(line[i]) for line in table) for i in range(len(header))]
            for line in table:
                cells = [line[0].ljust(widths[0])] + [
                    cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)
                ]
                self.stdout.write("  ".join(cells))
        total_cost = sum((row.cost for row in rows), start=0)
        self.stdout.write(
            f"usage_report {label}: {len(rows)} user(s), {sum(row.generations for row in rows)} generation(s), "
            f"{sum(row.jobs for row in rows)} job(s), {sum(row.tokens for row in rows):,} tokens, "
            f"${total_cost:.4f}."
        )


def _month_parse(raw: str) -> date:
    match = MONTH.fullmatch(raw.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise CommandError(f"--month must be a month written YYYY-MM, like 2026-01; got '{raw}'.")
    return date(int(match.group(1)), int(match.group(2)), 1)
