"""Request ids, rate-limit headers, and error pages for exceptions escaping HTML views."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django_ratelimit.exceptions import Ratelimited

from storyforge.core import errors
from storyforge.core.logging import (
    REQUEST_ID_HEADER,
    request_id_clean,
    request_id_new,
    request_id_reset,
    request_id_set,
)
from storyforge.core.ratelimit import ratelimit_headers_apply


class RequestIdMiddleware:
    """Takes a well-formed incoming X-Request-ID or makes one, keeps it on
    `request.request_id` and in the logging context for the whole request, and
    returns it on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_clean(request.headers.get(REQUEST_ID_HEADER)) or request_id_new()
        request.request_id = request_id
        token = request_id_set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RateLimitHeadersMiddleware:
    """`RateLimit-Policy` and `RateLimit` on every answer whose request was counted
    against a limit (by a throttle or a `rate_limit` view), not only on 429s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        ratelimit_headers_apply(response, request)
        return response


class ErrorPageMiddleware:
    """HTML views let errors propagate: a DomainError (NotFound, Conflict, ...) or a
    service's ValidationError becomes the matching error page with its status, a
    rate limit the 429 page, NotAuthenticated a redirect to the log-in page, a
    database that does not answer 503 SERVICE_UNAVAILABLE. Other exceptions are
    bugs and go on to Django (the 500 page, or the debug page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from storyforge.core import views  # views import the apps' selectors; load them late
        from storyforge.core.api import error_response, is_api_request

        if isinstance(exception, Ratelimited):
            return views.ratelimited(request, exception)
        if not isinstance(exception, errors.DomainError | ValidationError) and not errors.infrastructure_unavailable(
            exception
        ):
            return None
        error = errors.domain_error_from(exception)
        if is_api_request(request):
            return error_response(request, error)
        if isinstance(error, errors.NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        return views.error_page(request, error)
