"""The production-like stack the benches run on: a throw-away PostgreSQL and Redis,
the fake OpenAI-compatible server, and Django set up against them with the same
environment variables an operator would set."""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@contextmanager
def bench_stack(prefix: str, **environment: str):
    """Start the servers, configure and migrate Django, and stop everything afterwards.
    Yields (scratch folder, redis server, fake AI server)."""
    from tests.fakes.openai_server import FakeOpenAIServer
    from tests.servers import PostgresServer, RedisServer

    scratch = Path(tempfile.mkdtemp(prefix=f"storyforge-{prefix}-"))
    postgres, redis = PostgresServer(), RedisServer()
    postgres.start()
    redis.start()
    fake = FakeOpenAIServer().start()
    try:
        db = postgres.settings_dict()
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "storyforge.settings",
                "STORYFORGE_READ_DOT_ENV": "0",
                "STORYFORGE_VAR_DIR": str(scratch / "var"),
                "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
                "REDIS_URL": redis.url,
                "MEDIA_ROOT": str(scratch / "media"),
                "OPENAI_API_KEY": "sk-bench-0123456789abcdefghijklmnop",
                "OPENAI_BASE_URL": fake.base_url,
                "STORYFORGE_DAILY_BUDGET": "100000",
                "STORYFORGE_DAILY_GENERATIONS": "100000",
                **environment,
            }
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield scratch, redis, fake
    finally:
        fake.stop()
        redis.stop()
        postgres.stop()
