from django.apps import AppConfig


class CharactersConfig(AppConfig):
    name = "characters"
    verbose_name = "Characters"

    def ready(self):
        from characters.jobs import character_job_kinds_register

        character_job_kinds_register()
