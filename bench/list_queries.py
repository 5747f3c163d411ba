"""How long do the list queries take with 10,000 stories in PostgreSQL?

Starts PostgreSQL (tests/servers.py), seeds 100 grown-ups with 100 finished
stories each (10,000 stories, one job per story, 20 characters each; every tenth
story failed), then times the SQL of each list selector's first page (20 rows,
as the API and the pages show them) for one grown-up, `--runs` times each, and
prints p50/p95/max with the EXPLAIN (ANALYZE, BUFFERS) plan, which names the
index each query uses.

    .venv/bin/python bench/list_queries.py [--runs 200]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OWNERS = 100
STORIES_PER_OWNER = 100
PAGE = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="timed runs of each query")
    args = parser.parse_args()

    from tests.servers import PostgresServer

    scratch = Path(tempfile.mkdtemp(prefix="storyforge-queries-"))
    postgres = PostgresServer()
    postgres.start()
    db = postgres.settings_dict()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "storyforge.settings",
            "STORYFORGE_READ_DOT_ENV": "0",
            "STORYFORGE_VAR_DIR": str(scratch / "var"),
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "MEDIA_ROOT": str(scratch / "media"),
        }
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from bench.seed_load_data import seed

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        seed(owners=OWNERS, characters=20, stories=STORIES_PER_OWNER, pages=1)
        user = failed_every_tenth_story()
        print(f"seeded in {time.perf_counter() - started:.1f} s")
        rows = measure(user, args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        postgres.stop()
    print(
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    print(f"command: .venv/bin/python bench/{Path(__file__).name} {' '.join(sys.argv[1:])}")
    print(f"{'query':34} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  index")
    for name, times, index in rows:
        print(f"{name:34} {statistics.median(times):7.3f} {percentile(times, 0.95):7.3f} {max(times):7.3f}  {index}")


def failed_every_tenth_story():
    from django.contrib.auth import get_user_model
    from django.db import connection

    from stories.models import Story

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE stories_story SET status = %s, error_code = %s WHERE id %% 10 = 0",
            [Story.Status.FAILED, "provider_unavailable"],
        )
        cursor.execute("ANALYZE")
    from storyforge.generation.models import GenerationJob

    counts = (Story.objects.count(), GenerationJob.objects.count())
    print(f"{counts[0]} stories, {counts[1]} jobs in PostgreSQL")
    return get_user_model().objects.get(username=f"bench-{OWNERS // 2}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(user, runs: int):
    from django.db import connection

    from characters.selectors import character_list
    from stories.selectors import story_list
    from storyforge.generation.selectors import job_list

    queries = [
        ("stories by owner, newest first", story_list(user=user)),
        ("characters by owner, recent first", character_list(user=user)),
        ("jobs by owner, newest first", job_list(user=user)),
        ("stories by owner and status", story_list(user=user, status="failed")),
    ]
    rows = []
    with connection.cursor() as cursor:
        for name, queryset in queries:
            sql, params = queryset[:PAGE].query.sql_with_params()
            for _ in range(10):  # warm the buffers and the plan
                cursor.execute(sql, params)
                cursor.fetchall()
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [line for (line,) in cursor.fetchall()]
            print(f"\n-- {name}\n{sql % tuple(repr(p) for p in params)}")
            print("\n".join(plan))
            used = re.findall(r"(\w+ Scan) using (\w+) on (\w+)", "\n".join(plan))
            rows.append((name, times, ", ".join(f"{index} ({table})" for _, index, table in used)))
    print()
    return rows


if __name__ == "__main__":
    main()
