"""StoryForge settings: every value comes from the environment (or an optional `.env`
file) and has an embedded default that works on a laptop with nothing installed.

A malformed value never raises here: the setting falls back to its default and
the matching system check in `storyforge/checks.py` reports the mistake.
See the configuration table in the README for every variable.
"""

import os
from decimal import Decimal
from pathlib import Path

import environ

from storyforge import config
from storyforge.core import queues

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if os.environ.get("STORYFORGE_READ_DOT_ENV", "1") != "0":
    environ.Env.read_env(BASE_DIR / ".env")  # no-op when the file does not exist


def _flag(name: str, default: bool) -> bool:
    try:
        return env.bool(name, default=default)
    except ValueError:
        return default


def _number(name: str, default, kind=int):
    """A number from the environment, or the default when the value is not one."""
    try:
        return kind(env.str(name, default=str(default)))
    except (ValueError, ArithmeticError):
        return kind(default)


STORYFORGE_ENV = env.str("STORYFORGE_ENV", default="development").strip().lower()
PRODUCTION = STORYFORGE_ENV == "production"
DEBUG = _flag("DEBUG", not PRODUCTION)

VAR_DIR = Path(env.str("STORYFORGE_VAR_DIR", default=str(BASE_DIR / "var"))).expanduser()
LOG_DIR = Path(env.str("LOG_DIR", default=str(VAR_DIR / "log"))).expanduser()

# Secret key: required in production; in development one is generated once and
# kept under var/ so that sessions survive restarts.
SECRET_KEY_SOURCE = "environment"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and not PRODUCTION:
    SECRET_KEY = config.secret_key_load_or_create(VAR_DIR / "secret_key") or ""
    SECRET_KEY_SOURCE = "file"
if not SECRET_KEY:
    # Django refuses an empty key when it is first used; this placeholder lets the
    # system check storyforge.E001 explain what to do instead of a traceback.
    SECRET_KEY = "storyforge-missing-secret-key-set-the-SECRET_KEY-variable"
    SECRET_KEY_SOURCE = "missing"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # The project, then its layers and apps from the bottom up (docs/architecture.md).
    "storyforge",
    "storyforge.core",
    "storyforge.generation",
    "characters",
    "stories",
    "accounts",
    "storyforge.operations",
]

MIDDLEWARE = [
    # Outermost: times the whole answer, counts its queries, sees its final status.
    "storyforge.core.metrics.MetricsMiddleware",
    # First after it, so that every answer (a redirect, an error page) carries the request id.
    "storyforge.core.middleware.RequestIdMiddleware",
    "storyforge.core.middleware.RateLimitHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees a view's exception first: DomainError -> its error page.
    "storyforge.core.middleware.ErrorPageMiddleware",
]

ROOT_URLCONF = "storyforge.urls"
WSGI_APPLICATION = "storyforge.wsgi.application"
ASGI_APPLICATION = "storyforge.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "storyforge.core.context.error_codes",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
SQLITE_PATH = VAR_DIR / "storyforge.sqlite3"
DATABASE_URL = env.str("DATABASE_URL", default="")
try:
    _database = config.database_config(DATABASE_URL) if DATABASE_URL else None
except config.ConfigError:
    _database = None  # reported by storyforge.E040
DATABASE_POOL_MAX_SIZE = max(0, _number("DATABASE_POOL_MAX_SIZE", 0))
_database = config.database_options(
    _database or {"ENGINE": "django.db.backends.sqlite3", "NAME": str(SQLITE_PATH)},
    conn_max_age=_number("DATABASE_CONN_MAX_AGE", 60),
    pool_max_size=DATABASE_POOL_MAX_SIZE,
    pool_timeout=_number("DATABASE_POOL_TIMEOUT", 10, float),
)
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: one URL for the shared cache and the broker. Without it the cache is a
# folder that the web and worker processes share, and the broker a folder queue.
REDIS_URL = env.str("REDIS_URL", default="")
try:
    _redis = config.redis_url_check(REDIS_URL) if REDIS_URL else ""
except config.ConfigError:
    _redis = ""  # reported by storyforge.E041
