import logging
import math
import sys

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django_ratelimit.exceptions import Ratelimited

from storyforge.core import errors
from storyforge.core.api import error_response, is_api_request
from storyforge.core.logging import error_log, request_id_get
from storyforge.core.ratelimit import (
    FALLBACK_WAIT,
    ratelimit_headers_apply,
    ratelimit_note,
    ratelimit_retry_after,
    ratelimit_states,
)

# Error pages. Each shows the request id and what to do next; the same addresses
# under /api/ answer with the API's JSON error instead. ErrorPageMiddleware sends
# a DomainError escaping an HTML view here too.

ERROR_TEMPLATES = {400: "errors/400.html", 403: "errors/403.html", 404: "errors/404.html", 429: "errors/429.html"}


def wait_phrase(seconds: int) -> str:
    """'42 seconds', '3 minutes', '2 hours': when to try again, for people."""
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 90 * 60:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} minutes"
    hours = math.ceil(seconds / 3600)
    return f"{hours} hours"


def error_page(request, error: errors.DomainError, *, template: str | None = None, log: bool = True) -> HttpResponse:
    """The HTML page for `error`, with its status, logged once with its code."""
    status = error.http_status
    if log:
        error_log(
            error.code, f"{request.method} {request.path}: {error.message}", severity=error.severity, status_code=status
        )
    retry_after = error.retry_after()
    context = {
        "status": status,
        "code": error.code,
        "message": error.message,
        "request_id": getattr(request, "request_id", "") or request_id_get(),
        "retry_after": retry_after,
        "retry_phrase": wait_phrase(retry_after) if retry_after else "",
    }
    response = _render(request, template or ERROR_TEMPLATES.get(status, "errors/error.html"), context, status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    response._has_been_logged = True  # Django would log it again, without the code
    return response


def _render(request, template: str, context: dict, status: int) -> HttpResponse:
    try:
        return render(request, template, context, status=status)
    except Exception:
        # The page itself failed (the database behind request.user is down, say):
        # a bare page still tells the person what happened and the reference.
        logging.getLogger("storyforge.core.errors").exception("error page %s could not be rendered", template)
        body = (
            f"<!doctype html><title>StoryForge</title><h1>{escape(context['message'])}</h1>"
            f"<p>Reference: <code>{escape(context['request_id'])}</code></p>"
        )
        return HttpResponse(body, status=status)


def _answer(request, error: errors.DomainError, *, template: str | None = None, log: bool = True) -> HttpResponse:
    if is_api_request(request):
        return error_response(request, error, log=log)
    return error_page(request, error, template=template, log=log)


def bad_request(request, exception=None):
    error = errors.InvalidInput("The request could not be understood.")
    if not isinstance(exception, SuspiciousOperation):
        return _answer(request, error)
    # This line replaces Django's security log line (DisallowedHost, ...): keep
    # what that said, at its level.
    error_log(
        error.code,
        f"{request.method} {request.path}: {exception.__class__.__name__}: {exception}",
        severity="warning",
        status_code=400,
    )
    return _answer(request, error, log=False)


def permission_denied(request, exception=None):
    if isinstance(exception, Ratelimited):
        return ratelimited(request, exception)
    return _answer(request, errors.PermissionDenied())


def page_not_found(request, exception=None):
    return _answer(request, errors.NotFound("There is no page at this address, or it is not yours."))


def server_error(request):
    """Django calls this while handling the exception: logged here with its traceback
    and code, and marked so that Django does not log it a second time."""
    exc_info = sys.exc_info()
    error_log(
        errors.ErrorCode.INTERNAL_ERROR,
        f"Unhandled exception in {request.method} {request.path}",
        severity="error",
        exc_info=exc_info if exc_info[0] else None,
    )
    return _answer(request, errors.InternalError(), template="errors/500.html", log=False)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form's security token was missing or stale."""
    error = errors.PermissionDenied("This form had expired, so it was not sent.")
    error_log(error.code, f"CSRF failure on {request.method} {request.path}: {reason}", severity="warning")
    return error_page(request, error, template="errors/csrf.html", log=False)


def ratelimited(request, exception=None):
    """RATELIMIT_VIEW and the answer to RateLimitExceeded: 429 with Retry-After and
    the RateLimit fields, and when to try again."""
    state = getattr(exception, "state", None)
    states = ratelimit_states(request)
    if state is not None and state not in states:
        ratelimit_note(request, state)
        states.append(state)
    wait = ratelimit_retry_after(states) or FALLBACK_WAIT
    error = errors.RateLimited(
        f"Too many requests in a short time. Try again in {wait_phrase(wait)}.", details={"retry_after": wait}
    )
    response = _answer(request, error)
    ratelimit_headers_apply(response, request)
    return response
