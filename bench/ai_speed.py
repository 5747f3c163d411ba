"""Books at the speed of the AI itself, on the stack `make run` starts (issue 15).

The Procfile's processes (web, the `ai` worker with its threads, the `cpu` worker,
beat) run with no tuning variable set, on PostgreSQL and Redis, against the fake
OpenAI-compatible server: each story call streams its pages evenly over L_text, each
picture answers after L_image, moderation at once. Books are asked for through the
API, as a client would; the times come from the rows the workers write (a page's
`created_at` is when the API starts listing it). Every figure is a ratio measured in
this run:

1. one 12-page book, ready within 1.15 x (L_text + L_image);
2. the first page's text within L_text / 12 + 0.25 s, its picture within that plus 1.15 x L_image;
3. ten 12-page books asked for at once, all ready within 2 x (L_text + L_image), with
   no more than 10 PostgreSQL connections at any moment (pg_stat_activity, every 20 ms);
4. the whole stack under 600 MB resident after those ten books;
and, beside mvp-child-book-gen's 50 s, one 12-page book at L_text = 1 s, L_image = 2 s.

    .venv/bin/python bench/ai_speed.py [--text-latency 2] [--image-latency 4] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import threading
import time

import httpx
import psutil
from stack import ROOT, bench_stack

PAGES = 12
BOOKS_AT_ONCE = 10
MVP_SECONDS = 50.0  # mvp-child-book-gen, 12 pages at L_text = 1 s, L_image = 2 s
# The variables that size the pools: unset, as on a new user's machine.
TUNING = ("WORKER_CONCURRENCY", "CPU_WORKER_CONCURRENCY", "WEB_CONCURRENCY", "DATABASE_POOL_MAX_SIZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text-latency", type=float, default=2.0, help="L_text: seconds a story call streams for")
    parser.add_argument("--image-latency", type=float, default=4.0, help="L_image: seconds a picture takes")
    parser.add_argument("--runs", type=int, default=3, help="single books measured (after one to warm up)")
    args = parser.parse_args()
    text, image = args.text_latency, args.image_latency

    with bench_stack("aispeed", OPENAI_TIMEOUT="60", IMAGE_TIMEOUT="60") as (scratch, redis, fake):
        fake.stream_paced = True
        from tests.servers import free_port

        port = free_port()
        processes = stack_start(scratch, port)
        try:
            client = api_client(port)
            latencies(fake, text, image)
            book_time(client)  # warm-up: imports, connections, the fake's first answers
            singles = [book_time(client) for _ in range(args.runs)]
            crowd, connections = books_at_once(client)
            memory = stack_memory(processes)
            latencies(fake, 1.0, 2.0)
            mvp_like = book_time(client)
        finally:
            stack_stop(processes)
    report(text, image, singles, crowd, connections, memory, mvp_like)


def latencies(fake, text: float, image: float) -> None:
    fake.endpoint_latency = {"chat": text, "images": image, "edits": image, "moderations": 0.0}


def stack_start(scratch, port: int) -> list[tuple[str, subprocess.Popen]]:
    from storyforge.operations.processes import environment_for_children, procfile_read, shell_line

    env = environment_for_children()
    for name in TUNING:
        env.pop(name, None)
    env["PORT"] = str(port)
    started = []
    for spec in procfile_read():
        with open(scratch / f"{spec.name}.log", "wb") as log:
            child = subprocess.Popen(
                ["/bin/sh", "-c", shell_line(spec.command)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        started.append((spec.name, child))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        workers_ready = all(" ready." in (scratch / f"{name}.log").read_text() for name in ("worker", "cpu"))
        try:
            web_ready = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            web_ready = False
        if workers_ready and web_ready:
            return started
        time.sleep(0.2)
    stack_stop(started)
    raise SystemExit(f"the stack did not start; logs in {scratch}")


def stack_stop(processes) -> None:
    from storyforge.operations.processes import tree_stop

    tree_stop([child.pid for _, child in processes])
    for _, child in processes:
        child.wait(timeout=10)


def api_client(port: int) -> httpx.Client:
    from django.contrib.auth import get_user_model

    from accounts.services import api_token_create
    from characters.services import character_create

    user, _ = get_user_model().objects.get_or_create(username="bench")
    _, key = api_token_create(user=user, name="bench")
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1", headers={"Authorization": f"Token {key}"})
    client.mia = character_create(user=user, name="Mia", traits=["brave"]).pk
    return client


def book_ask(client: httpx.Client) -> int:
    answer = client.post("/stories/", json={"characters": [{"character": client.mia}], "page_count": PAGES}, timeout=30)
    answer.raise_for_status()
    return answer.json()["id"]


def books_wait(story_ids: list[int], timeout: float = 300) -> None:
    from stories.models import Story

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = dict(Story.objects.filter(pk__in=story_ids).values_list("pk", "status"))
        if all(status in ("ready", "failed") for status in statuses.values()):
            failed = [pk for pk, status in statuses.items() if status == "failed"]
            if failed:
                raise SystemExit(f"books {failed} failed: {Story.objects.get(pk=failed[0]).error_message}")
            return
        time.sleep(0.05)
    raise SystemExit("the books did not finish in time")


def book_time(client: httpx.Client) -> dict[str, float]:
    """Seconds from the request to the first page's text, its picture, and the book ready."""
    from django.utils import timezone

    from stories.models import Illustration, Page, Story
    from storyforge.generation.models import GenerationJob

    asked = timezone.now()
    story_id = book_ask(client)
    answered = timezone.now()
    books_wait([story_id])
    job = GenerationJob.objects.get(story_id=story_id, kind="story_text")
    first = Page.objects.get(story_id=story_id, number=1)
    picture = Illustration.objects.filter(page=first).order_by("created_at").first()
    done = Story.objects.get(pk=story_id).completed_at
    return {
        "answered": (answered - asked).total_seconds(),
        "text_job_started": (job.started_at - asked).total_seconds(),
        "first_text": (first.created_at - asked).total_seconds(),
        "first_picture": (picture.created_at - asked).total_seconds(),
        "ready": (done - asked).total_seconds(),
    }


