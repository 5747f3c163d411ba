"""The environment variables StoryForge reads, and how their values are parsed.

`settings.py` reads every variable through the parsers here, and falls back to a
safe default when a value is malformed instead of raising at import time; the
system checks in `checks.py` parse the same raw values again and report the
mistake with an id and a hint. `variables.py` lists every variable.
"""

from __future__ import annotations

import secrets
import string
from pathlib import Path
from urllib.parse import urlsplit

import environ

from storyforge.core import rates

# Values that appear in tutorials and templates; a key equal to one of them
# (or starting with Django's generated-for-development prefix) is not secret.
INSECURE_SECRET_KEYS = frozenset(
    ("secret", "changeme", "change-me", "change_me", "secret-key", "secret_key", "your-secret-key")
    + ("your-secret-key-here", "django-insecure", "development", "storyforge", "notsecret", "password")
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
    "reset_ip": ("STORYFORGE_RATE_RESET", "5/h"),
    "reset_email": ("STORYFORGE_RATE_RESET_EMAIL", "3/h"),
    "export_user": ("STORYFORGE_RATE_EXPORT", "30/h"),
}
AI_PROVIDERS = ("offline", "openai")
# Which providers can do what (docs/providers.md): `text-model` moderates with the text model.
CAPABILITY_PROVIDERS = {
    "STORYFORGE_TEXT_PROVIDER": ("openai", "offline"),
    "STORYFORGE_IMAGE_PROVIDER": ("openai", "automatic1111", "offline"),
    "STORYFORGE_MODERATION_PROVIDER": ("openai", "text-model", "offline"),
    "STORYFORGE_SPEECH_PROVIDER": ("openai", "offline"),
}


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


def ai_provider_choose(explicit: str, api_key: str, base_url: str = "") -> str:
    """The default AI provider: the one named, else OpenAI (or a compatible server)
    when a key or a server is set, else offline."""
    if explicit:
        return explicit.strip().lower()
    return "openai" if api_key or base_url else "offline"


def openai_official(base_url: str) -> bool:
    """Whether `base_url` is OpenAI's own service (an empty one is)."""
    return not base_url or urlsplit(base_url).hostname == "api.openai.com"


def image_size_parse(raw: str) -> tuple[int, int]:
    """`WIDTHxHEIGHT` in pixels, each a multiple of 8 from 256 to 2048 (what Stable Diffusion draws)."""
    try:
        width, height = (int(part) for part in raw.lower().replace(" ", "").split("x"))
    except ValueError:
        raise ConfigError(f"IMAGE_PAGE_SIZE is '{raw}', not WIDTHxHEIGHT such as 768x512.") from None
    for side in (width, height):
        if not 256 <= side <= 2048 or side % 8:
            raise ConfigError(f"IMAGE_PAGE_SIZE is '{raw}': each side must be a multiple of 8 from 256 to 2048.")
    return width, height


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


def rate_limits_read(raw: dict[str, str]) -> dict[str, str | None]:
    """RATE_LIMITS from the rate variables that are set (`raw`, variable -> value): each
    limit's rate, None for `off`, and its default for a malformed value (storyforge.E070)."""
    limits = {}
    for name, (variable, default) in RATE_LIMIT_VARIABLES.items():
        value = raw.get(variable, "").strip().lower() or default
        try:
            limits[name] = value if rate_parse(value, variable) else None
        except ConfigError:
            limits[name] = default
    return limits


MEDIA_STORAGES = {"local": "django.core.files.storage.FileSystemStorage", "s3": "storages.backends.s3.S3Storage"}
S3_VARIABLES = (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_REGION_NAME",
)


