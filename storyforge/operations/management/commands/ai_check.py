"""`manage.py ai_check [--json]`: ask each capability's AI server what it can do.

One row per capability (text, image, moderation, speech): the provider, its
endpoint, the model, the status (`ok`, `fallback` when something stands in for
what the server lacks, `failing`) and why. Exits 1 when text, image or moderation
is failing: StoryForge needs those three; speech only narrates books. What it learns is remembered, so the app uses it at once.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from storyforge.generation.capabilities import capabilities_check
from storyforge.generation.providers.base import Status


class Command(BaseCommand):
    help = "Check what each AI capability (text, image, moderation) is served by, and whether it works."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the result as a JSON document.")

    def handle(self, *args, **options):
        reports = capabilities_check()
        # Speech only narrates books: without it everything else works, so it does not fail the check.
        failing = [r.capability for r in reports if r.status == Status.FAILING and r.capability != "speech"]
        if options["json"]:
            document = {"ok": not failing, "capabilities": [report.as_dict() for report in reports]}
            self.stdout.write(json.dumps(document, indent=2))
        else:
            headers = ("capability", "provider", "endpoint", "model", "status")
            rows = [(r.capability, r.provider, r.endpoint, r.model or "-", str(r.status)) for r in reports]
            widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
            for row in [headers, *rows]:
                self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
            self.stdout.write("")
            for report in reports:
                style = self.style.ERROR if report.status == Status.FAILING else self.style.SUCCESS
                self.stdout.write(style(f"{report.capability}: {report.status}") + f"  {report.why}")
        if failing:
            raise CommandError(f"Not working: {', '.join(failing)}. See docs/providers.md.", returncode=1)
