"""Changing or resetting a password deletes the account's API tokens, on the page and
through `POST /api/v1/me/password/`, both through `services.password_change`."""

import re

import pytest
from django.contrib.auth import authenticate
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create
from tests.api_client import assert_error, token_client
from tests.factories import USER_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-pass-phrase"
ME_PASSWORD = "/api/v1/me/password/"


def _tokens(user, count=2) -> list[str]:
    return [api_token_create(user=user, name=f"tablet {n}")[1] for n in range(count)]


def _token_works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/me/").status_code == 200


def test_changing_the_password_on_the_page_deletes_the_tokens_and_keeps_the_session(client):
    user, bystander = UserFactory(), UserFactory()
    keys = _tokens(user)
    (bystander_key,) = _tokens(bystander, 1)
    client.force_login(user)
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "old password was entered incorrectly" in wrong.content.decode()
    assert all(_token_works(key) for key in keys)

    response = client.post(
        "/accounts/password/",
        {"old_password": USER_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert not any(_token_works(key) for key in keys)
    assert not ApiToken.objects.filter(user=user).exists()
    assert _token_works(bystander_key)
    assert authenticate(None, username=user.username, password=NEW_PASSWORD) == user
    assert client.get("/accounts/").status_code == 200  # still logged in on this browser


def test_resetting_the_password_by_email_deletes_the_tokens(client, mailoutbox):
    user = UserFactory(email="reset@example.org")
    keys = _tokens(user)
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"(/accounts/password/reset/[^/\s]+/[^/\s]+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]

    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/done/"
    assert not any(_token_works(key) for key in keys)
    assert authenticate(None, username=user.username, password=NEW_PASSWORD) == user
    assert client.get(set_url).context["validlink"] is False  # the link is spent


def test_the_api_changes_the_password_and_deletes_every_token_the_one_used_too():
    user, bystander = UserFactory(), UserFactory()
    other_key, *_ = _tokens(user, 1)
    (bystander_key,) = _tokens(bystander, 1)
    api = token_client(user)

    response = api.post(ME_PASSWORD, {"old_password": USER_PASSWORD, "new_password": NEW_PASSWORD}, format="json")

    assert response.status_code == 204
    assert api.get("/api/v1/me/").status_code == 401
    assert not _token_works(other_key)
    assert _token_works(bystander_key)
    assert authenticate(None, username=user.username, password=NEW_PASSWORD) == user


def test_the_api_refuses_a_wrong_current_password_and_keeps_the_tokens():
    user = UserFactory()
    api = token_client(user)

    response = api.post(ME_PASSWORD, {"old_password": "not-it", "new_password": NEW_PASSWORD}, format="json")

    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert list(error["details"]["fields"]) == ["old_password"]
    assert api.get("/api/v1/me/").status_code == 200
    assert authenticate(None, username=user.username, password=USER_PASSWORD) == user


def test_the_api_applies_the_password_rules():
    user = UserFactory()
    api = token_client(user)

    response = api.post(ME_PASSWORD, {"old_password": USER_PASSWORD, "new_password": "12345678"}, format="json")

    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert "too common" in " ".join(error["details"]["fields"]["new_password"])
    assert api.get("/api/v1/me/").status_code == 200
    assert authenticate(None, username=user.username, password=USER_PASSWORD) == user


def test_a_browser_changing_its_password_through_the_api_stays_logged_in(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        ME_PASSWORD, {"old_password": USER_PASSWORD, "new_password": NEW_PASSWORD}, content_type="application/json"
    )

    assert response.status_code == 204
    assert client.get("/api/v1/me/").status_code == 200


def test_the_admins_own_password_change_is_the_sites_page(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    answer = client.get("/admin/password_change/")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/password/"


def test_staff_setting_someones_password_in_the_admin_shuts_out_their_tokens(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    family = UserFactory()
    keys = _tokens(family)
    other = _tokens(UserFactory(), 1)

    answer = client.post(
        f"/admin/accounts/user/{family.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert answer.status_code == 302, answer.content.decode()[:500]
    assert authenticate(username=family.username, password=NEW_PASSWORD) is not None
    assert not any(_token_works(key) for key in keys)
    assert not ApiToken.objects.filter(user=family).exists()
    assert _token_works(other[0])
