"""Two hundred books made while a third of the AI calls fail: does every book
still come out whole, and is every cent charged exactly once?

The real pipeline (PostgreSQL, Redis, a Celery worker, the openai client over
HTTP to the fake OpenAI-compatible server) makes `--stories` books of `--pages`
pages while the fake answers a share `--rate` of calls with a 429, a 500 or a
reply slower than OPENAI_TIMEOUT (a timeout). The run stops by itself when every
book is ready or failed, or after `--timeout` seconds, and prints a summary:
books ready, failed and stuck, duplicate pages or pictures, the calls and faults,
the retries, what was charged against what the fake server answered successfully,
and the wall-clock time. The exit status is 0 only when every book is ready,
whole, and charged once. See docs/resilience.md.

    .venv/bin/python bench/chaos_generation.py [--stories 200] [--pages 3] [--rate 0.3]
        [--concurrency 4] [--seed 1] [--timeout 900]
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import sys
import time
from decimal import Decimal

from stack import bench_stack

OPENAI_TIMEOUT = 0.75  # seconds; a "timeout" fault answers after SLOW_SECONDS
SLOW_SECONDS = 1.0
STORED = Decimal("0.000001")  # the precision costs are stored with
WORKER_VARIABLES = ("STORYFORGE_RETRY_LIMIT", "STORYFORGE_BREAKER_FAILURES", "STORYFORGE_DAILY_BUDGET")


def names(count: int) -> list[str]:
    """Distinct first names, so that each book's chat calls can be told apart."""
    heads = ["Ka", "Lo", "Mi", "Ne", "Ro", "Sa", "Ti", "Vu", "Ze", "Ba", "Do", "Fe"]
    tails = ["na", "ri", "lo", "mi", "ta", "do", "ve", "su", "pe", "ko", "ly", "ba"]
    ends = ["", "n", "s", "l"]
    made = ["".join(parts) for parts in itertools.product(heads, tails, ends)]
    if count > len(made):
        raise SystemExit(f"at most {len(made)} stories")
    return made[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--rate", type=float, default=0.3, help="share of AI calls that fail")
    parser.add_argument("--concurrency", type=int, default=4, help="worker slots")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds before the run gives up")
    args = parser.parse_args()

    environment = {
        "OPENAI_TIMEOUT": str(OPENAI_TIMEOUT),
        "IMAGE_TIMEOUT": str(OPENAI_TIMEOUT),  # pictures time out as fast as text here
        # The fake is not OpenAI's service, where prices default to 0: charge OpenAI's,
        # so the run can check that every picture was charged once.
        "OPENAI_PRICE_TEXT_INPUT": "0.15",
        "OPENAI_PRICE_TEXT_OUTPUT": "0.60",
        "OPENAI_PRICE_IMAGE": "0.04",
        "STORYFORGE_RETRY_BACKOFF_MAX": "0.5",
        "STORYFORGE_RETRY_LIMIT": "12",
        "STORYFORGE_BREAKER_FAILURES": "1000",
        "LOG_LEVEL": "WARNING",
    }
    with bench_stack("chaos", **environment) as (scratch, redis, fake):
        return run(args, scratch, redis, fake)


def run(args, scratch, redis, fake) -> int:
    worker = None
    started = time.monotonic()
    try:
        from tests.workers import CeleryWorker

        ids = stories_create(args.stories, args.pages)
        fake.requests.clear()  # the briefs' moderation, before the chaos
        fake.slow_seconds = SLOW_SECONDS
        fake.chaos(args.rate, seed=args.seed, faults=("429", "500", "timeout"))
        worker_env = {  # the worker helper passes on no STORYFORGE_* variable by itself
            "LOG_LEVEL": "INFO",  # it waits for the worker's "ready." line
            **{name: os.environ[name] for name in WORKER_VARIABLES},
        }
        worker = CeleryWorker(
            redis_url=redis.url, log_path=scratch / "worker.log", concurrency=args.concurrency, env=worker_env
        )
        started = time.monotonic()
        worker.start()
        finished = wait_for(ids, args.timeout)
        elapsed = time.monotonic() - started
        return report(ids, args, fake.requests, elapsed, finished)
    finally:
        if worker:
            worker.stop()


def stories_create(count: int, pages: int) -> list[int]:
    from django.contrib.auth import get_user_model

    from characters.services import character_create
    from stories.services import story_create

    user, _ = get_user_model().objects.get_or_create(username="chaos-bench")
    ids = []
    for name in names(count):
        character = character_create(user=user, name=name, traits=["brave"])
        ids.append(story_create(user=user, characters=[{"character": character.pk}], page_count=pages)[0].pk)
    return ids


def wait_for(ids: list[int], timeout: float) -> bool:
    from stories.models import Story

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Story.objects.filter(pk__in=ids).exclude(status__in=("ready", "failed")).exists():
            return True
        time.sleep(0.5)
    return False


def report(ids, args, requests, elapsed: float, finished: bool) -> int:
    from django.conf import settings
    from django.db.models import Count, Sum

    from stories.models import Illustration, Page, Story
    from storyforge.generation.models import GenerationJob
    from tests.chaos import character_of, chat_cost

    statuses = collections.Counter(Story.objects.filter(pk__in=ids).values_list("status", flat=True))
    wrong_pages = Story.objects.filter(pk__in=ids).annotate(n=Count("pages")).exclude(n=args.pages).count()
    unpictured = Page.objects.filter(story__in=ids, selected_illustration__isnull=True).count()
    pictures = Illustration.objects.filter(page__story__in=ids).count()
    jobs = GenerationJob.objects.filter(story__in=ids)
    job_statuses = collections.Counter(jobs.values_list("status", flat=True))
    attempts = jobs.aggregate(n=Sum("attempts"))["n"] or 0
    charged = Story.objects.filter(pk__in=ids).aggregate(c=Sum("cost"))["c"] or Decimal(0)
    jobs_cost = jobs.aggregate(c=Sum("cost"))["c"] or Decimal(0)

    replies = collections.Counter(request.reply for request in requests)
    ok_pictures = [r for r in requests if r.endpoint in ("images", "edits") and r.reply == "ok"]
    kept_text: dict[str, Decimal] = {}
    for request in requests:  # every successful write of a book costs the same; it is charged once
        if request.endpoint == "chat" and request.reply == "ok":
            kept_text[character_of(request)] = chat_cost(request).quantize(STORED)
    expected = sum(kept_text.values(), Decimal(0)) + len(ok_pictures) * Decimal(settings.OPENAI_PRICE_IMAGE)

    whole = (
        finished
        and statuses.get("ready", 0) == len(ids)
        and wrong_pages == 0
        and unpictured == 0
        and pictures == len(ids) * args.pages
        and charged == jobs_cost == expected
    )
    print(
        f"chaos generation: {len(ids)} books x {args.pages} pages, {args.rate:.0%} of AI calls failing "
        f"(429, 500, timeout after {OPENAI_TIMEOUT} s), {args.concurrency} worker slots, seed {args.seed}"
    )
    timed_out = "" if finished else " - TIMED OUT"
    print(f"  finished in {elapsed:.1f} s ({len(ids) / elapsed * 60:.1f} books/min){timed_out}")
    stuck = sum(count for status, count in statuses.items() if status not in ("ready", "failed"))
    print(f"  books: {dict(statuses)}; stuck (neither ready nor failed): {stuck}")
    print(f"  books with the wrong page count: {wrong_pages}; pages without a picture: {unpictured}")
    print(f"  pictures: {pictures} for {len(ids) * args.pages} pages; jobs: {dict(job_statuses)}")
    print(f"  AI calls: {len(requests)}, answers: {dict(replies)}; job attempts: {attempts} for {jobs.count()} jobs")
    print(f"  charged: ${charged} (stories) = ${jobs_cost} (jobs); the fake answered ${expected} of work")
    print(f"  result: {'PASS' if whole else 'FAIL'}")
    return 0 if whole else 1


if __name__ == "__main__":
    sys.exit(main())
