from django.core.management.base import BaseCommand

from storyforge.generation.jobs import jobs_reap


class Command(BaseCommand):
    help = "Sweep stuck generation jobs now (beat does it every minute): send them again once, then fail them."

    def handle(self, *args, **options):
        counts = jobs_reap()
        self.stdout.write(
            f"reap_jobs: {counts['requeued']} stuck job(s) sent to a worker again, {counts['failed']} failed."
        )
