"""A real Celery worker for tests: the `worker` line of the Procfile, run with the
production settings module and pointed at the test's database, Redis and media
(the test's folder, or its bucket when the test is on object storage) through the
same environment variables an operator would set."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
from django.conf import settings
from django.db import connection

from tests.server_process import die_with_parent

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The URL of the database this test is using (the test database, not the dev one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


# django-storages' settings a worker needs to reach the test's bucket.
S3_SETTINGS = ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


class CeleryWorker:
    """`var_dir`: the worker's own var folder, its MEDIA_ROOT inside it, as on a machine
    of its own; by default one beside the log, with the test's MEDIA_ROOT."""

    def __init__(
        self,
        *,
        redis_url: str,
        log_path: Path,
        concurrency: int = 2,
        env: dict | None = None,
        var_dir: Path | None = None,
        queues: str = "ai,cpu",
    ):
        self.log_path = log_path
        self.queues = queues
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS", "AWS_"))}
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "storyforge.settings",
                "STORYFORGE_READ_DOT_ENV": "0",
                "STORYFORGE_VAR_DIR": str(var_dir or log_path.parent / "worker-var"),
                "DATABASE_URL": database_url(),
                "REDIS_URL": redis_url,
                "MEDIA_ROOT": str(var_dir / "media" if var_dir else settings.MEDIA_ROOT),
                "SECRET_KEY": settings.SECRET_KEY,
                "STORYFORGE_AI_PROVIDER": settings.STORYFORGE_AI_PROVIDER,
                "STORYFORGE_RETRY_BACKOFF_MAX": str(settings.STORYFORGE_RETRY_BACKOFF_MAX),
                # The worker checks the budget again before each paid call: the test's limits.
                "STORYFORGE_DAILY_BUDGET": str(settings.STORYFORGE_DAILY_BUDGET),
                "STORYFORGE_DAILY_GENERATIONS": str(settings.STORYFORGE_DAILY_GENERATIONS),
                "WORKER_CONCURRENCY": str(concurrency),
                "PYTHONUNBUFFERED": "1",
            }
        )
        if settings.STORYFORGE_AI_PROVIDER == "openai":
            # What the test process uses, so that both sides call and charge alike (the
            # prices' defaults depend on the server, the fake is not OpenAI's).
            self.env.update(
                {
                    "OPENAI_API_KEY": settings.OPENAI_API_KEY,
                    "OPENAI_BASE_URL": settings.OPENAI_BASE_URL,
                    "OPENAI_TIMEOUT": str(settings.OPENAI_TIMEOUT),
                    "IMAGE_TIMEOUT": str(settings.IMAGE_TIMEOUT),
                    "OPENAI_PRICE_TEXT_INPUT": str(settings.OPENAI_PRICE_TEXT_INPUT),
                    "OPENAI_PRICE_TEXT_OUTPUT": str(settings.OPENAI_PRICE_TEXT_OUTPUT),
                    "OPENAI_PRICE_IMAGE": str(settings.OPENAI_PRICE_IMAGE),
                    "OPENAI_PRICE_SPEECH": str(settings.OPENAI_PRICE_SPEECH),
                }
            )
        if settings.STORYFORGE_MEDIA_STORAGE == "s3":
            self.env["STORYFORGE_MEDIA_STORAGE"] = "s3"
            self.env["AWS_S3_REGION_NAME"] = settings.AWS_S3_REGION_NAME or ""
            self.env.update({name: getattr(settings, name) for name in S3_SETTINGS})
        self.env.update(env or {})
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> CeleryWorker:
        return self.launch().ready(timeout)

    def launch(self) -> CeleryWorker:
        """Start the process without waiting for it: `ready()` waits. Several workers
        launched first and waited for after start side by side."""
        from storyforge.operations.processes import procfile_read

        # The `worker` line, taking both queues: one process does what `worker` and
        # `cpu` share out in production, so a test needs only one.
        command = next(spec.command for spec in procfile_read() if spec.name == "worker")
        command += f" --queues {self.queues}"
        bin_dir = str(Path(sys.executable).parent)
        self.env["PATH"] = bin_dir + os.pathsep + self.env.get("PATH", "")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                ["/bin/sh", "-c", "exec " + command],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # An interrupted test run (pytest -x under xdist) kills its workers
                # without finalizers; the worker must not outlive it.
                preexec_fn=die_with_parent(signal.SIGTERM),
            )
        return self

    def ready(self, timeout: float = 60) -> CeleryWorker:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited:\n{self.log()}")
            if " ready." in self.log():
                return self
            time.sleep(0.1)
        raise AssertionError(f"the worker did not get ready:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as a crashed machine would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        from storyforge.operations.processes import tree_stop

        tree_stop([self.process.pid], timeout=15)
        self.process.wait(timeout=10)
        self.process = None

    def children(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True) if self.process else []


@contextmanager
def broker(url: str):
    """Send this test's tasks to `url` instead of the in-memory broker."""
    from storyforge.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = url
    app.conf.broker_transport_options = {"visibility_timeout": 3600}
    _pools_reset(app)
    try:
        yield app
    finally:
        _pools_reset(app)
        app.conf.broker_url = previous
        app.conf.broker_transport_options = {}


def _pools_reset(app) -> None:
    """Forget connections to the previous broker: the app caches its connection pool
    and producer pool, and kombu keeps a registry of producer pools per connection."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
