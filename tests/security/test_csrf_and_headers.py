"""CSRF on every HTML form, the production cookie and HSTS settings, `check --deploy`,
and the security headers of an ordinary page."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.security import object_graph, routes
from tests.security.test_ownership import values_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SECRET = "prod-" + secrets.token_urlsafe(48)
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "storyforge.settings",
    "STORYFORGE_ENV": "production",
    "STORYFORGE_READ_DOT_ENV": "0",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "books.example.org",
    # Nothing below is connected to: the settings and the deploy checks only read them.
    "DATABASE_URL": "postgres://u:p@db.example.org:5432/sf",
    "REDIS_URL": "redis://cache.example.org:6379/0",
}


def production(code: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("STORYFORGE", "DJANGO"))}
    env.pop("SECRET_KEY", None)
    env.update(PRODUCTION_ENV)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def html_routes():
    skip = ("api/", "admin/", "media/")
    return [route for route in routes() if not route.route.startswith(skip)]


def test_every_html_post_without_a_token_is_refused(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS)
    graph = object_graph()
    values = {**values_of(graph), "token": ["not-a-share-token"], "uidb64": ["MQ"]}
    client = Client(enforce_csrf_checks=True)
    client.force_login(graph["owner"])
    tried, wrong = 0, []
    for route in html_routes():
        combos = [{}]
        for name in route.parameters:
            combos = [{**combo, name: value} for combo in combos for value in values[name]]
        for combo in combos:
            address = route.address(combo)
            response = client.post(address, {"title": "no token", "text": "no token"})
            tried += 1
            if response.status_code != 403:
                wrong.append(f"POST {address}: {response.status_code}")
    assert tried >= 40
    assert not wrong, "\n".join(wrong)


def test_the_same_post_with_a_token_is_accepted():
    # The 403s above are the missing token, not a broken form: the same client with a token works.
    graph = object_graph()
    client = Client(enforce_csrf_checks=True)
    client.force_login(graph["owner"])
    page = client.get("/series/")
    token = page.cookies["csrftoken"].value
    story = graph["story"]
    response = client.post(f"/stories/{story.pk}/title/", {"title": "Renamed", "csrfmiddlewaretoken": token})
    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.title == "Renamed"


PRINT_SETTINGS = """
import django, json
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT",
    "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF")}))
"""


@pytest.mark.slow
def test_production_cookies_are_secure_http_only_and_same_site_lax():
    result = production(PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_SSL_REDIRECT"] is True


@pytest.mark.slow
def test_the_deploy_checks_find_nothing_in_production():
    code = "import sys; from django.core.management import execute_from_command_line as run; "
    code += "run(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    result = production(code)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr


HSTS_RESPONSE = """
import django, json
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
# /healthz: a page that needs neither the database nor collected static files.
response = Client().get("/healthz", secure=True, headers={"host": "books.example.org"})
print(json.dumps({"status": response.status_code, "hsts": response.get("Strict-Transport-Security"),
                  "insecure": Client().get("/offline/", headers={"host": "books.example.org"}).status_code}))
"""


@pytest.mark.slow
def test_production_answers_with_hsts_and_redirects_plain_http():
    result = production(HSTS_RESPONSE)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 200
    assert "max-age=31536000" in answer["hsts"] and "includeSubDomains" in answer["hsts"]
    assert answer["insecure"] == 301


def test_an_ordinary_page_sends_the_security_headers(client):
    graph = object_graph()
    client.force_login(graph["owner"])
    for address in ("/", "/stories/", f"/stories/{graph['story'].pk}/", "/accounts/login/"):
        response = client.get(address, follow=True)
        assert response.status_code == 200, address
        policy = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split(";")
        )
        assert "'self'" in policy["script-src"]
        assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script(client):
    # With 'unsafe-inline' left out, an inline script would not run: none is relied on.
    graph = object_graph()
    client.force_login(graph["owner"])
    for address in ("/", "/characters/", f"/characters/{graph['character'].pk}/", f"/stories/{graph['story'].pk}/"):
        page = client.get(address).content.decode()
        assert "<script>" not in page and " onclick=" not in page, address
