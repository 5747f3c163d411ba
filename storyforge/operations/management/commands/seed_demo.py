from django.core.management.base import BaseCommand

from storyforge.operations.demo import DEMO_PASSWORD, DEMO_USERNAME, demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo user with characters, their portraits, relationships and a finished story (safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only seed when the database has no users at all (used by make run).",
        )

    def handle(self, *args, if_empty=False, **options):
        from django.contrib.auth import get_user_model

        if if_empty and get_user_model().objects.exists():
            self.stdout.write("seed_demo: the database already has users; nothing to do.")
            return
        summary = demo_seed()
        self.stdout.write(
            f"seed_demo: user '{DEMO_USERNAME}' {'created' if summary.user_created else 'already there'} "
            f"(password '{DEMO_PASSWORD}'), {summary.characters_created} characters and "
            f"{summary.relationships_created} relationships added"
            f"{f', {summary.portraits_drawn} portraits drawn' if summary.portraits_drawn else ''}"
            f"{', and a finished story' if summary.story_created else ''}."
        )
