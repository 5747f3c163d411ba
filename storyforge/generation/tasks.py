from celery import shared_task

from storyforge.generation.jobs import jobs_reap as jobs_reap_service


@shared_task
def jobs_reap() -> dict[str, int]:
    """The sweep for stuck jobs, run every minute by beat."""
    return jobs_reap_service()
