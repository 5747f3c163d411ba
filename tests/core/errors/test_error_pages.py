"""HTML views' errors: the friendly error pages with their status and the request id,
each logged once, and the waits they tell in words."""

import logging
import re

import pytest
from django.test import Client
from django.utils.html import escape

from tests.core.errors.urls import URLS, domain_error, error_records

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
