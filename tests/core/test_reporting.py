"""The debug page never shows a password, even one inside a URL setting."""

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from storyforge.core.reporting import url_password_masked


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgres://story:s3cret-pass@db:5432/storyforge", "postgres://story:********************@db:5432/storyforge"),
        ("redis://:r3dis-pass@cache:6379/0", "redis://:********************@cache:6379/0"),
        (
            "smtp+tls://mail%40example.org:m4il-pass@smtp.example.org:587",
            "smtp+tls://mail%40example.org:********************@smtp.example.org:587",
        ),
        ("redis://cache:6379/0", "redis://cache:6379/0"),
        ("http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1"),
    ],
)
def test_the_password_inside_a_url_is_masked_and_the_rest_kept(url, shown):
    assert url_password_masked(url) == shown


def _broken():
    raise ValueError("something broke")


def _debug_page() -> str:
    """The debug page of an error raised here, whose frames hold no secret."""
    try:
        _broken()
    except ValueError:
        return ExceptionReporter(RequestFactory().get("/"), *sys.exc_info()).get_traceback_html()


def test_the_debug_page_shows_no_password_of_any_url_setting(settings):
    # Built at run time: the page also shows this test's source lines, which must not
    # be what contains the secrets.
    secret = {name: f"{name}-{n}-{'x' * n}" for n, name in enumerate(("db", "mail", "redis", "broker", "cache"), 3)}
    settings.DEBUG = True
    settings.DATABASE_URL = f"postgres://story:{secret['db']}@db:5432/storyforge"
    settings.EMAIL_URL = f"smtp://mailer:{secret['mail']}@smtp.example.org:587"
    settings.REDIS_URL = f"redis://:{secret['redis']}@cache:6379/0"
    settings.CELERY_BROKER_URL = f"redis://:{secret['broker']}@cache:6379/1"
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://:{secret['cache']}@cache:6379/2"}
    }
    html = _debug_page()

    for value in secret.values():
        assert value not in html
    assert "postgres://story:********************@db:5432/storyforge" in html
