"""Where the limits come from: the client's address behind proxies, the rates read
from the environment and their checks, and the cache the counts need."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storyforge import checks, config
from storyforge.core.api import StandardPagination
from storyforge.core.ratelimit import client_ip

ROOT = Path(__file__).resolve().parents[3]


# Client addresses behind proxies


def test_the_client_address_is_remote_addr_without_proxies(rf, settings):
    settings.RATELIMIT_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"  # a client cannot choose its address


def test_behind_one_proxy_the_address_it_saw_is_used(rf, settings):
    settings.RATELIMIT_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"  # what the client wrote itself (6.6.6.6) is ignored
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")) == "10.0.0.5"


# Configuration: the rates, and the cache they need


@pytest.mark.parametrize(
    ("raw", "expected"), [("5/m", (5, 60)), ("30/h", (30, 3600)), ("100/10m", (100, 600)), ("1/d", (1, 86400))]
)
def test_rates_are_written_as_django_ratelimit_writes_them(raw, expected):
    assert config.rate_parse(raw) == expected


@pytest.mark.parametrize("raw", ["5", "five/m", "5/w", "5/m/h", "", "5/0m"])
def test_a_malformed_rate_is_a_config_error_naming_the_variable(raw):
    with pytest.raises(config.ConfigError, match="STORYFORGE_RATE_API"):
        config.rate_parse(raw, "STORYFORGE_RATE_API")


def test_off_means_no_limit():
    assert config.rate_parse(" OFF ") is None


def test_a_malformed_rate_variable_is_reported_by_its_check(settings):
    settings.RATE_LIMITS_FROM_ENV = {"STORYFORGE_RATE_API": "lots", "STORYFORGE_RATE_LOGIN": "10/m"}
    [message] = checks.check_rate_limits()
    assert message.id == "storyforge.E070" and "STORYFORGE_RATE_API" in message.msg


def test_the_rate_variables_fill_rate_limits_and_a_bad_one_is_reported(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS"))}
    env.update(
        {
            "STORYFORGE_READ_DOT_ENV": "0",
            "STORYFORGE_VAR_DIR": str(tmp_path / "var"),
            "STORYFORGE_RATE_API": "100/10m",
            "STORYFORGE_RATE_SIGNUP": "off",
            "STORYFORGE_RATE_LOGIN": "plenty",
        }
    )
    script = (
        "from django.conf import settings; from django.core.management import call_command; "
        "print(sorted(settings.RATE_LIMITS.items())); call_command('check')"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "('api_user', '100/10m')" in result.stdout
    assert "('signup_ip', None)" in result.stdout
    assert "('login_user', '5/m')" in result.stdout  # the default while the value is wrong
    assert "storyforge.E070" in result.stderr and "STORYFORGE_RATE_LOGIN" in result.stderr


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_production_rate_limits_on_a_cache_processes_cannot_share_are_warned_about(settings, backend):
    settings.PRODUCTION = True
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "/tmp/unused"}}
    [message] = checks.check_rate_limit_cache()
    assert message.id == "storyforge.W062"
    assert "REDIS_URL" in message.hint


def test_production_rate_limits_on_redis_are_fine(settings):
    settings.PRODUCTION = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/0"}
    }
    assert checks.check_rate_limit_cache() == []


def test_development_may_count_in_local_memory(settings):
    settings.PRODUCTION = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert checks.check_rate_limit_cache() == []


def test_the_default_page_size_is_twenty_and_at_most_a_hundred():
    assert (StandardPagination.page_size, StandardPagination.max_page_size) == (20, 100)
