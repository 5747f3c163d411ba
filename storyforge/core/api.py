"""What every API view shares: the exception handler, the pagination and the throttles.

Every error the API answers, DRF's own included, has one shape:

    {"error": {"code": "NOT_FOUND", "message": "...", "details": {}, "request_id": "..."}}

with the HTTP status of the code (docs/errors.md lists them all). The handler is
REST_FRAMEWORK["EXCEPTION_HANDLER"]; `error_response()` gives the same answer
outside DRF (an unknown /api/ address, a failure in middleware).
"""

from __future__ import annotations

import math

from django.http import JsonResponse
from rest_framework import exceptions as drf
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from storyforge.core import errors
from storyforge.core.logging import error_log, request_id_get
from storyforge.core.ratelimit import (
    FALLBACK_WAIT,
    client_network,
    counter_hit,
    rate_get,
    ratelimit_headers_apply,
    ratelimit_note,
    username_normalise,
)

API_PATH_PREFIX = "/api/"
INTERNAL_MESSAGE = errors.InternalError.default_message

# DRF's exceptions -> ours. ValidationError, the 401s and Throttled need more than
# a class and are handled in domain_error_for_api.
_DRF_ERRORS: dict[type[drf.APIException], type[errors.DomainError]] = {
    drf.ParseError: errors.InvalidInput,
    drf.PermissionDenied: errors.PermissionDenied,
    drf.NotFound: errors.NotFound,
    drf.MethodNotAllowed: errors.MethodNotAllowed,
    drf.NotAcceptable: errors.NotAcceptable,
    drf.UnsupportedMediaType: errors.UnsupportedMediaType,
}

_BY_STATUS: dict[int, type[errors.DomainError]] = {
    error_class.http_status: error_class
    for error_class in (
        errors.InvalidInput,
        errors.NotAuthenticated,
        errors.PermissionDenied,
        errors.NotFound,
        errors.MethodNotAllowed,
        errors.NotAcceptable,
        errors.Conflict,
        errors.UnsupportedMediaType,
        errors.RateLimited,
    )
}


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PATH_PREFIX)


def _plain(detail):
    """DRF's ErrorDetail strings, lists and dicts as plain JSON values."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_plain(item) for item in detail]
    return str(detail)


def _drf_message(exc: drf.APIException, fallback: str) -> str:
    """DRF's message when a view or DRF gave a specific one ('Method "DELETE" not
    allowed.'), ours instead of DRF's generic default ('Not found.')."""
    detail = exc.detail
    if isinstance(detail, str) and str(detail) != str(exc.default_detail):
        return str(detail)
    return fallback


def domain_error_for_api(exc: BaseException) -> tuple[errors.DomainError | None, dict[str, str]]:
    """The DomainError an exception is answered as, and the extra headers it needs.
    (None, {}) for an exception that is our bug: INTERNAL_ERROR."""
    headers: dict[str, str] = {}
    if isinstance(exc, drf.ValidationError):
        detail = _plain(exc.detail)
        fields = (
            detail
            if isinstance(detail, dict)
            else {"non_field_errors": detail if isinstance(detail, list) else [detail]}
        )
        messages = fields.get("non_field_errors") if len(fields) == 1 else None
        message = messages[0] if isinstance(messages, list) and len(messages) == 1 else None
        return errors.InvalidInput(message, details={"fields": fields}), headers
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        # DRF sets auth_header from the first authentication class; an answer
        # without WWW-Authenticate would be a 403 in DRF's own handler.
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        return errors.NotAuthenticated(_drf_message(exc, errors.NotAuthenticated.default_message)), headers
    if isinstance(exc, drf.Throttled):
        wait = max(1, math.ceil(exc.wait)) if exc.wait is not None else FALLBACK_WAIT
        return errors.RateLimited(details={"retry_after": wait}), headers
    for drf_class, error_class in _DRF_ERRORS.items():
        if isinstance(exc, drf_class):
            return error_class(_drf_message(exc, error_class.default_message)), headers
    if isinstance(exc, drf.APIException) and exc.status_code < 500:
        # A DRF exception we do not know by class (a third-party one): the code of
        # its status, so that clients only ever meet the documented codes.
        error_class = _BY_STATUS.get(exc.status_code, errors.InvalidInput)
        return error_class(_drf_message(exc, error_class.default_message)), headers
    return errors.domain_error_from(exc), headers


def error_body(error: errors.DomainError, request_id: str) -> dict:
    return {"error": {**error.as_dict(), "request_id": request_id}}


def exception_handler(exc: Exception, context: dict) -> Response:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every exception of an API view becomes
    one JSON error, logged once with its code (with the traceback when it is our bug)."""
    from rest_framework.views import set_rollback  # not at import: DRF's views import this module

    request = context.get("request")
    error, headers = domain_error_for_api(exc)
    error = _logged(request, error, exc_info=exc)
    set_rollback()
    response = Response(_body(request, error), status=error.http_status, headers=headers)
    return _finished(response, request, error)


