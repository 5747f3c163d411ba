"""What does a page cost under load?

Starts PostgreSQL and Redis (tests/servers.py), seeds one grown-up with 200
characters and 100 finished 12-page stories (bench/seed_load_data.py), runs the
Procfile's web line (gunicorn, WEB_CONCURRENCY workers) on a free loopback port,
and has `--clients` concurrent clients (asyncio + httpx, one connection each,
signed in with the grown-up's session) request the dashboard, the character
gallery, a story's reader, the two API lists and /healthz in turn for
`--duration` seconds. Reports per endpoint the count, errors and latency
percentiles, the p95 ratio to /healthz, requests per second per gunicorn worker,
the page cache hit rate of the dashboard and the reader read from /metrics, and
the most PostgreSQL connections in use (pg_stat_activity, sampled every 0.2 s).

API throttling is turned off (STORYFORGE_RATE_API=off): one user making 50
requests at a time would otherwise meet the 600/minute limit, which is not what
is measured here.

    .venv/bin/python bench/load_test.py [--clients 50] [--duration 60] [--workers 2] [--pool 0]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"  # loopback only: this script never sends a request elsewhere
READER_STORIES = 20  # the clients read these many different books in turn
MAX_CLIENTS = 200
MAX_DURATION = 600.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (at most 200)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (at most 600)")
    parser.add_argument("--workers", type=int, default=2, help="WEB_CONCURRENCY: gunicorn worker processes")
    parser.add_argument("--pool", type=int, default=0, help="DATABASE_POOL_MAX_SIZE for the web processes")
    args = parser.parse_args()
    clients = max(1, min(args.clients, MAX_CLIENTS))
    duration = max(1.0, min(args.duration, MAX_DURATION))

    from tests.servers import PostgresServer, RedisServer, free_port

    scratch = Path(tempfile.mkdtemp(prefix="storyforge-load-"))
    (scratch / "metrics").mkdir()
    postgres, redis = PostgresServer(), RedisServer()
    postgres.start()
    redis.start()
    db = postgres.settings_dict()
    port = free_port()
    environment = {
        "DJANGO_SETTINGS_MODULE": "storyforge.settings",
        "STORYFORGE_READ_DOT_ENV": "0",
        "STORYFORGE_ENV": "development",
        "DEBUG": "0",
        "SECRET_KEY": "load-test-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
        "STORYFORGE_VAR_DIR": str(scratch / "var"),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_POOL_MAX_SIZE": str(args.pool),
        "REDIS_URL": redis.url,
        "MEDIA_ROOT": str(scratch / "media"),
        "STORYFORGE_RATE_API": "off",
        "PROMETHEUS_MULTIPROC_DIR": str(scratch / "metrics"),
        "LOG_LEVEL": "WARNING",
        "BIND_ADDRESS": HOST,
        "PORT": str(port),
        "WEB_CONCURRENCY": str(args.workers),
    }
    os.environ.update(environment)
    import django

    django.setup()
    from django.core.management import call_command

    from bench.seed_load_data import seed

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    user = seed(characters=200, stories=100, pages=12)
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    cookie = session_cookie(user)
    story_ids = list(user.stories.order_by("-created_at").values_list("pk", flat=True)[:READER_STORIES])
    from django.db import connections

    connections.close_all()

    with open(scratch / "web.log", "wb") as log:  # the child keeps its own copy of the descriptor
        web = subprocess.Popen(
            ["sh", "-c", f"exec {web_line()}"],
            cwd=ROOT,
            env={**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    peak = {"connections": 0}
    stop = threading.Event()
    try:
        wait_until_up(port)
        sampler = threading.Thread(target=sample_connections, args=(postgres, peak, stop), daemon=True)
        sampler.start()
        before = asyncio.run(metrics_read(port))
        results, elapsed = asyncio.run(load(port, cookie, story_ids, clients, duration))
        after = asyncio.run(metrics_read(port))
        stop.set()
        sampler.join(2)
    finally:
        stop.set()
        web.terminate()
        try:
            web.wait(15)
        except subprocess.TimeoutExpired:
            web.kill()
        redis.stop()
        postgres.stop()
    report(results, elapsed, clients, args, before, after, peak["connections"])


def web_line() -> str:
    """The Procfile's `web:` command, with its ${VAR:-default} expanded by the shell."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise SystemExit("The Procfile has no web line.")


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def wait_until_up(port: int, timeout: float = 30.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {timeout:.0f} s")


def sample_connections(postgres, peak: dict, stop: threading.Event) -> None:
    """The most client connections to the app's database seen at once (this sampler's own excluded)."""
    import psycopg

    with psycopg.connect(postgres.dsn, autocommit=True) as connection:
        while not stop.is_set():
            (count,) = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [postgres.database],
            ).fetchone()
            peak["connections"] = max(peak["connections"], count)
            stop.wait(0.2)


