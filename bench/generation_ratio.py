"""How close does a 12-page book come to the time the AI service itself needs?

With every chat and image call answered after a fixed latency L by the fake
OpenAI-compatible server, a 12-page book on 4 worker slots cannot finish faster
than L_text + 3 x L_image (the text, then three waves of four pictures). This
script measures the real pipeline (PostgreSQL, Redis, a Celery worker with 4
slots, the openai client over HTTP) and reports the ratio of the book's
wall-clock time to that floor, and the pipeline's own overhead per job.

Moderation calls are answered at once in the main figure (real moderation calls
take a small fraction of a story or picture call) and at the full latency L in a
second row, for comparison.

    .venv/bin/python bench/generation_ratio.py [--latency 1.0] [--books 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from stack import bench_stack

PAGES = 12
SLOTS = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=1.0, help="seconds the fake AI takes per call (L)")
    parser.add_argument("--books", type=int, default=3, help="books per measurement")
    args = parser.parse_args()

    with bench_stack("bench", OPENAI_TIMEOUT=str(args.latency * 10)) as (scratch, redis, fake):
        from tests.workers import CeleryWorker

        worker = CeleryWorker(redis_url=redis.url, log_path=scratch / "worker.log", concurrency=SLOTS).start()
        try:
            rows = [
                measure(fake, args.latency, args.books, moderation_latency=0.0),
                measure(fake, args.latency, args.books, moderation_latency=args.latency),
            ]
        finally:
            worker.stop()
    floor = 4 * args.latency
    print(f"12-page book, {SLOTS} worker slots, L = {args.latency:.2f} s, floor L_text + 3 x L_image = {floor:.2f} s")
    for label, times in rows:
        median = statistics.median(times)
        overhead_ms = (median - floor) / (1 + PAGES) * 1000
        print(
            f"{label}: median {median:.2f} s over {len(times)} books, ratio {median / floor:.3f}, "
            f"overhead {overhead_ms:.0f} ms per job (runs: {', '.join(f'{t:.2f}' for t in times)})"
        )


def measure(fake, latency: float, books: int, *, moderation_latency: float) -> tuple[str, list[float]]:
    from django.contrib.auth import get_user_model

    from characters.services import character_create
    from stories.models import Story
    from stories.services import story_create

    fake.latency = latency
    fake.endpoint_latency = {"moderations": moderation_latency}
    user, _ = get_user_model().objects.get_or_create(username="bench")
    mia = character_create(user=user, name="Mia", traits=["brave"])
    times = []
    for number in range(books + 1):  # the first book warms the worker up and is not counted
        started = time.perf_counter()
        story, _ = story_create(user=user, characters=[{"character": mia.pk}], page_count=PAGES)
        while Story.objects.values_list("status", flat=True).get(pk=story.pk) not in ("ready", "failed"):
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        if Story.objects.get(pk=story.pk).status != "ready":
            raise SystemExit(f"book {number} failed: {Story.objects.get(pk=story.pk).error_message}")
        if number:
            times.append(elapsed)
    label = "moderation instant" if moderation_latency == 0 else "moderation at L  "
    return label, times


if __name__ == "__main__":
    main()
