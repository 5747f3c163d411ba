from django.core.management.base import BaseCommand, CommandError

from storyforge.operations.integrity import findings_collect, findings_repair


class Command(BaseCommand):
    help = (
        "Check that picture selections, page numbers, image files, relationships and jobs are consistent; "
        "--fix repairs what is safe. Exits 1 while a problem remains."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair what can be derived from the data itself.")

    def handle(self, *args, fix=False, **options):
        findings = findings_collect()
        for finding in findings:
            hint = "" if fix or finding.repair is None else "  (--fix repairs this)"
            self.stdout.write(f"[{finding.check}] {finding.message}{hint}")
        repaired = findings_repair(findings) if fix else []
        for finding in repaired:
            self.stdout.write(f"fixed: {finding.repaired}")
        repaired_subjects = {finding.subject for finding in repaired}
        remaining = [f for f in findings if not (f.repair and f.subject in repaired_subjects)]
        summary = f"check_integrity: {len(findings)} problem(s) found"
        if fix and findings:
            summary += f", {len(findings) - len(remaining)} fixed, {len(remaining)} need a person"
        if remaining:
            raise CommandError(summary + ".", returncode=1)
        self.stdout.write(summary + ("." if findings else "; all consistent."))
