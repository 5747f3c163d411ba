from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, SystemCheckError

from storyforge import processes


class Command(BaseCommand):
    help = "Run StoryForge's processes (the Procfile's web and worker lines)."
    requires_system_checks = []  # checked explicitly below, so a failure stops with its exit code

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Run in the foreground; Ctrl-C stops everything.")
        run.add_argument("names", nargs="*", help="Process names from the Procfile (default: all).")

    def handle(self, *args, action, names=(), **options):
        specs = processes.procfile_read()
        known = {spec.name for spec in specs}
        unknown = sorted(set(names) - known)
        if unknown:
            raise CommandError(
                f"No process named {', '.join(unknown)} in the Procfile (it has {', '.join(sorted(known))}).",
                returncode=processes.EXIT_UNKNOWN_NAME,
            )
        if names:
            specs = [spec for spec in specs if spec.name in names]
        try:
            call_command("check", fail_level="ERROR", stdout=self.stdout, stderr=self.stderr)
        except SystemCheckError as exc:
            raise CommandError(
                f"Configuration checks failed; nothing was started.\n{exc}", returncode=processes.EXIT_CHECKS_FAILED
            ) from None
        code = processes.ForegroundRunner(specs, out=self.stdout._out).run()
        if code:
            raise SystemExit(code)
