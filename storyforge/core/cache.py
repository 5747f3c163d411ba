"""The shared cache on Redis, failing open.

Django's RedisCache raises when Redis does not answer, which would turn every page
that reads a cached value into a 500 while Redis restarts. The cache only holds
what can be lost or recomputed (cached fragments, counters, the circuit breaker's
state), so while Redis is away this backend answers as an empty cache that keeps
nothing: reads miss, writes are dropped, `incr` returns None ("no count", which
the rate limits treat according to RATELIMIT_FAIL_OPEN). Each failure is logged;
nothing needs restarting when Redis comes back. See docs/resilience.md.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class FailOpenRedisCache(RedisCache):
    def _failed(self, operation: str, fallback):
        logger.warning("cache %s skipped: Redis is not answering", operation)
        return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE:
            return self._failed("add", False)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE:
            return self._failed("get", default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE:
            self._failed("set", None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE:
            return self._failed("touch", False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE:
            return self._failed("delete", False)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE:
            return self._failed("get_many", {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE:
            return self._failed("has_key", False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE:
            return self._failed("incr", None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE:
            return self._failed("set_many", list(data))

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNAVAILABLE:
            self._failed("delete_many", None)

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE:
            return self._failed("clear", False)
