from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from accounts.services import invite_create
from storyforge.core.errors import InvalidInput


class Command(BaseCommand):
    help = "Make one-time sign-up links, for a server whose sign-up needs an invite (STORYFORGE_SIGNUP=invite)."

    def add_arguments(self, parser):
        parser.add_argument("--note", default="", help="Who it is for, shown in the admin's list of invites.")
        parser.add_argument("--count", type=int, default=1, help="How many links to make (default 1).")
        parser.add_argument(
            "--days", type=int, default=None, help="How long each link works (default STORYFORGE_INVITE_DAYS)."
        )
        parser.add_argument(
            "--site",
            default="",
            help="The address people open StoryForge at, e.g. https://books.example.org, to print whole links.",
        )

    def handle(self, *args, note="", count=1, days=None, site="", **options):
        if not 1 <= count <= 500:
            raise CommandError("--count is a number from 1 to 500.")
        if settings.STORYFORGE_SIGNUP != "invite":
            self.stderr.write(
                f"Note: STORYFORGE_SIGNUP is '{settings.STORYFORGE_SIGNUP}', so sign-up does not ask for these links."
            )
        for _ in range(count):
            try:
                invite, code = invite_create(note=note, days=days)
            except InvalidInput as error:
                raise CommandError(error.message) from None
            self.stdout.write(f"{site.rstrip('/')}{reverse('signup')}?invite={code}")
        self.stderr.write(
            self.style.SUCCESS(
                f"{count} invite(s), each for one account, until {invite.expires_at:%Y-%m-%d %H:%M} UTC."
            )
        )
