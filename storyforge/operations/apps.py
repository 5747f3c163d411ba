from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The top floor, for operators: the process manager, health and readiness,
    metrics, integrity repairs, media pruning, usage reports and the demo data."""

    name = "storyforge.operations"
    label = "operations"
    verbose_name = "Operations"
