from django.apps import AppConfig


class GenerationConfig(AppConfig):
    """Asking an AI for something, for any app: jobs and their life, budgets, the
    circuit breaker, the retry policy and the providers. The apps register their
    kinds of job (storyforge.generation.kinds) in their own ready()."""

    name = "storyforge.generation"
    label = "generation"
    verbose_name = "Generation"
