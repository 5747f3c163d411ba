"""The Celery app. Workers run Django's system checks before taking work, so a
configuration mistake stops a worker with the same message `manage.py check` gives."""

import os
import sys

from celery import Celery
from celery.signals import task_postrun, worker_init

import storyforge.core.logging  # noqa: F401 - request ids travel with tasks; workers keep Django's LOGGING

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storyforge.settings")

# beat only sends the sweep, by name, once a minute: it needs the settings, not the
# project's apps, and without Celery's Django fixup it never loads them (about half
# the memory of a process that does).
BEAT = os.path.basename(sys.argv[0]) == "celery" and "beat" in sys.argv[1:5]
app = Celery("storyforge", fixups=[] if BEAT else None)
if BEAT:  # what django.setup() would do for its log lines: the same format as every process
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def run_system_checks(**kwargs):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", fail_level="ERROR")
    except SystemCheckError as exc:
        # Celery logs and swallows ordinary exceptions from signal handlers;
        # SystemExit gets through and stops the worker before it takes work.
        sys.stderr.write(f"{exc}\nThe worker did not start.\n")
        raise SystemExit(3) from None
    broker_folders_create()


def broker_folders_create():
    """The folder queue of the server-less broker must exist before anyone sends to it."""
    from django.conf import settings

    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)


@task_postrun.connect
def database_connections_return(task=None, **kwargs):
    """A worker thread between tasks holds no database connection: with 100 threads
    (the `ai` pool) idle connections would otherwise add up to 100 per worker."""
    if task is not None and getattr(task.request, "is_eager", False):
        return  # run inline by its caller, whose connection it is
    from storyforge.core.queues import database_connections_release

    database_connections_release()
