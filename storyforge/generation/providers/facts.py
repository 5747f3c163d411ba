"""What StoryForge has learnt about each AI server it talks to: which models it
lists, whether it has moderation and images endpoints, which structured-output
mode it accepts. Kept in the shared cache, so every web and worker process pays
for a failed attempt once, not on every call; `manage.py ai_check` asks again and
writes what it found. `/readyz` and the admin show it to operators.

Facts are keyed by endpoint (a server's base URL, never its key).
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

# Fallbacks and structured-output modes hold for a day: servers are rarely upgraded
# more often, and `ai_check` relearns at once. A model list goes stale sooner, so
# that a model pulled after an error is found within minutes.
FACTS_SECONDS = 24 * 3600
MODELS_SECONDS = 600
_INDEX_KEY = "ai-facts:index"

_noted: set[tuple[str, str]] = set()


def _key(endpoint: str) -> str:
    return "ai-facts:" + hashlib.sha256(endpoint.encode()).hexdigest()[:24]


def facts_get(endpoint: str) -> dict:
    """Everything learnt about `endpoint` (empty when nothing is, or the cache is away)."""
    return cache.get(_key(endpoint)) or {}


def facts_learn(endpoint: str, **facts) -> dict:
    """Remember `facts` about `endpoint` beside what is known already; returns them all."""
    known = facts_get(endpoint) | facts | {"learnt_at": time.time()}
    cache.set(_key(endpoint), known, FACTS_SECONDS)
    index = cache.get(_INDEX_KEY) or []
    if endpoint not in index:
        cache.set(_INDEX_KEY, [*index, endpoint][-20:], FACTS_SECONDS)
    return known


def facts_forget(endpoint: str, *names: str) -> None:
    """Forget some facts about `endpoint` (all of them when no names are given)."""
    if not names:
        cache.delete(_key(endpoint))
        return
    known = {name: value for name, value in facts_get(endpoint).items() if name not in names}
    cache.set(_key(endpoint), known, FACTS_SECONDS)


def facts_all() -> dict[str, dict]:
    """What is known about every server talked to lately, by endpoint."""
    return {endpoint: facts for endpoint in cache.get(_INDEX_KEY) or [] if (facts := facts_get(endpoint))}


def models_fresh(facts: dict) -> bool:
    return "models" in facts and time.time() - facts.get("models_at", 0) < MODELS_SECONDS


def fallback_note(endpoint: str, capability: str, message: str) -> None:
    """Log, once per process, that `capability` at `endpoint` is served by a fallback."""
    if (endpoint, capability) not in _noted:
        _noted.add((endpoint, capability))
        logger.warning("%s at %s: %s", capability, endpoint, message)
