from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self):
        from stories.jobs import story_job_kinds_register

        story_job_kinds_register()
