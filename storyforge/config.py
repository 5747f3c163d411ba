"""The environment variables StoryForge reads, and how their values are parsed.

`settings.py` reads every variable through the parsers here, and falls back to a
safe default when a value is malformed instead of raising at import time; the
system checks in `checks.py` parse the same raw values again and report the
mistake with an id and a hint. The README's configuration table lists exactly
the variables in `VARIABLES` (a test holds the two together).
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import environ

from storyforge.core import rates


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    meaning: str


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "STORYFORGE_ENV",
        "development",
        "`development` or `production`. Production turns DEBUG off and makes the secret key and hosts mandatory.",
    ),
    Variable("STORYFORGE_READ_DOT_ENV", "`1`", "`0` ignores the `.env` file in the project folder."),
    Variable("DEBUG", "on in development, off in production", "Django's debug pages. Never on in production."),
    Variable(
        "SECRET_KEY",
        "generated once into `var/secret_key` in development; none in production",
        "Signs sessions and tokens. At least 50 characters, many distinct.",
    ),
    Variable(
        "ALLOWED_HOSTS",
        "`127.0.0.1,localhost` (any host in development)",
        "Comma-separated host names the site answers to.",
    ),
    Variable(
        "CSRF_TRUSTED_ORIGINS",
        "empty",
        "Comma-separated origins (`https://books.example.org`) allowed to post forms, when behind a proxy.",
    ),
    Variable(
        "STORYFORGE_VAR_DIR",
        "`var/` in the project folder",
        "Where the embedded defaults keep their data: SQLite database, media, logs, broker queue, cache.",
    ),
    Variable(
        "DATABASE_URL", "SQLite at `var/storyforge.sqlite3`", "`postgres://user:pass@host:5432/name` for PostgreSQL."
    ),
    Variable(
        "DATABASE_CONN_MAX_AGE",
        "`60`",
        "Seconds a database connection is kept open between requests (0 closes it after each request).",
    ),
    Variable(
        "DATABASE_POOL_MAX_SIZE",
        "`0`: no pool",
        "PostgreSQL: connections in each process's psycopg pool (`DATABASE_CONN_MAX_AGE` is then ignored). See docs/performance.md.",
    ),
    Variable(
        "DATABASE_POOL_TIMEOUT",
        "`10`",
        "Seconds a request waits for a free pool connection before answering 503 SERVICE_UNAVAILABLE.",
    ),
    Variable(
        "REDIS_URL",
        "unset: file cache under `var/cache/`, broker queue under `var/broker/`",
        "`redis://host:6379/0`: the shared cache, rate-limit counters and circuit breaker, and the Celery broker.",
    ),
    Variable(
        "CELERY_BROKER_URL",
        "`REDIS_URL`, else a folder queue under `var/broker/`",
        "Overrides the Celery broker on its own.",
    ),
    Variable(
        "CELERY_VISIBILITY_TIMEOUT",
        "`3600`",
        "Seconds before a task whose worker died is given to another worker (Redis broker).",
    ),
    Variable("MEDIA_ROOT", "`var/media/`", "Where portraits and illustrations are stored."),
    Variable(
        "SERVE_MEDIA", "on", "The app serves MEDIA_ROOT itself; turn off when a web server or object storage does."
    ),
    Variable("MEDIA_URL", "`/media/`", "URL prefix of stored images."),
    Variable("STATIC_ROOT", "`var/static/`", "Where `collectstatic` gathers static files for production."),
    Variable("LOG_DIR", "`var/log/`", "Where the process manager writes each process's log."),
    Variable("LOG_LEVEL", "`INFO`", "Lowest level of log lines written."),
    Variable(
        "LOG_FORMAT",
        "`plain`",
        "`plain` (time, level, logger, request id, message) or `json` (one JSON object per line, for log collectors).",
    ),
    Variable(
        "STORYFORGE_RATE_LOGIN",
        "`5/m`",
        "Log-in attempts per username; rates are `N/s`, `N/m`, `N/h`, `N/d` or `N/10m`, `off` for none. See docs/errors.md.",
    ),
    Variable("STORYFORGE_RATE_LOGIN_IP", "`20/m`", "Log-in attempts per client address."),
    Variable("STORYFORGE_RATE_SIGNUP", "`5/h`", "Sign-ups per client address."),
    Variable("STORYFORGE_RATE_GENERATION", "`30/h`", "Generation requests (stories, portraits, pages) per user."),
    Variable("STORYFORGE_RATE_API", "`600/m`", "API requests per user (per client address before logging in)."),
    Variable(
        "STORYFORGE_LOGIN_LOCKOUT",
        "`5`",
        "Failed log-ins for one username, from any address, after which it is locked for a while; `0` turns it off.",
    ),
    Variable("STORYFORGE_LOGIN_LOCKOUT_SECONDS", "`900`", "How long a locked username stays locked."),
    Variable(
        "STORYFORGE_PROXY_COUNT",
        "`0`",
        "Reverse proxies in front of StoryForge that add to `X-Forwarded-For`; rate limits by address read the client's address from it.",
    ),
    Variable(
        "STORYFORGE_AI_PROVIDER",
        "`openai` when `OPENAI_API_KEY` is set, else `offline`",
        "`offline` (built-in storyteller and illustrator, no network) or `openai` (any OpenAI-compatible server).",
    ),
    Variable(
        "OPENAI_API_KEY",
        "unset",
        "Key for the OpenAI API or a compatible server. Setting it selects the OpenAI provider.",
    ),
    Variable(
        "OPENAI_BASE_URL",
        "OpenAI's own API",
        "Base URL of an OpenAI-compatible server, e.g. `http://127.0.0.1:11434/v1` for Ollama.",
    ),
    Variable("OPENAI_TEXT_MODEL", "`gpt-5.4-mini`", "Model that writes the stories."),
    Variable("OPENAI_IMAGE_MODEL", "`gpt-image-2`", "Model that draws portraits and illustrations."),
    Variable(
        "OPENAI_MODERATION_MODEL", "`omni-moderation-latest`", "Model that checks text before and after generation."
    ),
    Variable(
        "OPENAI_PRICE_TEXT_INPUT",
        "`0.15`",
        "US dollars per million input tokens of the text model, for usage and budgets.",
    ),
    Variable("OPENAI_PRICE_TEXT_OUTPUT", "`0.60`", "US dollars per million output tokens of the text model."),
    Variable("OPENAI_PRICE_IMAGE", "`0.04`", "US dollars per image drawn."),
    Variable("OPENAI_TIMEOUT", "`60`", "Seconds to wait for one AI call before it counts as a transient failure."),
    Variable(
        "SECURE_SSL_REDIRECT", "on in production", "Redirect plain HTTP to HTTPS; turn off when a proxy already does."
    ),
    Variable(
        "EMAIL_URL",
        "unset: emails are printed to the console",
        "`smtp://user:password@host:587` (or `smtp+tls://`) to send password-reset emails.",
    ),
    Variable("DEFAULT_FROM_EMAIL", "`StoryForge <storyforge@localhost>`", "Sender of StoryForge's emails."),
    Variable("PORT", "`8000`", "Port `make run` and the `web` process listen on."),
    Variable("BIND_ADDRESS", "`127.0.0.1`", "Address the `web` process listens on; `0.0.0.0` to serve other machines."),
    Variable("WEB_CONCURRENCY", "`2`", "Number of gunicorn worker processes in `web`."),
    Variable("WORKER_CONCURRENCY", "`2`", "Number of tasks one `worker` process runs at once."),
    Variable(
        "METRICS_TOKEN",
        "unset: only requests from this machine",
        "Bearer token that opens `/metrics` to Prometheus from elsewhere (`Authorization: Bearer <token>`).",
    ),
    Variable(
        "PROMETHEUS_MULTIPROC_DIR",
        "unset: each process counts on its own",
        "An empty folder shared by the web and worker processes of one machine; `/metrics` then adds up all of them.",
    ),
)

KNOWN_NAMES = frozenset(v.name for v in VARIABLES)
# Read only by the test suite (see docs/testing.md); known so that the spelling
# check does not warn about them.
INTERNAL_NAMES = frozenset({"STORYFORGE_REQUIRE_SERVICES", "STORYFORGE_TEST_DATABASE"})

# Values that appear in tutorials and templates; a key equal to one of them
# (or starting with Django's generated-for-development prefix) is not secret.
INSECURE_SECRET_KEYS = frozenset(
    {
        "secret",
        "changeme",
        "change-me",
        "change_me",
        "secret-key",
        "secret_key",
        "your-secret-key",
        "your-secret-key-here",
        "django-insecure",
        "development",
        "storyforge",
        "notsecret",
        "password",
    }
)
INSECURE_SECRET_KEY_PREFIXES = ("django-insecure-",)
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5

DATABASE_SCHEMES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}
REDIS_SCHEMES = ("redis", "rediss", "unix")

# The rate limits (settings.RATE_LIMITS): name -> (variable, default).
RATE_LIMIT_VARIABLES = {
    "login_user": ("STORYFORGE_RATE_LOGIN", "5/m"),
    "login_ip": ("STORYFORGE_RATE_LOGIN_IP", "20/m"),
    "signup_ip": ("STORYFORGE_RATE_SIGNUP", "5/h"),
    "generation_user": ("STORYFORGE_RATE_GENERATION", "30/h"),
    "api_user": ("STORYFORGE_RATE_API", "600/m"),
}
AI_PROVIDERS = ("offline", "openai")


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""


def secret_key_problem(key: str) -> str | None:
    """Say what is weak about a secret key, or None when it is acceptable."""
    if key.lower() in INSECURE_SECRET_KEYS or key.startswith(INSECURE_SECRET_KEY_PREFIXES):
        return "is a well-known insecure value"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is {len(key)} characters long; it needs at least {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        return f"has only {len(set(key))} distinct characters; it needs at least {SECRET_KEY_MIN_DISTINCT}"
    return None


def secret_key_generate() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(64))


def secret_key_load_or_create(path: Path) -> str | None:
    """The development secret key kept in `path`, created on first use.

    Returns None when the file can neither be read nor written; the directory
    check then tells the user why.
    """
    try:
        key = path.read_text().strip()
        if key:
            return key
    except OSError:
        pass
    key = secret_key_generate()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        path.write_text(key + "\n")
    except OSError:
        return None
    return key


def database_config(raw: str) -> dict:
    """Django DATABASES entry for a DATABASE_URL, or ConfigError saying what is wrong."""
    try:
        parts = urlsplit(raw)
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL cannot be parsed as a URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in DATABASE_SCHEMES:
        known = ", ".join(sorted(DATABASE_SCHEMES))
        raise ConfigError(f"DATABASE_URL has the scheme '{scheme or '(none)'}'; StoryForge understands {known}")
    if DATABASE_SCHEMES[scheme].endswith("postgresql"):
        try:
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            raise ConfigError("DATABASE_URL has a port that is not a number") from None
        if not parts.path.strip("/"):
            raise ConfigError("DATABASE_URL names no database (the part after the last '/')")
        if not parts.hostname and "host=" not in parts.query:
            raise ConfigError("DATABASE_URL names no host")
    try:
        return environ.Env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several kinds for odd input
        raise ConfigError(f"DATABASE_URL cannot be used ({exc.__class__.__name__})") from None


def redis_url_check(raw: str, variable: str = "REDIS_URL") -> str:
    """The URL itself when it is a usable Redis URL, else ConfigError."""
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ConfigError(f"{variable} has a port that is not a number") from None
    if parts.scheme not in REDIS_SCHEMES:
        raise ConfigError(f"{variable} has the scheme '{parts.scheme or '(none)'}'; use redis://, rediss:// or unix://")
    if parts.scheme == "unix":
        if not parts.path:
            raise ConfigError(f"{variable} names no socket path")
        return raw
    if not parts.hostname:
        raise ConfigError(f"{variable} names no host")
    if port is not None and not 0 < port < 65536:
        raise ConfigError(f"{variable} has the port {port}, outside 1-65535")
    db = parts.path.strip("/")
    if db and not db.isdigit():
        raise ConfigError(f"{variable} names the database '{db}'; Redis databases are numbers")
    return raw


def broker_url_check(raw: str) -> str:
    """A Celery broker URL: Redis, or kombu's server-less `filesystem://` and `memory://`."""
    if raw.startswith(("filesystem://", "memory://")):
        return raw
    return redis_url_check(raw, "CELERY_BROKER_URL")


