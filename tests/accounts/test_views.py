"""Signing up, logging in (with the lockout), preferences, API tokens, deleting."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from accounts.models import ApiToken
from accounts.services import api_token_authenticate
from tests.factories import CharacterFactory, IllustrationFactory, PageFactory, PortraitFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-123"


def test_a_visitor_signs_up_and_lands_on_the_dashboard_logged_in(client):
    response = client.post(
        "/accounts/signup/", {"username": "nadia", "email": "nadia@example.org", "password": "a-long-secret-9"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    assert "Hello, nadia" in page.content.decode()


def test_signup_errors_appear_beside_their_fields_and_keep_the_input(client):
    UserFactory(username="taken")
    response = client.post("/accounts/signup/", {"username": "Taken", "email": "new@example.org", "password": "123"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "That username is taken." in html and "This password is too short." in html
    assert 'value="Taken"' in html
    bad_email = client.post("/accounts/signup/", {"username": "fresh", "email": "not-an-email", "password": "x"})
    assert "Enter a valid email address." in bad_email.content.decode()
    assert get_user_model().objects.count() == 1


def test_login_works_with_the_right_password(client):
    user = UserFactory()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == user


def test_repeated_failures_lock_a_username_without_revealing_whether_it_exists(client, settings):
    settings.STORYFORGE_LOGIN_LOCKOUT = 3
    user = UserFactory()
    answers = {}
    for username in (user.username, "nobody-by-this-name"):
        for _ in range(3):
            client.post("/accounts/login/", {"username": username, "password": "wrong"})
        locked = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        answers[username] = (locked.status_code, "try again" in locked.content.decode().lower())
    assert answers[user.username] == answers["nobody-by-this-name"] == (429, True)


def test_preferences_are_saved(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/",
        {"email": user.email, "default_age_group": "6-8", "language": "de", "text_size": "large", "first_name": "Ana"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.default_age_group, user.language, user.text_size, user.first_name) == ("6-8", "de", "large", "Ana")
    assert 'class="text-large"' in client.get("/").content.decode()


def test_a_token_is_shown_once_works_for_the_api_and_can_be_revoked(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/accounts/tokens/", {"name": "Home tablet"})
    page = client.get("/accounts/").content.decode()
    token = ApiToken.objects.get(user=user)
    key = page.split("New token: <code>")[1].split("</code>")[0]
    assert key.startswith(token.prefix) and api_token_authenticate(key) == user
    assert key not in client.get("/accounts/").content.decode()  # never shown again
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert api_token_authenticate(key) is None


def test_another_users_token_cannot_be_revoked(client):
    token = ApiToken.objects.create(user=UserFactory(), name="theirs", digest="d" * 64, prefix="dddddddd")
    client.force_login(UserFactory())
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_deleting_the_account_needs_the_password_and_removes_everything(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    portrait = PortraitFactory(character=CharacterFactory(owner=user))
    illustration = IllustrationFactory(page=PageFactory(story__owner=user))
    files = [Path(portrait.image.path), Path(illustration.image.path)]
    client.force_login(user)
    wrong = client.post("/accounts/delete/", {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not any(path.exists() for path in files)


def test_password_reset_sends_an_email(client, mailoutbox):
    user = UserFactory(email="reset@example.org")
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/password/reset/" in mailoutbox[0].body


@pytest.mark.parametrize("path", ["/accounts/", "/accounts/delete/", "/accounts/password/"])
def test_account_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
