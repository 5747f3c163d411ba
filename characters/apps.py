from django.apps import AppConfig


class CharactersConfig(AppConfig):
    name = "characters"
    verbose_name = "Characters"

    def ready(self):
        from characters.jobs import character_job_kinds_register

        character_job_kinds_register()

        from characters.models import Portrait
        from storyforge.core.private_media import media_source_register

        # A portrait is its owner's alone: a shared book shows its pages, not its cast's portraits.
        media_source_register(Portrait, "image", owner="character__owner_id")
