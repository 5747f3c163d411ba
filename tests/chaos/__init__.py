"""Chaos tests: real parts (Redis, PostgreSQL, a Celery worker, the fake OpenAI
server) are made to fail while books are being made or read, and each test checks
what a user would notice afterwards. Shared helpers live here; see docs/resilience.md.
The long runs are in bench/chaos_generation.py."""

from __future__ import annotations

import json
import time
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches

from stories.models import Story

SHARED_CACHE_BACKEND = "storyforge.core.cache.FailOpenRedisCache"


def shared_cache_use(settings_fixture, redis_url: str):
    """Point this process's cache at `redis_url` with the production backend, so
    that the circuit breaker's state is the one the worker sees."""
    settings_fixture.CACHES = {
        "default": {
            "BACKEND": SHARED_CACHE_BACKEND,
            "LOCATION": redis_url,
            "KEY_PREFIX": "storyforge",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    caches["default"].clear()
    return caches["default"]


def wait_until(condition, timeout: float, what: str, log=lambda: "", interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"{what} did not happen in {timeout} s; worker log:\n{log()[-4000:]}")


def story_statuses(story_ids) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Story.objects.filter(pk__in=story_ids).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def chat_cost(request) -> Decimal:
    """What StoryForge should charge for one successful chat request to the fake
    server: its token counts are computed the way the fake computes them."""
    from tests.fakes.openai_server.content import default_story

    messages = request.json.get("messages", [])
    prompt_tokens = max(1, len(request.prompt_text) // 4)
    completion_tokens = max(1, len(default_story(messages)) // 4)
    return (
        Decimal(prompt_tokens) * settings.OPENAI_PRICE_TEXT_INPUT
        + Decimal(completion_tokens) * settings.OPENAI_PRICE_TEXT_OUTPUT
    ) / Decimal(1_000_000)


def successful(requests, *endpoints) -> list:
    return [request for request in requests if request.endpoint in endpoints and request.reply == "ok"]


def character_of(request) -> str:
    """The first character named in a chat prompt ("1. Ada (...")."""
    for line in request.prompt_text.splitlines():
        if line.startswith("1. ") and " (" in line:
            return line[3:].split(" (", 1)[0]
    return json.dumps(request.json)[:80]
