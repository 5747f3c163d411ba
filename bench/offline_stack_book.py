"""The no-configuration `make run` (SQLite, the folder queue, the offline storyteller and
artist): how long a 12-page book takes from the API request to `ready`, against the
offline provider's own time for the same book in one process (issue 15, figure 5:
within 1.5 x that time plus 0.5 s).

The Procfile's processes run exactly as `make run` starts them, with nothing set but
a fresh var folder and a port. The offline provider's own time is the work of the
same book done in a row in this process: the story, its moderation, and each page's
picture with its moderation (the cover, drawn after the book is ready, is left out of
both). Both are measured in the same run, on the same machine.

    .venv/bin/python bench/offline_stack_book.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import psutil
from ai_speed import PAGES, api_client, book_ask, books_wait, stack_start, stack_stop
from stack import ROOT  # noqa: F401 - puts the project on sys.path

# Everything that would configure the stack: none of it is set, as on a new machine.
CONFIGURING = ("STORYFORGE", "DATABASE_", "REDIS_URL", "CELERY_", "OPENAI_", "IMAGE_", "SPEECH_", "AWS_", "DJANGO_")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="books measured (after one to warm up)")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="storyforge-offline-stack-"))
    for name in [name for name in os.environ if name.startswith(CONFIGURING)]:
        del os.environ[name]
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "storyforge.settings",
            "STORYFORGE_READ_DOT_ENV": "0",
            "STORYFORGE_VAR_DIR": str(scratch / "var"),
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from tests.servers import free_port

    call_command("migrate", verbosity=0)
    port = free_port()
    processes = stack_start(scratch, port)
    try:
        client = api_client(port)
        stack_book(client)  # warm-up
        stack_times = [stack_book(client) for _ in range(args.runs)]
        last_story = stack_times[-1][1]
    finally:
        stack_stop(processes)
    own_times = [provider_own_time(last_story) for _ in range(args.runs)]
    report([seconds for seconds, _ in stack_times], own_times)


def stack_book(client) -> tuple[float, int]:
    from django.utils import timezone

    from stories.models import Story

    asked = timezone.now()
    story_id = book_ask(client)
    books_wait([story_id])
    return (Story.objects.get(pk=story_id).completed_at - asked).total_seconds(), story_id


def provider_own_time(story_id: int) -> float:
    """The same book's provider work, one call after another, in this process."""
    from stories.models import Page, Story
    from stories.services.generation import page_scene, story_brief
    from storyforge.generation.providers.offline import OfflineProvider

    story = Story.objects.get(pk=story_id)
    brief = story_brief(story)
    pages = list(Page.objects.filter(story=story).order_by("number"))
    provider = OfflineProvider()
    started = time.perf_counter()
    draft = provider.story_write(brief)
    provider.moderate([draft.title, draft.summary, *(p.text for p in draft.pages)])
    for page in pages:
        drawn = provider.page_illustrate(page_scene(page, story, brief))
        provider.picture_moderate(drawn.png)
    return time.perf_counter() - started


def report(stack_times: list[float], own_times: list[float]) -> None:
    stack, own = statistics.median(stack_times), statistics.median(own_times)
    limit = 1.5 * own + 0.5
    print(f"{PAGES}-page book, no configuration (SQLite, folder queue, offline provider), {os.cpu_count()} cores")
    print(f"machine load {psutil.getloadavg()[0]:.2f}")
    print(f"stack, API request to ready: median {stack:.2f} s (runs: {', '.join(f'{t:.2f}' for t in stack_times)})")
    print(f"offline provider alone, one process: median {own:.2f} s (runs: {', '.join(f'{t:.2f}' for t in own_times)})")
    print(
        f"5. ratio to the limit 1.5 x {own:.2f} + 0.5 = {limit:.2f} s: {stack / limit:.3f} (limit 1); {stack / own:.2f} x own"
    )


if __name__ == "__main__":
    main()
