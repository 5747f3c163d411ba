"""Every environment variable StoryForge reads, with its default and meaning.

The README's configuration table lists exactly the variables in `VARIABLES` (a
test holds the two together); `config.py` parses their values.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        "`0`: no pool (`4` in the `worker` process the Procfile starts)",
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
        "STORYFORGE_MEDIA_STORAGE",
        "`local`",
        "Where pictures and sounds are kept: `local` (MEDIA_ROOT) or `s3` (S3-compatible object storage: AWS, MinIO, Ceph, R2, Garage).",
    ),
    Variable("AWS_STORAGE_BUCKET_NAME", "(none)", "The bucket, with `s3` storage; it stays private."),
    Variable("AWS_S3_ENDPOINT_URL", "(AWS)", "The object storage's address, e.g. `https://minio.example.org:9000`."),
    Variable("AWS_ACCESS_KEY_ID", "(none)", "The object storage's access key (else boto3's usual credentials)."),
    Variable("AWS_SECRET_ACCESS_KEY", "(none)", "Its secret key."),
    Variable("AWS_S3_REGION_NAME", "(none)", "The bucket's region, where the storage needs one."),
    Variable("AWS_QUERYSTRING_EXPIRE", "`300`", "Seconds a signed picture address works."),
    Variable("AWS_S3_ADDRESSING_STYLE", "`path`", "`path` or `virtual` bucket addresses."),
    Variable(
        "MEDIA_URL",
        "`/media/`",
        "URL prefix of stored pictures and sounds; only their owner or a share link opens them.",
    ),
    Variable(
        "MEDIA_SENDFILE",
        "`app`, `redirect` with `s3`",
        "Who sends a stored file once the app has checked access: `app`, `nginx` (X-Accel-Redirect), `apache` (X-Sendfile) or `redirect` (a signed bucket address; the default with `s3`).",
    ),
    Variable(
        "MEDIA_SENDFILE_PREFIX",
        "`/protected-media/`",
        "The internal nginx location that X-Accel-Redirect points into (it serves MEDIA_ROOT).",
    ),
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
    Variable("STORYFORGE_RATE_RESET", "`5/h`", "Password-reset e-mails asked for per client address."),
    Variable("STORYFORGE_RATE_RESET_EMAIL", "`3/h`", "Password-reset e-mails asked for per e-mail address."),
    Variable("STORYFORGE_RATE_API", "`600/m`", "API requests per user (per client address before logging in)."),
    Variable(
        "STORYFORGE_RATE_EXPORT",
        "`30/h`",
        "New book files (PDF, EPUB, MP3) made per user; a file made before downloads at once and is not counted.",
    ),
    Variable(
        "STORYFORGE_SIGNUP",
        "`open` in development, `invite` in production",
        "Who may make an account: `open`, `invite` (a one-time link from the admin or `manage.py invite`) or `closed`.",
    ),
    Variable("STORYFORGE_INVITE_DAYS", "`14`", "How long an invite link works."),
    Variable(
        "STORYFORGE_TOKEN_DAYS",
        "`0`",
        "API tokens stop working this many days after they were made; `0` keeps them until revoked.",
    ),
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
        "`openai` when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set, else `offline`",
        "The default provider of every capability: `offline` (built-in storyteller, artist and word list, no "
        "network) or `openai` (OpenAI or any OpenAI-compatible server). See docs/providers.md.",
    ),
    Variable(
        "STORYFORGE_TEXT_PROVIDER",
        "`STORYFORGE_AI_PROVIDER`",
        "Who writes the stories: `openai` or `offline`.",
    ),
    Variable(
        "STORYFORGE_IMAGE_PROVIDER",
        "`STORYFORGE_AI_PROVIDER`; the built-in artist when that server has no images endpoint",
        "Who draws: `openai`, `automatic1111` (Stable Diffusion WebUI or Forge) or `offline`.",
    ),
    Variable(
        "STORYFORGE_MODERATION_PROVIDER",
        "`STORYFORGE_AI_PROVIDER`; the text model when that server has no moderation endpoint",
        "Who checks words: `openai`, `text-model` (the text model and the built-in word list) or `offline`.",
    ),
    Variable(
        "OPENAI_API_KEY",
        "unset",
        "Key for the OpenAI API or a compatible server (local servers need none). Setting it selects OpenAI.",
    ),
    Variable(
        "OPENAI_BASE_URL",
        "OpenAI's own API",
        "Base URL of an OpenAI-compatible server, e.g. `http://127.0.0.1:11434/v1` for Ollama.",
    ),
    Variable("OPENAI_TEXT_MODEL", "`gpt-5.4-mini`", "Model that writes the stories (and moderates, as `text-model`)."),
    Variable(
        "OPENAI_IMAGE_MODEL",
        "`gpt-image-2`; for `automatic1111` the checkpoint the server has loaded",
        "Model that draws portraits and illustrations (an AUTOMATIC1111 checkpoint's title or name).",
    ),
    Variable(
        "OPENAI_MODERATION_MODEL", "`omni-moderation-latest`", "Model that checks text before and after generation."
    ),
    Variable(
        "OPENAI_PRICE_TEXT_INPUT",
        "`0.15` with OpenAI's own API, else `0`",
        "US dollars per million input tokens of the text model, for usage and budgets.",
    ),
    Variable(
        "OPENAI_PRICE_TEXT_OUTPUT",
        "`0.60` with OpenAI's own API, else `0`",
        "US dollars per million output tokens of the text model.",
    ),
    Variable("OPENAI_PRICE_IMAGE", "`0.04` with OpenAI's own API, else `0`", "US dollars per image drawn."),
    Variable("OPENAI_TIMEOUT", "`60`", "Seconds to wait for one text or moderation call before it counts as failed."),
    Variable(
        "STORYFORGE_SPEECH_PROVIDER",
        "`STORYFORGE_AI_PROVIDER`; espeak-ng when that server has no speech endpoint",
        "Who reads books aloud: `openai` (any server with `/v1/audio/speech`) or `offline` (espeak-ng). See docs/narration.md.",
    ),
    Variable(
        "SPEECH_BASE_URL", "`OPENAI_BASE_URL`", "The speech server when it is not the text server (Kokoro-FastAPI...)."
    ),
    Variable("SPEECH_API_KEY", "`OPENAI_API_KEY`", "Its key."),
    Variable("OPENAI_SPEECH_MODEL", "`gpt-4o-mini-tts`", "Model that reads aloud (`kokoro`, `tts-1`...)."),
    Variable("OPENAI_SPEECH_VOICE", "`coral`", "The narrator's voice, as the speech server names it."),
    Variable(
        "OPENAI_PRICE_SPEECH",
        "`15` with OpenAI's own API, else `0`",
        "US dollars per million characters read aloud.",
    ),
    Variable("IMAGE_BASE_URL", "`OPENAI_BASE_URL`", "The picture server when it is not the text server."),
    Variable("IMAGE_API_KEY", "`OPENAI_API_KEY`", "Its key; `user:password` for an AUTOMATIC1111 `--api-auth`."),
    Variable("IMAGE_TIMEOUT", "`180`", "Seconds to wait for one picture (local pictures are slow)."),
    Variable(
        "IMAGE_MAX_CONCURRENCY",
        "`1` for `automatic1111`, else no limit",
        "Pictures drawn at once across all workers; more wait their turn. `0` for no limit.",
    ),
    Variable(
        "IMAGE_DENOISING_STRENGTH",
        "`0.6`",
        "AUTOMATIC1111: how far a page may stray from the character's portrait (0 to 1) when drawing from it.",
    ),
    Variable("IMAGE_PAGE_SIZE", "`768x512`", "AUTOMATIC1111: a page picture's size (`1216x832` for SDXL)."),
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
    Variable(
        "WORKER_CONCURRENCY",
        "`100`",
        "AI calls one `worker` process keeps in flight at once (threads: they wait, they do not compute).",
    ),
    Variable(
        "CPU_WORKER_CONCURRENCY",
        "`auto`: one per core",
        "Processes of the `cpu` worker, which draws offline pictures and renders PDFs.",
    ),
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