async def metrics_read(port: int) -> dict[tuple[str, ...], float]:
    import httpx

    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", timeout=10.0) as client:
        text = (await client.get("/metrics")).text
    values = {}
    for name, labels in (
        ("storyforge_page_cache_requests_total", ("page", "result")),
        ("storyforge_cache_requests_total", ("cache", "result")),
    ):
        for match in re.finditer(rf"^{name}\{{([^}}]*)\}} ([0-9.e+]+)$", text, re.MULTILINE):
            found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
            values[(name, *(found.get(label, "") for label in labels))] = float(match.group(2))
    return values


async def load(port: int, cookie: str, story_ids: list[int], clients: int, duration: float):
    import httpx

    endpoints = [
        ("dashboard", lambda n: "/"),
        ("gallery", lambda n: "/characters/"),
        ("reader", lambda n: f"/stories/{story_ids[n % len(story_ids)]}/"),
        ("api characters", lambda n: "/api/v1/characters/"),
        ("api stories", lambda n: "/api/v1/stories/"),
        ("healthz", lambda n: "/healthz"),
    ]
    results: dict[str, dict] = {name: {"latencies": [], "errors": 0, "statuses": {}} for name, _ in endpoints}
    deadline = time.monotonic() + duration

    async def client_loop(number: int) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(
            base_url=f"http://{HOST}:{port}", headers={"Cookie": cookie}, limits=limits, timeout=30.0
        ) as client:
            turn = number  # each client starts at a different endpoint
            while time.monotonic() < deadline:
                name, path = endpoints[turn % len(endpoints)]
                turn += 1
                started = time.perf_counter()
                try:
                    response = await client.get(path(turn // len(endpoints)))
                    status = response.status_code
                except httpx.HTTPError as error:
                    status = error.__class__.__name__
                elapsed = time.perf_counter() - started
                entry = results[name]
                entry["statuses"][status] = entry["statuses"].get(status, 0) + 1
                if status == 200:
                    entry["latencies"].append(elapsed)
                else:
                    entry["errors"] += 1

    started = time.perf_counter()
    await asyncio.gather(*(client_loop(number) for number in range(clients)))
    return results, time.perf_counter() - started


def report(results, elapsed, clients, args, before, after, peak_connections) -> None:
    def delta(*key):
        return after.get(key, 0.0) - before.get(key, 0.0)

    print(
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    print(f"command: .venv/bin/python bench/{Path(__file__).name} {shlex.join(sys.argv[1:])}")
    print(f"{clients} clients for {elapsed:.1f} s, gunicorn {args.workers} workers, DATABASE_POOL_MAX_SIZE={args.pool}")
    health_p95 = percentile(results["healthz"]["latencies"], 0.95)
    total = errors = 0
    print(
        f"{'endpoint':16} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p95/healthz':>11}"
    )
    for name, entry in results.items():
        latencies = entry["latencies"]
        count = len(latencies) + entry["errors"]
        total += count
        errors += entry["errors"]
        p95 = percentile(latencies, 0.95)
        print(
            f"{name:16} {count:8d} {entry['errors']:6d} {statistics.median(latencies) * 1000 if latencies else 0:8.1f} "
            f"{p95 * 1000:8.1f} {percentile(latencies, 0.99) * 1000:8.1f} {p95 / health_p95:11.2f}"
        )
        if entry["errors"]:
            print(f"  statuses: {entry['statuses']}")
    print(
        f"total {total} requests, {errors} errors, {total / elapsed:.0f} requests/s, "
        f"{total / elapsed / args.workers:.0f} requests/s per gunicorn worker"
    )
    for page in ("dashboard", "reader"):
        hits = delta("storyforge_page_cache_requests_total", page, "hit")
        misses = delta("storyforge_page_cache_requests_total", page, "miss")
        rate = hits / (hits + misses) if hits + misses else float("nan")
        print(f"page cache, {page}: {hits:.0f} hits, {misses:.0f} misses, hit rate {rate:.1%}")
    hits = delta("storyforge_cache_requests_total", "default", "hit")
    misses = delta("storyforge_cache_requests_total", "default", "miss")
    if hits + misses:
        print(
            f"storyforge_cache_requests_total (every cache read, all pages): {hits:.0f} hits, "
            f"{misses:.0f} misses, hit rate {hits / (hits + misses):.1%}"
        )
    print(f"PostgreSQL connections in use at peak (pg_stat_activity): {peak_connections}")


if __name__ == "__main__":
    main()
