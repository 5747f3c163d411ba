"""The log-in lockout: a username locked after STORYFORGE_LOGIN_LOCKOUT failures,
from whatever address, through `accounts.services.user_authenticate` as the log-in
form and the token API use it, and the lockout's own helpers."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.test import Client

from storyforge.core.errors import RateLimited
from storyforge.core.ratelimit import login_failure_record, login_lockout_check, login_success
from tests.core.ratelimit.urls import URLS
from tests.factories import USER_PASSWORD, UserFactory


def lockout_answer(username, *, password="wrong-password", address="192.0.2.10"):
    response = Client(REMOTE_ADDR=address).post("/test/lockout-login/", {"username": username, "password": password})
    return response.status_code, response.json()


@pytest.fixture
def lockout(settings, rates):
    settings.STORYFORGE_LOGIN_LOCKOUT = 3
    settings.STORYFORGE_LOGIN_LOCKOUT_SECONDS = 600
    return settings


@pytest.mark.urls(URLS)
@pytest.mark.django_db
def test_a_username_is_locked_after_the_failures_existing_or_not_with_the_same_answer(lockout, frozen):
    existing = UserFactory(username="mia-parent").username
    for username in (existing, "nobody-by-this-name"):
        failures = [lockout_answer(username, address=f"198.51.100.{n}") for n in range(3)]
        assert {status for status, _ in failures} == {400}
    answers = [lockout_answer(username, address="203.0.113.77") for username in (existing, "nobody-by-this-name")]
    assert answers[0] == answers[1]  # nothing tells whether the account exists
    status, body = answers[0]
    assert status == 429 and body["code"] == "RATE_LIMITED"
    assert body["details"] == {"retry_after": 600}
    assert "10 minutes" in body["message"]


@pytest.mark.urls(URLS)
@pytest.mark.django_db
def test_the_right_password_does_not_help_while_locked(lockout, frozen):
    user = UserFactory(username="leo-parent")
    for n in range(3):
        lockout_answer(user.username, address=f"198.51.100.{n}")
    assert lockout_answer(user.username, password=USER_PASSWORD)[0] == 429


@pytest.mark.urls(URLS)
@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(lockout, frozen):
    user = UserFactory(username="ada-parent")
    for _ in range(3):
        lockout_answer(user.username)
    frozen.shift(timedelta(seconds=599))
    assert lockout_answer(user.username, password=USER_PASSWORD)[0] == 429
    frozen.shift(timedelta(seconds=1))
    assert lockout_answer(user.username, password=USER_PASSWORD) == (200, {"message": "Welcome."})


@pytest.mark.urls(URLS)
@pytest.mark.django_db
def test_a_successful_log_in_forgets_the_failures(lockout, frozen):
    user = UserFactory(username="kim-parent")
    for _ in range(2):
        lockout_answer(user.username)
    assert lockout_answer(user.username, password=USER_PASSWORD)[0] == 200
    assert [lockout_answer(user.username)[0] for _ in range(3)] == [400, 400, 400]
    assert lockout_answer(user.username)[0] == 429


def test_the_lockout_ignores_case_and_surrounding_spaces(lockout, frozen):
    for spelling in ("Sam", " sam", "SAM "):
        login_lockout_check(spelling)
        login_failure_record(spelling)
    with pytest.raises(RateLimited):
        login_lockout_check("sam")


def test_simultaneous_guesses_cannot_get_past_the_lockout(lockout, frozen):
    start = threading.Barrier(50)

    def guess(_):
        start.wait()
        try:
            login_lockout_check("target")
        except RateLimited:
            return False
        return True

    with ThreadPoolExecutor(50) as pool:
        allowed = list(pool.map(guess, range(50)))
    assert allowed.count(True) == 3


def test_a_lockout_of_zero_turns_it_off(lockout, frozen):
    lockout.STORYFORGE_LOGIN_LOCKOUT = 0
    for _ in range(20):
        login_lockout_check("free")
        login_failure_record("free")
    login_success("free")
