import contextlib

from django.apps import AppConfig


class StoryforgeConfig(AppConfig):
    name = "storyforge"
    verbose_name = "StoryForge"

    def ready(self):
        from storyforge import access_checks, checks  # noqa: F401 - registers the configuration checks
        from storyforge.celery import broker_folders_create

        with contextlib.suppress(OSError):  # storyforge.E020 explains an unwritable var/ folder
            broker_folders_create()
