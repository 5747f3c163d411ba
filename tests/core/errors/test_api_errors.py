"""The API's errors: every DomainError, DRF's own and Django's, in one JSON shape with
its code, status and request id, logged once; and outside DRF under /api/ too."""

import json
import logging

import pytest
import time_machine
from rest_framework import exceptions as drf

from storyforge.core import errors
from storyforge.core.logging import error_counts
from tests.core.errors.urls import NOW, URLS, domain_error, error_of, error_records

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


@pytest.mark.urls(URLS)
def test_outside_drf_an_api_address_still_answers_json(client, caplog):
    conflict = client.get("/api/v1/test/plain/Conflict/")
    assert (conflict.status_code, error_of(conflict)["code"]) == (409, "CONFLICT")
    bug = client.get("/api/v1/test/plain/bug/")
    assert (bug.status_code, error_of(bug)["code"]) == (500, "INTERNAL_ERROR")
    assert "hunter2" not in bug.content.decode()
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.error_code == "INTERNAL_ERROR" and record.exc_info[0] is RuntimeError


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