def rate_parse(raw: str, variable: str = "the rate") -> tuple[int, int] | None:
    """storyforge.core.rates.rate_parse, its mistakes as ConfigError."""
    try:
        return rates.rate_parse(raw, variable)
    except ValueError as error:
        raise ConfigError(str(error)) from None


def ai_provider_choose(explicit: str, api_key: str) -> str:
    """The AI provider in force: the one named, else OpenAI when a key is set, else offline."""
    if explicit:
        return explicit.strip().lower()
    return "openai" if api_key else "offline"


def database_options(database: dict, *, conn_max_age: int, pool_max_size: int, pool_timeout: float) -> dict:
    """DATABASES["default"] for `database` (from database_config, or SQLite's)."""
    database = {**database, "OPTIONS": dict(database.get("OPTIONS", {}))}
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web and worker processes read while the other writes.
        database["OPTIONS"].update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
        return database
    database["CONN_MAX_AGE"] = conn_max_age
    database["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer fails the request (503) instead of hanging it.
    database["OPTIONS"].setdefault("connect_timeout", 5)
    # A psycopg pool per process (threaded gunicorn workers, Celery threads). Django
    # refuses persistent connections beside a pool: the pool keeps them instead.
    if pool_max_size:
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": pool_max_size,
            # Seconds a request waits for a free connection before failing (503).
            "timeout": max(0.1, pool_timeout),
        }
    return database


def cache_options(redis_url: str, *, folder: Path) -> dict:
    """CACHES["default"]: Redis when configured, else a folder the processes share."""
    if not redis_url:
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(folder)}
    return {
        # Fails open: while Redis is away, reads miss and writes are dropped instead
        # of every page answering 500 (storyforge/core/cache.py). Short socket
        # timeouts, so a Redis that hangs costs a request at most a second.
        "BACKEND": "storyforge.core.cache.FailOpenRedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": "storyforge",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def broker_transport_options(broker_url: str, *, folder: Path, visibility_timeout: int) -> dict:
    """CELERY_BROKER_TRANSPORT_OPTIONS: the folder queue's folders, or Redis's timeouts."""
    if broker_url.startswith("filesystem://"):
        return {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
        }
    # A task not acknowledged within this many seconds (its worker died) goes to
    # another worker: longer than any job runs, or it would run twice. Workers look
    # for such tasks every few seconds under a Redis lock; one killed holding the
    # lock stops all looking until it expires (kombu: 5 min), so it expires sooner.
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": max(1, min(10, visibility_timeout // 3)),
        "unacked_restore_throttle": 1,
        "unacked_mutex_expire": max(5, min(300, visibility_timeout)),
    }
