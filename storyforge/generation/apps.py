from django.apps import AppConfig


class GenerationConfig(AppConfig):
    """Asking an AI for something, for any app: jobs and their life, budgets, the
    circuit breaker, the retry policy and the providers. The apps register their
    kinds of job (storyforge.generation.kinds) in their own ready()."""

    name = "storyforge.generation"
    label = "generation"
    verbose_name = "Generation"

    def ready(self):
        from celery.signals import worker_ready

        worker_ready.connect(_worker_ready, dispatch_uid="storyforge.generation.worker_ready", weak=False)


def _worker_ready(**kwargs) -> None:
    """A worker starting says what it can do that the web processes cannot see."""
    from storyforge.generation.providers.offline.voice import espeak_here_noted

    espeak_here_noted()