def media_storage_options(kind: str, environ) -> dict:
    """The settings of where stored files live: the storage backend, how files reach
    browsers by default, and django-storages' own AWS_* settings (read from the
    variables of the same names). An unknown `kind` keeps the local folder; the
    checks (storyforge.E023) say so."""
    options = {
        "MEDIA_STORAGE_BACKEND": MEDIA_STORAGES.get(kind, MEDIA_STORAGES["local"]),
        "MEDIA_SENDFILE_DEFAULT": "redirect" if kind == "s3" else "app",
    }
    # Read whatever the storage: `media_copy --to s3` fills the bucket before the switch.
    options.update({name: environ.get(name, "").strip() or None for name in S3_VARIABLES})
    try:
        expire = int(environ.get("AWS_QUERYSTRING_EXPIRE", "") or 300)
    except ValueError:
        expire = -1  # storyforge.E024 names it
    options.update(
        # The bucket stays private: objects get no public ACL, addresses are signed and
        # last AWS_QUERYSTRING_EXPIRE seconds, and a name is never overwritten.
        AWS_DEFAULT_ACL=None,
        AWS_QUERYSTRING_AUTH=True,
        AWS_QUERYSTRING_EXPIRE=expire,
        AWS_S3_FILE_OVERWRITE=False,
        AWS_S3_SIGNATURE_VERSION="s3v4",
        AWS_S3_ADDRESSING_STYLE=environ.get("AWS_S3_ADDRESSING_STYLE", "").strip() or "path",
    )
    options["MEDIA_ORIGIN"] = media_origin(options) if kind == "s3" else ""
    return options


def media_origin(options: dict) -> str:
    """The origin browsers fetch stored files from when /media/ redirects them to the
    bucket, for the Content-Security-Policy. AWS itself (no endpoint) serves buckets
    under many amazonaws.com names; a malformed endpoint (storyforge.E024) gives ""."""
    if not options.get("AWS_S3_ENDPOINT_URL"):
        return "https://*.amazonaws.com"
    try:
        parts = urlsplit(options["AWS_S3_ENDPOINT_URL"])
    except ValueError:  # such as http://[::1
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    virtual = options.get("AWS_S3_ADDRESSING_STYLE") == "virtual" and options.get("AWS_STORAGE_BUCKET_NAME")
    return f"{parts.scheme}://{options['AWS_STORAGE_BUCKET_NAME'] + '.' if virtual else ''}{parts.netloc}"


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
        queue = str(folder / "queue")
        # kombu looks in the folder once a second unless told: a new task would wait up to that.
        return {
            "data_folder_in": queue,
            "data_folder_out": queue,
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
            "polling_interval": 0.05,
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


def email_options(email_url: str) -> dict:
    """Django's EMAIL_* settings: the console unless EMAIL_URL names a server
    (smtp://user:pass@host:587); a malformed URL keeps the console."""
    options = {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if not email_url:
        return options
    try:
        parsed = environ.Env.email_url_config(email_url)
    except Exception:
        return options
    return options | {
        "EMAIL_BACKEND": parsed.get("EMAIL_BACKEND", options["EMAIL_BACKEND"]),
        "EMAIL_HOST": parsed.get("EMAIL_HOST", "localhost"),
        "EMAIL_PORT": parsed.get("EMAIL_PORT", 25),
        "EMAIL_HOST_USER": parsed.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": parsed.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": parsed.get("EMAIL_USE_TLS", False),
        "EMAIL_USE_SSL": parsed.get("EMAIL_USE_SSL", False),
    }


def logging_options(level: str, log_format: str) -> dict:
    """LOGGING: one console handler, plain or JSON lines, each with the request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "storyforge.core.logging.RequestIdFilter"}},
        "formatters": {
            "plain": {"()": "storyforge.core.logging.PlainFormatter"},
            "json": {"()": "storyforge.core.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        # Django's own loggers go through the root handler too, in the same format (its
        # defaults would print some lines twice while DEBUG is on); never its SQL lines.
        "loggers": {"django": {"handlers": [], "level": "INFO" if level == "DEBUG" else level, "propagate": True}},
    }


def content_security_policy(*, media_origin: str = "") -> dict:
    """CONTENT_SECURITY_POLICY: scripts, styles, fonts, images and sound only from this
    site (no CDN, no inline scripts); the API docs page's assets are served locally too.
    `media_origin`: the object storage that /media/ redirects pictures and sounds to
    (MEDIA_SENDFILE=redirect), for the page and for the service worker's fetches."""
    media = [media_origin] if media_origin else []
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", "blob:", *media],
            "font-src": ["'self'"],
            "connect-src": ["'self'", *media],
            "media-src": ["'self'", *media],
            "worker-src": ["'self'"],
            "manifest-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
    }
