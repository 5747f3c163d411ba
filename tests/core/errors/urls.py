"""The test-only views that raise each kind of error, as the URLconf of the tests
marked `urls` (with the site's own addresses after them), and what reads the
errors' answers and log records."""

from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.urls import path
from rest_framework import exceptions as drf
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from storyforge.core import errors
from storyforge.urls import handler400, handler403, handler404, handler500  # noqa: F401 - this module is a URLconf
from storyforge.urls import urlpatterns as site_urlpatterns

URLS = "tests.core.errors.urls"
NOW = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)


def domain_error(name: str) -> errors.DomainError:
    error_class = next(cls for cls in errors.all_error_classes() if cls.__name__ == name)
    if error_class is errors.QuotaExceeded:
        return error_class(details={"resets_at": (NOW + timedelta(hours=9)).isoformat()})
    if error_class is errors.AIUnavailable:
        return error_class(details={"retry_after": 30})
    return error_class()


RAISED = {
    "drf-validation": lambda: drf.ValidationError({"title": ["This field is required."], "age": ["Too old."]}),
    "drf-validation-general": lambda: drf.ValidationError("The pages are out of order."),
    "django-validation": lambda: DjangoValidationError({"name": ["Too long."], "__all__": ["Not both."]}),
    "django-validation-general": lambda: DjangoValidationError("That name is taken."),
    "http404": lambda: Http404("No Story matches the given query."),
    "drf-not-found": lambda: drf.NotFound(),
    "drf-permission-denied": lambda: drf.PermissionDenied(),
    "bug": lambda: RuntimeError("password=hunter2 in /srv/storyforge/secret.py"),
}


class RaiseApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request, kind):
        if kind in RAISED:
            raise RAISED[kind]()
        raise domain_error(kind)


class PrivateApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})


class EchoApi(APIView):
    """Only GET and POST; reads a JSON body."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"received": request.data})


def raise_in_html(request, kind):
    if kind in RAISED:
        raise RAISED[kind]()
    raise domain_error(kind)


def a_form(request):
    return HttpResponse("sent")


urlpatterns = [
    path("api/v1/test/raise/<str:kind>/", RaiseApi.as_view()),
    path("api/v1/test/private/", PrivateApi.as_view()),
    path("api/v1/test/echo/", EchoApi.as_view()),
    path("test/raise/<str:kind>/", raise_in_html),
    path("api/v1/test/plain/<str:kind>/", raise_in_html),  # a plain Django view under /api/
    path("test/form/", a_form),
    *site_urlpatterns,
]


def error_of(response) -> dict:
    """The error of an API answer, once it is seen to have the one shape every API error has."""
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details", "request_id"}
    assert body["error"]["request_id"] == response["X-Request-ID"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def error_records(caplog, code=None):
    """The log records of answered errors: of `code`, or of every code."""
    return [r for r in caplog.records if getattr(r, "error_code", None) and code in (None, r.error_code)]