def books_at_once(client: httpx.Client) -> tuple[float, dict[str, int]]:
    """Seconds until ten books asked for together are all ready, and the most PostgreSQL
    connections (all, and those running a query) seen meanwhile."""
    import psycopg
    from django.db import connection

    seen = {"connections": 0, "active": 0}
    stop = threading.Event()
    dsn = connection.get_connection_params()

    def watch() -> None:
        with psycopg.connect(**{k: v for k, v in dsn.items() if k in ("host", "port", "user", "dbname")}) as db:
            while not stop.is_set():
                rows = db.execute(
                    "SELECT state FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                ).fetchall()
                seen["connections"] = max(seen["connections"], len(rows))
                seen["active"] = max(seen["active"], sum(1 for (state,) in rows if state != "idle"))
                time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    ids: list[int] = []
    started = time.perf_counter()
    askers = [threading.Thread(target=lambda: ids.append(book_ask(client))) for _ in range(BOOKS_AT_ONCE)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    books_wait(ids)
    elapsed = time.perf_counter() - started
    stop.set()
    watcher.join()
    return elapsed, seen


def stack_memory(processes) -> dict[str, float]:
    """Resident megabytes of each Procfile process with everything it started."""
    memory = {}
    for name, child in processes:
        family = [psutil.Process(child.pid), *psutil.Process(child.pid).children(recursive=True)]
        memory[name] = sum(proc.memory_info().rss for proc in family) / 2**20
        memory[f"{name} (pss)"] = sum(proc.memory_full_info().pss for proc in family) / 2**20
    return memory


def report(text, image, singles, crowd, connections, memory, mvp_like) -> None:
    floor = text + image
    ready = statistics.median(run["ready"] for run in singles)
    first_text = statistics.median(run["first_text"] for run in singles)
    first_picture = statistics.median(run["first_picture"] for run in singles)
    text_limit = text / PAGES + 0.25
    for key in ("answered", "text_job_started"):
        print(f"   ({key}: median {statistics.median(run[key] for run in singles):.3f} s after the request)")
    print(f"L_text = {text:g} s, L_image = {image:g} s, {PAGES} pages; machine load {psutil.getloadavg()[0]:.2f}")
    print(f"1. one book ready: median {ready:.2f} s = {ready / floor:.3f} x (L_text + L_image) (limit 1.15)")
    runs = ", ".join(f"{run['ready']:.2f}" for run in singles)
    print(f"   runs: {runs}")
    print(f"2. first page's text: {first_text:.3f} s = {first_text / text_limit:.3f} x (L_text/12 + 0.25 s) (limit 1)")
    picture_limit = first_text + 1.15 * image
    print(
        f"   its picture: {first_picture:.3f} s = {(first_picture - first_text) / image:.3f} x L_image after the"
        f" text ({first_picture / picture_limit:.3f} of the limit)"
    )
    print(
        f"3. ten books at once: {crowd:.2f} s = {crowd / floor:.3f} x (L_text + L_image) (limit 2); "
        f"PostgreSQL connections at most {connections['connections']} ({connections['active']} busy) (limit 10)"
    )
    rss = sum(value for key, value in memory.items() if "pss" not in key)
    pss = sum(value for key, value in memory.items() if "pss" in key)
    parts = ", ".join(f"{key} {value:.0f}" for key, value in memory.items())
    print(f"4. stack resident after ten books: {rss:.0f} MB RSS ({pss:.0f} MB PSS) (limit 600): {parts}")
    print(
        f"mvp comparison, L_text = 1 s, L_image = 2 s: StoryForge {mvp_like['ready']:.2f} s "
        f"= {mvp_like['ready'] / 3:.3f} x (L_text + L_image); mvp-child-book-gen {MVP_SECONDS:.0f} s "
        f"({MVP_SECONDS / mvp_like['ready']:.1f} times as long)"
    )


if __name__ == "__main__":
    main()
