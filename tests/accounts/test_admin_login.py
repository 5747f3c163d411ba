"""The admin's sign-in at /admin/login/ goes through the site's sign-in service: the
per-username lockout, the per-address and per-username limits, and staff only."""

import pytest

from tests.factories import USER_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def _limits_off(settings, *names):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, **dict.fromkeys(names)}


def test_after_the_lockout_count_of_failures_even_the_right_password_is_refused(client, settings):
    _limits_off(settings, "login_ip", "login_user")  # only the lockout is at work here
    settings.STORYFORGE_LOGIN_LOCKOUT = 3
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(3):
        assert _login(client, staff.username, "wrong").status_code == 200

    locked = _login(client, staff.username, USER_PASSWORD)

    assert locked.status_code == 429
    assert "try again" in locked.content.decode().lower()
    assert client.get("/admin/").status_code == 302  # not let in
    other = UserFactory(is_staff=True)  # the lock is on that username only
    assert _login(client, other.username, USER_PASSWORD)["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_lockout_is_shared_with_the_sites_own_sign_in(client, settings):
    _limits_off(settings, "login_ip", "login_user")
    settings.STORYFORGE_LOGIN_LOCKOUT = 3
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(3):
        client.post("/accounts/login/", {"username": staff.username, "password": "wrong"})

    assert _login(client, staff.username, USER_PASSWORD).status_code == 429


def test_one_address_trying_many_usernames_is_limited_with_a_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_ip": "3/m", "login_user": None}
    staff = UserFactory(is_staff=True, is_superuser=True)
    for number in range(3):
        assert _login(client, f"guess-{number}", "wrong", REMOTE_ADDR="203.0.113.9").status_code == 200

    limited = _login(client, staff.username, USER_PASSWORD, REMOTE_ADDR="203.0.113.9")

    assert limited.status_code == 429 and "Retry-After" in limited
    assert _login(client, staff.username, USER_PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_one_username_tried_from_many_addresses_is_limited_with_a_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_ip": None, "login_user": "3/m"}
    settings.STORYFORGE_LOGIN_LOCKOUT = 100
    staff = UserFactory(is_staff=True, is_superuser=True)
    for number in range(3):
        _login(client, staff.username, "wrong", REMOTE_ADDR=f"203.0.113.{number}")

    limited = _login(client, staff.username, USER_PASSWORD, REMOTE_ADDR="203.0.113.99")

    assert limited.status_code == 429


def test_someone_who_is_not_staff_cannot_enter_and_their_failures_count_too(client, settings):
    _limits_off(settings, "login_ip", "login_user")
    settings.STORYFORGE_LOGIN_LOCKOUT = 3
    user = UserFactory(is_staff=False)

    refused = _login(client, user.username, USER_PASSWORD)

    assert refused.status_code == 200 and "staff account" in refused.content.decode()
    assert client.get("/admin/").status_code == 302
    for _ in range(3):
        _login(client, user.username, "wrong")
    assert _login(client, user.username, USER_PASSWORD).status_code == 429
