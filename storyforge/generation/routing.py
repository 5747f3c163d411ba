"""Which queue each task goes to (storyforge/core/queues.py): the `ai` queue, whose
thread-pool worker keeps many calls waiting at once, unless the task computes.

Apps say, when Django starts, which of their tasks may compute: a drawing task is
CPU work when its capability's provider is the offline one (it draws on this
machine) and waiting otherwise; a rendering task (a PDF) is CPU work always. The
choice is made when the task is sent, from the same settings every process reads.
"""

from __future__ import annotations

from storyforge.core.queues import AI_QUEUE, CPU_QUEUE

# Task name -> the capability whose offline provider makes it CPU work, or None
# when the task is CPU work whatever the providers.
_COMPUTING: dict[str, str | None] = {}


def task_computes_register(task: str, *, capability: str | None = None) -> None:
    _COMPUTING[task] = capability


def task_queue(name: str) -> str:
    if name not in _COMPUTING:
        return AI_QUEUE
    capability = _COMPUTING[name]
    if capability is None:
        return CPU_QUEUE
    from storyforge.generation.providers import provider_name

    return CPU_QUEUE if provider_name(capability)[0] == "offline" else AI_QUEUE


def task_route(name, args, kwargs, options, task=None, **extra) -> dict:
    """Celery's router (CELERY_TASK_ROUTES)."""
    return {"queue": task_queue(name)}
