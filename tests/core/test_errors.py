"""Every API error has one JSON shape with its code and the request id; HTML views get
friendly error pages; each error is logged once with its code.

The views here are test-only (this module is the URLconf of the tests marked
`urls`): they raise each kind of error, through DRF and through plain Django.
"""

import json
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.test import Client
from django.urls import path
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions as drf
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from storyforge.core import errors
from storyforge.core.logging import error_counts
from storyforge.urls import handler400, handler403, handler404, handler500  # noqa: F401 - this module is a URLconf
from storyforge.urls import urlpatterns as site_urlpatterns

URLS = "tests.core.test_errors"
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


@csrf_exempt
def not_a_form(request):
    return HttpResponse("ok")


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


@pytest.fixture
def client():
    client = Client()
    client.raise_request_exception = False
    return client


def error_of(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details", "request_id"}
    assert body["error"]["request_id"] == response["X-Request-ID"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def error_records(caplog, code=None):
    return [r for r in caplog.records if getattr(r, "error_code", None) and code in (None, r.error_code)]


# The API: DomainErrors


@pytest.mark.urls(URLS)
@pytest.mark.parametrize("name", sorted(cls.__name__ for cls in errors.all_error_classes()))
def test_every_domain_error_is_answered_with_its_code_status_and_message(client, caplog, name):
    expected = domain_error(name)
    with time_machine.travel(NOW, tick=False):
        response = client.get(f"/api/v1/test/raise/{name}/")
    error = error_of(response)
    assert response.status_code == expected.http_status
    assert error["code"] == expected.code
    assert error["message"] == expected.message
    assert error["details"] == expected.details
    [record] = error_records(caplog)  # logged once, with its code and severity
    assert (record.error_code, record.severity) == (expected.code, expected.severity)
    assert not [r for r in caplog.records if r.name == "django.request"]  # and not again by Django


@pytest.mark.urls(URLS)
def test_quota_exceeded_says_when_to_retry_from_its_reset_time(client):
    with time_machine.travel(NOW, tick=False):
        response = client.get("/api/v1/test/raise/QuotaExceeded/")
    assert response.status_code == 429
    assert response["Retry-After"] == str(9 * 3600)


@pytest.mark.urls(URLS)
def test_ai_unavailable_carries_its_retry_after(client):
    response = client.get("/api/v1/test/raise/AIUnavailable/")
    assert (response.status_code, response["Retry-After"]) == (503, "30")


@pytest.mark.urls(URLS)
def test_errors_without_a_wait_have_no_retry_after(client):
    assert not client.get("/api/v1/test/raise/Conflict/").has_header("Retry-After")


# The API: DRF's own errors and Django's


@pytest.mark.urls(URLS)
def test_a_drf_validation_error_lists_the_fields(client):
    response = client.get("/api/v1/test/raise/drf-validation/")
    error = error_of(response)
    assert (response.status_code, error["code"]) == (400, "VALIDATION_ERROR")
    assert error["details"] == {"fields": {"title": ["This field is required."], "age": ["Too old."]}}
    assert error["message"] == errors.InvalidInput.default_message


@pytest.mark.urls(URLS)
def test_a_general_validation_error_is_the_message(client):
    error = error_of(client.get("/api/v1/test/raise/drf-validation-general/"))
    assert error["message"] == "The pages are out of order."
    assert error["details"] == {"fields": {"non_field_errors": ["The pages are out of order."]}}


@pytest.mark.urls(URLS)
def test_a_services_django_validation_error_is_a_validation_error_too(client):
    response = client.get("/api/v1/test/raise/django-validation/")
    error = error_of(response)
    assert (response.status_code, error["code"]) == (400, "VALIDATION_ERROR")
    assert error["details"] == {"fields": {"name": ["Too long."], "non_field_errors": ["Not both."]}}
    assert error_of(client.get("/api/v1/test/raise/django-validation-general/"))["message"] == "That name is taken."


@pytest.mark.urls(URLS)
def test_malformed_json_is_a_validation_error(client):
    response = client.post("/api/v1/test/echo/", data="{not json", content_type="application/json")
    error = error_of(response)
    assert (response.status_code, error["code"]) == (400, "VALIDATION_ERROR")
    assert "JSON parse error" in error["message"]


@pytest.mark.urls(URLS)
def test_an_unreadable_body_format_is_unsupported_media_type(client):
    response = client.post("/api/v1/test/echo/", data="title=x", content_type="text/plain")
    assert (response.status_code, error_of(response)["code"]) == (415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.urls(URLS)
def test_a_method_the_endpoint_lacks_is_method_not_allowed_with_allow(client):
    response = client.delete("/api/v1/test/echo/")
    error = error_of(response)
    assert (response.status_code, error["code"]) == (405, "METHOD_NOT_ALLOWED")
    assert "DELETE" in error["message"]
    assert {"GET", "POST"} <= {method.strip() for method in response["Allow"].split(",")}


@pytest.mark.urls(URLS)
def test_asking_for_a_format_the_api_cannot_write_is_not_acceptable(client):
    response = client.get("/api/v1/test/echo/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json()["error"]["code"] == "NOT_ACCEPTABLE"


@pytest.mark.urls(URLS)
def test_no_credentials_is_401_with_www_authenticate(client):
    response = client.get("/api/v1/test/private/")
    assert (response.status_code, error_of(response)["code"]) == (401, "AUTH_ERROR")
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.urls(URLS)
@pytest.mark.django_db
def test_a_wrong_token_is_401_too(client):
    response = client.get("/api/v1/test/private/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    error = error_of(response)
    assert (response.status_code, error["code"]) == (401, "AUTH_ERROR")
    assert error["message"] == "Invalid or revoked token."
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.urls(URLS)
@pytest.mark.parametrize(("kind", "status", "code"), [
    ("http404", 404, "NOT_FOUND"),
    ("drf-not-found", 404, "NOT_FOUND"),
    ("drf-permission-denied", 403, "PERMISSION_DENIED"),
])  # fmt: skip
def test_not_found_and_permission_denied_use_our_codes_and_words(client, kind, status, code):
    response = client.get(f"/api/v1/test/raise/{kind}/")
    error = error_of(response)
    assert (response.status_code, error["code"]) == (status, code)
    assert "Story" not in error["message"]  # Django's 404 message names the model


@pytest.mark.urls(URLS)
def test_an_unknown_api_address_answers_json_not_a_page(client):
    response = client.get("/api/v1/no-such-thing/")
    assert (response.status_code, error_of(response)["code"]) == (404, "NOT_FOUND")


@pytest.mark.urls(URLS)
def test_a_bug_is_a_generic_500_logged_once_with_its_traceback(client, caplog):
    response = client.get("/api/v1/test/raise/bug/")
    error = error_of(response)
    assert (response.status_code, error["code"]) == (500, "INTERNAL_ERROR")
    assert error["message"] == errors.InternalError.default_message and error["details"] == {}
    text = response.content.decode()
    for leak in ("Traceback", "RuntimeError", "hunter2", "secret.py"):
        assert leak not in text
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.error_code == "INTERNAL_ERROR" and record.exc_info[0] is RuntimeError


@pytest.mark.urls(URLS)
def test_an_incoming_request_id_is_the_one_in_the_error(client):
    response = client.get("/api/v1/test/raise/NotFound/", HTTP_X_REQUEST_ID="client-chosen-id-42")
    assert error_of(response)["request_id"] == "client-chosen-id-42"


@pytest.mark.urls(URLS)
def test_answered_errors_are_counted_per_code(client):
    client.get("/api/v1/test/raise/NotFound/")
    client.get("/api/v1/test/raise/http404/")
    client.get("/api/v1/test/raise/Conflict/")
    counts = error_counts()
    assert (counts["NOT_FOUND"], counts["CONFLICT"], counts["QUOTA_EXCEEDED"]) == (2, 1, 0)


# HTML pages


def request_id_shown(response) -> bool:
    return response["X-Request-ID"] in response.content.decode()


@pytest.mark.urls(URLS)
def test_an_unknown_address_shows_the_not_found_page_with_the_request_id(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "errors/404.html" in [t.name for t in response.templates]
    assert "We could not find that page" in response.content.decode()
    assert request_id_shown(response)


@pytest.mark.urls(URLS)
@pytest.mark.parametrize(("name", "status", "text"), [
    ("NotFound", 404, "We could not find that page"),
    ("PermissionDenied", 403, "You are not allowed to do this"),
    ("Conflict", 409, "Reload the page"),
    ("ContentFlagged", 422, "change the words"),
    ("InvalidInput", 400, "Something in the request was not right"),
    ("AIUnavailable", 503, "Try again in 30 seconds"),
    ("RateLimited", 429, "Please slow down"),
])  # fmt: skip
def test_a_domain_error_escaping_an_html_view_is_its_page_and_status(client, caplog, name, status, text):
    response = client.get(f"/test/raise/{name}/")
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert text in page and escape(domain_error(name).message) in page
    assert request_id_shown(response)
    assert len(error_records(caplog)) == 1
    assert not [r for r in caplog.records if r.name == "django.request"]


@pytest.mark.urls(URLS)
def test_a_services_validation_error_in_an_html_view_is_the_400_page(client):
    response = client.get("/test/raise/django-validation-general/")
    assert response.status_code == 400 and "That name is taken." in response.content.decode()


@pytest.mark.urls(URLS)
def test_not_authenticated_in_an_html_view_sends_to_the_login_page(client):
    response = client.get("/test/raise/NotAuthenticated/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/test/raise/NotAuthenticated/")


@pytest.mark.urls(URLS)
def test_a_bug_in_an_html_view_shows_the_500_page_and_is_logged_once(client, caplog):
    response = client.get("/test/raise/bug/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and request_id_shown(response)
    assert "hunter2" not in page and "Traceback" not in page
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.error_code == "INTERNAL_ERROR" and record.exc_info[0] is RuntimeError


@pytest.mark.urls(URLS)
def test_a_form_without_its_csrf_token_gets_the_expired_form_page(caplog):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/test/form/", {"title": "A dragon"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form had expired" in page and "reload the page" in page
    assert request_id_shown(response)
    [record] = error_records(caplog)
    assert record.error_code == "PERMISSION_DENIED" and "CSRF" in record.getMessage()


@pytest.mark.urls(URLS)
def test_error_pages_extend_the_site_layout(client):
    page = client.get("/no-such-page/").content.decode()
    assert 'class="site-header"' in page and "Skip to content" in page


# Retry times


def test_retry_after_is_whole_seconds_of_at_least_one():
    assert errors.RateLimited(details={"retry_after": 0.2}).retry_after() == 1
    assert errors.RateLimited(details={"retry_after": 41.1}).retry_after() == 42
    assert errors.QuotaExceeded(details={"resets_at": "2026-03-14T16:00:00+00:00"}).retry_after(NOW) == 3600
    assert errors.QuotaExceeded(details={"resets_at": "not a time"}).retry_after(NOW) is None
    assert errors.Conflict().retry_after() is None


def test_json_error_bodies_are_plain_json():
    from storyforge.core.api import domain_error_for_api, error_body

    error, _ = domain_error_for_api(drf.ValidationError({"pages": [{"text": ["Too long."]}]}))
    assert json.loads(json.dumps(error_body(error, "r" * 8)))["error"]["details"] == {
        "fields": {"pages": [{"text": ["Too long."]}]}
    }


def test_the_html_wait_is_said_in_words():
    from storyforge.core.views import wait_phrase

    assert [wait_phrase(s) for s in (1, 42, 150, 3600, 9000)] == [
        "1 second",
        "42 seconds",
        "3 minutes",
        "60 minutes",
        "3 hours",
    ]
    assert re.fullmatch(r"\d+ (seconds?|minutes|hours)", wait_phrase(89))


@pytest.mark.urls(URLS)
def test_a_request_for_another_host_is_a_400_page_logged_once_as_suspicious(client, caplog, settings):
    settings.ALLOWED_HOSTS = ["books.example.org"]
    response = client.get("/no-such-page/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Something in the request was not right" in response.content.decode()
    [record] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert record.error_code == "VALIDATION_ERROR" and "DisallowedHost" in record.getMessage()


@pytest.mark.urls(URLS)
def test_outside_drf_an_api_address_still_answers_json(client, caplog):
    conflict = client.get("/api/v1/test/plain/Conflict/")
    assert (conflict.status_code, error_of(conflict)["code"]) == (409, "CONFLICT")
    bug = client.get("/api/v1/test/plain/bug/")
    assert (bug.status_code, error_of(bug)["code"]) == (500, "INTERNAL_ERROR")
    assert "hunter2" not in bug.content.decode()
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.error_code == "INTERNAL_ERROR" and record.exc_info[0] is RuntimeError