def error_response(request, error: errors.DomainError | None, *, exc_info=None, log: bool = True) -> JsonResponse:
    """The API's error answer for `error` outside a DRF view (an unknown /api/
    address, a failure in middleware); None is INTERNAL_ERROR."""
    error = _logged(request, error, exc_info=exc_info, log=log)
    return _finished(JsonResponse(_body(request, error), status=error.http_status), request, error)


def _logged(request, error: errors.DomainError | None, *, exc_info=None, log: bool = True) -> errors.DomainError:
    if error is None:
        error_log(
            errors.ErrorCode.INTERNAL_ERROR,
            f"Unhandled exception in {_where(request)}",
            severity="error",
            exc_info=exc_info,
        )
        return errors.InternalError(INTERNAL_MESSAGE)
    if log:
        error_log(
            error.code, f"{_where(request)}: {error.message}", severity=error.severity, status_code=error.http_status
        )
    return error


def _body(request, error: errors.DomainError) -> dict:
    return error_body(error, getattr(request, "request_id", None) or request_id_get())


def _finished(response, request, error: errors.DomainError):
    retry_after = error.retry_after()
    if retry_after is not None and not response.has_header("Retry-After"):
        response["Retry-After"] = str(retry_after)
    if request is not None:
        ratelimit_headers_apply(response, request)
    response._has_been_logged = True  # Django would log the 4xx/5xx a second time, without the code
    return response


def _where(request) -> str:
    if request is None:
        return "the API"
    return f"{request.method} {request.path}"


class StandardPagination(PageNumberPagination):
    """`?page=N&page_size=M`: {"count", "next", "previous", "results"}, 20 a page, at most 100.

    A page_size that is not a whole number from 1 is a 400 naming it (DRF would quietly
    use 20), as the schema says; a bigger one than 100 gives 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        if not (asked.isascii() and asked.isdigit() and int(asked) >= 1):
            raise drf.ValidationError({self.page_size_query_param: ["A whole number from 1."]})
        return min(int(asked), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


# Throttles: one atomic counter per limit of RATE_LIMITS (see storyforge.core.ratelimit)


class AtomicRateThrottle(BaseThrottle):
    """A fixed-window throttle on an atomic cache counter: with a limit of N, exactly N
    of any number of simultaneous requests get through, across processes on Redis.

    Subclasses name the RATE_LIMITS entry in `scope`, say whom to count in
    `ident()` (None: this request is not counted) and may restrict `methods`.
    """

    scope: str = ""
    methods: tuple[str, ...] | None = None  # None: every method

    def __init__(self):
        self.state = None

    def ident(self, request, view) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        self.state = None
        if self.methods is not None and request.method not in self.methods:
            return True
        rate = rate_get(self.scope)
        if rate is None:
            return True
        ident = self.ident(request, view)
        if ident is None:
            return True
        self.state = counter_hit(self.scope, ident, *rate)
        ratelimit_note(request, self.state)
        return not self.state.exceeded

    def wait(self) -> float | None:
        return self.state.reset if self.state is not None else None


def _user_or_ip(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_network(request)}"


class ApiUserRateThrottle(AtomicRateThrottle):
    """RATE_LIMITS["api_user"] per user (per address before logging in); the default for every API view."""

    scope = "api_user"

    def ident(self, request, view):
        return _user_or_ip(request)


class GenerationRateThrottle(AtomicRateThrottle):
    """RATE_LIMITS["generation_user"] per user, on the POSTs that start a generation."""

    scope = "generation_user"
    methods = ("POST",)

    def ident(self, request, view):
        return _user_or_ip(request)


class LoginRateThrottle(AtomicRateThrottle):
    """RATE_LIMITS["login_ip"] per client address, on the token (log-in) endpoint."""

    scope = "login_ip"
    methods = ("POST",)

    def ident(self, request, view):
        return client_network(request)


class LoginUsernameRateThrottle(AtomicRateThrottle):
    """RATE_LIMITS["login_user"] per username posted, whatever the address."""

    scope = "login_user"
    methods = ("POST",)

    def ident(self, request, view):
        data = request.data if hasattr(request.data, "get") else {}
        username = username_normalise(str(data.get("username") or ""))
        return username or None


class SignupRateThrottle(AtomicRateThrottle):
    """RATE_LIMITS["signup_ip"] per client address."""

    scope = "signup_ip"
    methods = ("POST",)

    def ident(self, request, view):
        return client_network(request)


class FormatParameterNegotiation(DefaultContentNegotiation):
    """For downloads whose `?format=` names the file type (pdf, epub, png): DRF would
    otherwise read it as a renderer override. Errors still answer in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
