from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and that knows no app: errors, API glue, rate limits,
    logging and request ids, caches, middleware, shared choices."""

    name = "storyforge.core"
    label = "core"
    verbose_name = "StoryForge core"