CACHES = {"default": config.cache_options(_redis, folder=VAR_DIR / "cache")}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Email: printed to the console unless EMAIL_URL names a server (smtp://user:pass@host:587).
EMAIL_URL = env.str("EMAIL_URL", default="")
globals().update(config.email_options(EMAIL_URL))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="StoryForge <storyforge@localhost>")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))).expanduser()
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))).expanduser()
# Where pictures and sounds are kept (docs/operations.md): `local` (MEDIA_ROOT) or `s3`
# (django-storages, with its standard AWS_* variables: MinIO, Ceph, R2, Garage...).
STORYFORGE_MEDIA_STORAGE = env.str("STORYFORGE_MEDIA_STORAGE", default="local").strip().lower()
_media = config.media_storage_options(STORYFORGE_MEDIA_STORAGE, os.environ)
globals().update(_media)
# Stored files are private (storyforge/core/private_media.py): the app checks who asks,
# then sends the bytes itself, hands them to nginx or Apache, or redirects to a
# short-lived signed address in the bucket (docs/security.md).
MEDIA_SENDFILE = env.str("MEDIA_SENDFILE", default=_media["MEDIA_SENDFILE_DEFAULT"]).strip().lower()
MEDIA_SENDFILE_PREFIX = env.str("MEDIA_SENDFILE_PREFIX", default="/protected-media/")
STORAGES = {
    "default": {"BACKEND": _media["MEDIA_STORAGE_BACKEND"]},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# AI providers, one per capability (docs/providers.md). STORYFORGE_AI_PROVIDER is
# the default for all three: named explicitly, else OpenAI (or any compatible
# server) when a key or a server is set, else the built-in one. An empty
# capability setting follows it, and falls back when the server lacks the endpoint.
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
STORYFORGE_AI_PROVIDER = config.ai_provider_choose(
    env.str("STORYFORGE_AI_PROVIDER", default=""), OPENAI_API_KEY, OPENAI_BASE_URL
)
STORYFORGE_TEXT_PROVIDER = env.str("STORYFORGE_TEXT_PROVIDER", default="").strip().lower()
STORYFORGE_IMAGE_PROVIDER = env.str("STORYFORGE_IMAGE_PROVIDER", default="").strip().lower()
STORYFORGE_MODERATION_PROVIDER = env.str("STORYFORGE_MODERATION_PROVIDER", default="").strip().lower()
STORYFORGE_AI_PROVIDERS = {
    "offline": "storyforge.generation.providers.offline.OfflineProvider",
    "openai": "storyforge.generation.providers.openai.OpenAIProvider",
    "automatic1111": "storyforge.generation.providers.automatic1111.Automatic1111Provider",
}
OPENAI_TEXT_MODEL = env.str("OPENAI_TEXT_MODEL", default="gpt-5.4-mini")
OPENAI_MODERATION_MODEL = env.str("OPENAI_MODERATION_MODEL", default="omni-moderation-latest")
OPENAI_TIMEOUT = _number("OPENAI_TIMEOUT", 60.0, float)

# Pictures: their own server and key when they come from elsewhere (empty: the
# OPENAI_* values), a longer timeout (local pictures are slow), and how many may
# be drawn at once across all workers (unset: 1 for AUTOMATIC1111, no limit else).
IMAGE_BASE_URL = env.str("IMAGE_BASE_URL", default="")
IMAGE_API_KEY = env.str("IMAGE_API_KEY", default="")
_IMAGE_PROVIDER = STORYFORGE_IMAGE_PROVIDER or STORYFORGE_AI_PROVIDER
# Empty for AUTOMATIC1111: the checkpoint the server has loaded.
OPENAI_IMAGE_MODEL = env.str("OPENAI_IMAGE_MODEL", default="" if _IMAGE_PROVIDER == "automatic1111" else "gpt-image-2")
IMAGE_TIMEOUT = _number("IMAGE_TIMEOUT", 180.0, float)
IMAGE_MAX_CONCURRENCY = _number("IMAGE_MAX_CONCURRENCY", -1) if env.str("IMAGE_MAX_CONCURRENCY", default="") else None
if IMAGE_MAX_CONCURRENCY is not None and IMAGE_MAX_CONCURRENCY < 0:
    IMAGE_MAX_CONCURRENCY = None  # malformed: the default, and check_ai_providers says so
IMAGE_DENOISING_STRENGTH = _number("IMAGE_DENOISING_STRENGTH", 0.6, float)
# Speech (narration): its own server when it is not the text server (empty: OPENAI_*).
STORYFORGE_SPEECH_PROVIDER = env.str("STORYFORGE_SPEECH_PROVIDER", default="").strip().lower()
SPEECH_BASE_URL = env.str("SPEECH_BASE_URL", default="")
SPEECH_API_KEY = env.str("SPEECH_API_KEY", default="")
OPENAI_SPEECH_MODEL = env.str("OPENAI_SPEECH_MODEL", default="gpt-4o-mini-tts")
OPENAI_SPEECH_VOICE = env.str("OPENAI_SPEECH_VOICE", default="coral")
IMAGE_PAGE_SIZE = env.str("IMAGE_PAGE_SIZE", default="768x512")

# Prices in US dollars, for the usage figures and the daily budget: per million
# text tokens (input and output), and per image. A server of one's own costs
# nothing per call, so the defaults are OpenAI's prices only for OpenAI's service.
_PRICED = config.openai_official(OPENAI_BASE_URL)
OPENAI_PRICE_TEXT_INPUT = _number("OPENAI_PRICE_TEXT_INPUT", "0.15" if _PRICED else "0", Decimal)
OPENAI_PRICE_TEXT_OUTPUT = _number("OPENAI_PRICE_TEXT_OUTPUT", "0.60" if _PRICED else "0", Decimal)
OPENAI_PRICE_SPEECH = _number(  # per million characters read aloud
    "OPENAI_PRICE_SPEECH", "15" if config.openai_official(SPEECH_BASE_URL or OPENAI_BASE_URL) else "0", Decimal
)
OPENAI_PRICE_IMAGE = _number(
    "OPENAI_PRICE_IMAGE", "0.04" if config.openai_official(IMAGE_BASE_URL or OPENAI_BASE_URL) else "0", Decimal
)


# Generation: retries, deadlines, the circuit breaker and each user's daily budget.
STORYFORGE_RETRY_LIMIT = _number("STORYFORGE_RETRY_LIMIT", 5)
STORYFORGE_RETRY_BACKOFF_MAX = _number("STORYFORGE_RETRY_BACKOFF_MAX", 60.0, float)
STORYFORGE_JOB_TIMEOUT = _number("STORYFORGE_JOB_TIMEOUT", 600)
STORYFORGE_BREAKER_FAILURES = _number("STORYFORGE_BREAKER_FAILURES", 5)
STORYFORGE_BREAKER_COOLOFF = _number("STORYFORGE_BREAKER_COOLOFF", 30.0, float)
STORYFORGE_DAILY_BUDGET = _number("STORYFORGE_DAILY_BUDGET", "2.00", Decimal)
STORYFORGE_DAILY_GENERATIONS = _number("STORYFORGE_DAILY_GENERATIONS", 100)
STORYFORGE_PORTRAIT_CANDIDATES = _number("STORYFORGE_PORTRAIT_CANDIDATES", 3)

# Celery: the worker runs over Redis when it is configured, else over a folder
# queue that needs no server.
BROKER_URL_FROM_ENV = env.str("CELERY_BROKER_URL", default="")
try:
    _broker = config.broker_url_check(BROKER_URL_FROM_ENV) if BROKER_URL_FROM_ENV else ""
except config.ConfigError:
    _broker = ""  # reported by storyforge.E042
CELERY_BROKER_URL = _broker or _redis or "filesystem://"
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = config.broker_transport_options(
    CELERY_BROKER_URL, folder=BROKER_DIR, visibility_timeout=_number("CELERY_VISIBILITY_TIMEOUT", 3600)
)
# Two queues (storyforge/core/queues.py): `ai` for AI calls, `cpu` for drawing and rendering.
globals().update(queues.celery_options())
CELERY_BEAT_SCHEDULE = {
    "reap-stuck-jobs": {"task": "storyforge.generation.tasks.jobs_reap", "schedule": 60.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

PORT = env.str("PORT", default="8000")

# Operations (docs/operations.md): /metrics answers this bearer token (and requests
# from this machine); /readyz gives each dependency this many seconds. Probes speak
# plain HTTP to the process itself, so the HTTPS redirect leaves them alone.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
HEALTH_CHECK_TIMEOUT = 2.0
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header is what makes DRF answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "storyforge.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "storyforge.core.api.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["storyforge.core.api.ApiUserRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}

# The OpenAPI schema (/api/schema/) and its interactive docs (/api/docs/), whose
# Swagger UI files come from drf-spectacular-sidecar and are served by the app: no CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": "StoryForge API",
    "DESCRIPTION": (
        "Characters, stories and their generation, for your own scripts and apps. "
        "Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/). "
        'Every error has the shape {"error": {"code", "message", "details", "request_id"}}; '
        "see docs/api.md and docs/errors.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # <id:...> in API addresses (storyforge.core.api_schema.ObjectIdConverter).
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
    # Several models have a `status` or `kind`, and users and stories an age group:
    # one named enum each, not a warning.
    "ENUM_NAME_OVERRIDES": {
        "CharacterStatusEnum": "characters.models.Character.Status",
        "CharacterKindEnum": "characters.catalogue.Kind",
        "StoryStatusEnum": "stories.models.StoryStatus",
        "JobStatusEnum": "storyforge.generation.models.JobStatus",
        "RelationshipKindEnum": "characters.models.RelationshipKind",
        "AgeGroupEnum": "storyforge.core.reading.AgeGroup",
    },
}

# Rate limits, shared by the HTML views (storyforge.core.ratelimit.rate_limit) and the
# API throttles (storyforge.core.api): name -> "N/period" (5/m, 30/h, 100/10m), or None
# for no limit. A malformed value falls back to its default (storyforge.E070).
RATE_LIMITS_FROM_ENV = {
    name: os.environ[name] for name, _ in config.RATE_LIMIT_VARIABLES.values() if os.environ.get(name)
}
RATE_LIMITS = config.rate_limits_read(RATE_LIMITS_FROM_ENV)
# Who may make an account (docs/security.md): `open`, `invite` (one-time links from the
# admin or `manage.py invite`) or `closed`; invite-only in production unless opened.
STORYFORGE_SIGNUP = env.str("STORYFORGE_SIGNUP", default="invite" if PRODUCTION else "open").strip().lower()
STORYFORGE_INVITE_DAYS = _number("STORYFORGE_INVITE_DAYS", 14)
# API tokens expire this many days after they were made; 0 keeps them until revoked.
STORYFORGE_TOKEN_DAYS = _number("STORYFORGE_TOKEN_DAYS", 0)
# Failed log-ins for one username before it is locked, and for how long.
STORYFORGE_LOGIN_LOCKOUT = _number("STORYFORGE_LOGIN_LOCKOUT", 5)
STORYFORGE_LOGIN_LOCKOUT_SECONDS = _number("STORYFORGE_LOGIN_LOCKOUT_SECONDS", 900)
# django-ratelimit: the client address behind STORYFORGE_PROXY_COUNT proxies, the
# shared cache, and a 429 page (not its default 403) for views using it directly.
RATELIMIT_PROXY_COUNT = _number("STORYFORGE_PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "storyforge.core.ratelimit.client_ip"
RATELIMIT_USE_CACHE = "default"
# While the cache (Redis) does not answer, requests are let through rather than all
# refused: reading books matters more than counting (docs/resilience.md).
RATELIMIT_FAIL_OPEN = True
RATELIMIT_VIEW = "storyforge.core.views.ratelimited"
CSRF_FAILURE_VIEW = "storyforge.core.views.csrf_failure"
# The debug page and error reports mask passwords inside URL settings too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "storyforge.core.reporting.UrlPasswordFilter"

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR"):
    LOG_LEVEL = "INFO"
LOG_FORMAT = env.str("LOG_FORMAT", default="plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    LOG_FORMAT = "plain"
LOGGING = config.logging_options(LOG_LEVEL, LOG_FORMAT)

# Content Security Policy: scripts, styles, fonts, images and sound only from this
# site (no CDN, no inline scripts), and from the bucket /media/ redirects to.
CONTENT_SECURITY_POLICY = config.content_security_policy(
    media_origin=_media["MEDIA_ORIGIN"] if MEDIA_SENDFILE == "redirect" else ""
)

# Production hardening; `manage.py check --deploy` verifies these.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
