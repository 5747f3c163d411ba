import pytest

from storyforge.celery import app


@pytest.fixture
def eager_tasks(settings):
    """Tasks run inline when enqueued, retries included (their countdowns skipped).

    Good for the pipeline's logic; the worker tests run a real worker for what
    this hides (serialisation, redelivery). Task errors are not re-raised (Celery
    re-raises its own Retry then, instead of running the retry inline): tests
    assert what the task left in the database."""
    settings.STORYFORGE_RETRY_BACKOFF_MAX = 0.01
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = False
