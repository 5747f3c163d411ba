"""The Celery app. Workers run Django's system checks before taking work, so a
configuration mistake stops a worker with the same message `manage.py check` gives."""

import os
import sys

from celery import Celery
from celery.signals import worker_init

import storyforge.core.logging  # noqa: F401 - request ids travel with tasks; workers keep Django's LOGGING

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storyforge.settings")

app = Celery("storyforge")
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
