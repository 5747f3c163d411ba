"""Request ids on every log line, the two log formats, and the error counters.

The request id of the web request (or of the request that queued a Celery task)
lives in a context variable: `RequestIdMiddleware` sets it, the Celery signal
handlers below carry it in a task's headers and set it in the worker, and
`RequestIdFilter` copies it onto each log record. `request_id_get()` gives it to
services and tasks, e.g. to store on a generation job.

`LOG_FORMAT=json` writes one JSON object per line (ts, level, logger, message,
request_id, and error_code / severity for errors); the default is plain text.
Every error answer is logged once through `error_log()`, which also counts it per
code in the cache: `error_counts()` is what operators and metrics read.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar, Token
from datetime import UTC, datetime

from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,64}")
COUNTER_PREFIX = "storyforge:errors:"
SEVERITY_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}

_request_id: ContextVar[str] = ContextVar("storyforge_request_id", default="")
logger = logging.getLogger("storyforge.core.errors")


# Request ids


def request_id_get() -> str:
    """The id of the request (or of the task's originating request) being served; "" outside one."""
    return _request_id.get()


def request_id_set(value: str) -> Token:
    """Make `value` the current request id; give the token to `request_id_reset` afterwards."""
    return _request_id.set(value)


def request_id_reset(token: Token) -> None:
    _request_id.reset(token)


def request_id_new() -> str:
    return uuid.uuid4().hex


def request_id_clean(raw: str | None) -> str | None:
    """An incoming id when it is well formed (8-64 of `A-Z a-z 0-9 . _ -`), else None:
    a client's id is echoed into headers and logs, so nothing else gets through."""
    if raw and REQUEST_ID_PATTERN.fullmatch(raw):
        return raw
    return None


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` attribute ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # Django logs some responses after the middleware has returned; those
            # records carry the request itself.
            request = getattr(record, "request", None)
            record.request_id = request_id_get() or getattr(request, "request_id", "") or "-"
        return True


# Formats


class PlainFormatter(logging.Formatter):
    """`time LEVEL logger [request id] message`, then `code=… severity=…` for errors."""

    def __init__(self, fmt: str | None = None, datefmt: str | None = None, style: str = "%", **kwargs):
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s", datefmt, style)

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = getattr(record, "request_id", "-")
        line = super().format(record)
        code = getattr(record, "error_code", None)
        if code:
            head, sep, rest = line.partition("\n")  # keep a traceback below the first line
            line = f"{head} code={code} severity={getattr(record, 'severity', '-')}{sep}{rest}"
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id_of(record),
        }
        for attribute, key in (("error_code", "code"), ("severity", "severity"), ("status_code", "status")):
            value = getattr(record, attribute, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _request_id_of(record: logging.LogRecord) -> str | None:
    request_id = getattr(record, "request_id", None) or request_id_get()
    return request_id if request_id and request_id != "-" else None


# Errors: logged once, counted per code


def error_log(
    code: str,
    message: str,
    *,
    severity: str = "error",
    exc_info=None,
    log: logging.Logger | None = None,
    **fields,
) -> None:
    """Log one error with its code and severity (the filter adds the request id)
    and count it. `exc_info` adds the traceback, for errors that are our bug."""
    level = SEVERITY_LEVELS.get(severity, logging.ERROR)
    (log or logger).log(level, message, exc_info=exc_info, extra={"error_code": code, "severity": severity, **fields})
    error_count_increment(code)


def error_count_increment(code: str) -> None:
    from django.core.cache import cache

    key = COUNTER_PREFIX + code
    try:
        cache.add(key, 0, timeout=None)
        cache.incr(key)
    except Exception:
        # The counters are for operators; an unreachable cache must not turn one
        # error answer into another.
        logger.warning("error counter %s not updated: the cache is not answering", code, exc_info=True)


def error_counts() -> dict[str, int]:
    """How many times each code has been answered since the cache was last cleared,
    for every code StoryForge knows (0 for those never seen)."""
    from django.core.cache import cache

    from storyforge.core.errors import all_codes

    codes = sorted(all_codes())
    try:
        stored = cache.get_many([COUNTER_PREFIX + code for code in codes])
    except Exception:
        logger.warning("error counters not read: the cache is not answering", exc_info=True)
        stored = {}
    return {code: int(stored.get(COUNTER_PREFIX + code, 0)) for code in codes}


# Celery: the request id travels in the task's headers


@before_task_publish.connect(dispatch_uid="storyforge.request_id.publish")
def request_id_to_task_headers(headers: dict | None = None, **kwargs) -> None:
    """Runs where the task is sent (the web process, or a task sending another)."""
    request_id = request_id_get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


def _task_request_id(task) -> str | None:
    request = getattr(task, "request", None)
    # A worker turns custom message headers into attributes of task.request;
    # `apply(headers=...)` leaves them in task.request.headers.
    raw = getattr(request, "request_id", None) or (getattr(request, "headers", None) or {}).get("request_id")
    return request_id_clean(raw)


_task_tokens: dict[str, Token] = {}


@task_prerun.connect(dispatch_uid="storyforge.request_id.prerun")
def request_id_from_task_headers(task_id: str | None = None, task=None, **kwargs) -> None:
    request_id = _task_request_id(task)
    if request_id and task_id:
        _task_tokens[task_id] = request_id_set(request_id)


@task_postrun.connect(dispatch_uid="storyforge.request_id.postrun")
def request_id_clear_after_task(task_id: str | None = None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        try:
            request_id_reset(token)
        except ValueError:  # set in another context (a thread pool); clear it instead
            request_id_set("")


@setup_logging.connect(dispatch_uid="storyforge.core.logging.celery")
def celery_logging_keep_django_config(**kwargs) -> None:
    """With a receiver for this signal Celery leaves logging alone, so a worker uses
    the same LOGGING (format, request ids) as the web process; Django has already
    applied it when the worker loaded the settings."""
