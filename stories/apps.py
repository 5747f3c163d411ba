from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self):
        from stories.jobs import story_job_kinds_register

        story_job_kinds_register()

        from stories.models import CoverPicture, Illustration, SentenceClip
        from storyforge.core.private_media import media_source_register

        # A book's pictures and narration are its owner's, and its share link's while it is shared.
        for model, field in ((Illustration, "image"), (SentenceClip, "audio")):
            media_source_register(model, field, owner="page__story__owner_id", shared="page__story__share_token")
        media_source_register(CoverPicture, "image", owner="story__owner_id", shared="story__share_token")
