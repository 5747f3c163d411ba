"""The Celery settings every process shares, and the two queues (docs/operations.md).

AI calls wait far longer than they compute, so they run on the `ai` queue, served by
a worker with a thread pool that keeps dozens of them in flight in one process. Work
that computes (the offline artist's drawing, PDF rendering) runs on the `cpu` queue,
served by a prefork worker with one process per core.
storyforge.generation.routing decides which task goes where.
"""

from __future__ import annotations

AI_QUEUE = "ai"
CPU_QUEUE = "cpu"


def celery_options() -> dict:
    """The CELERY_* settings that are the same everywhere."""
    return {
        "CELERY_TASK_ACKS_LATE": True,
        "CELERY_TASK_REJECT_ON_WORKER_LOST": True,
        # With late acknowledgement each slot takes one task at a time, so a busy
        # worker does not sit on tasks another could run.
        "CELERY_WORKER_PREFETCH_MULTIPLIER": 1,
        "CELERY_TASK_SERIALIZER": "json",
        "CELERY_ACCEPT_CONTENT": ["json"],
        "CELERY_TASK_IGNORE_RESULT": True,
        "CELERY_TIMEZONE": "UTC",
        "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": True,
        "CELERY_TASK_DEFAULT_QUEUE": AI_QUEUE,
        "CELERY_TASK_ROUTES": ("storyforge.generation.routing.task_route",),
    }


def database_connections_release() -> None:
    """Hand back this thread's database connections (to the server, or to the psycopg
    pool): before waiting on an AI service, and when a worker's task ends, so that a
    thread that waits holds none. A connection inside a transaction stays: closing it
    would lose the transaction."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
