"""The accounts API: signing up, logging in for a token, managing tokens, the
profile and preferences, usage figures and deleting the account."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import api_token_create
from characters.models import Character
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error, queries_of, token_client
from tests.factories import USER_PASSWORD, CharacterFactory, GenerationJobFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
ME = "/api/v1/me/"
USAGE = "/api/v1/me/usage/"


# Signing up


def test_signing_up_creates_the_account_and_never_answers_the_password(anonymous):
    response = anonymous.post(
        REGISTER, {"username": "maya", "email": "maya@example.com", "password": "a-long-pass-phrase"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["username"], body["email"]) == ("maya", "maya@example.com")
    assert "password" not in body
    assert User.objects.get(username="maya").check_password("a-long-pass-phrase")


def test_signing_up_with_missing_fields_lists_each_of_them(anonymous):
    error = assert_error(anonymous.post(REGISTER, {}, format="json"), 400, "VALIDATION_ERROR")
    assert set(error["details"]["fields"]) == {"username", "email", "password"}


def test_a_weak_password_or_a_taken_username_is_refused_by_the_service(anonymous):
    UserFactory(username="Maya")
    response = anonymous.post(
        REGISTER, {"username": "maya", "email": "m@example.com", "password": "123"}, format="json"
    )
    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert set(error["details"]["fields"]) == {"username", "password"}
    assert User.objects.filter(username__iexact="maya").count() == 1


def test_signing_up_is_rate_limited_per_address(anonymous, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_ip": "1/h"}
    anonymous.post(REGISTER, {"username": "one", "email": "one@example.com", "password": "a-long-pass-phrase"})
    response = anonymous.post(
        REGISTER, {"username": "two", "email": "two@example.com", "password": "a-long-pass-phrase"}
    )
    assert_error(response, 429, "RATE_LIMITED")
    assert int(response["Retry-After"]) >= 1
    assert not User.objects.filter(username="two").exists()


# Logging in for a token


def test_the_right_password_gives_a_token_that_opens_the_api(anonymous, owner):
    response = anonymous.post(TOKEN, {"username": owner.username, "password": USER_PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(ME).json()["username"] == owner.username
    assert ApiToken.objects.get(user=owner).prefix == key[:8]


def test_a_wrong_password_and_an_unknown_username_get_the_same_answer(anonymous, owner):
    wrong = assert_error(
        anonymous.post(TOKEN, {"username": owner.username, "password": "nope"}, format="json"), 401, "AUTH_ERROR"
    )
    unknown = assert_error(
        anonymous.post(TOKEN, {"username": "nobody-at-all", "password": "nope"}, format="json"), 401, "AUTH_ERROR"
    )
    assert wrong["message"] == unknown["message"] == "Wrong username or password."
    assert wrong["details"] == unknown["details"] == {}
    assert not ApiToken.objects.exists()


def test_logging_in_needs_both_fields(anonymous):
    error = assert_error(anonymous.post(TOKEN, {"username": "maya"}, format="json"), 400, "VALIDATION_ERROR")
    assert set(error["details"]["fields"]) == {"password"}


def test_a_username_is_locked_after_repeated_failures_even_for_the_right_password(anonymous, owner, settings):
    settings.STORYFORGE_LOGIN_LOCKOUT = 2
    for _ in range(2):
        assert_error(anonymous.post(TOKEN, {"username": owner.username, "password": "nope"}), 401, "AUTH_ERROR")
    response = anonymous.post(TOKEN, {"username": owner.username, "password": USER_PASSWORD}, format="json")
    error = assert_error(response, 429, "RATE_LIMITED")
    assert error["details"]["retry_after"] >= 1
    assert int(response["Retry-After"]) >= 1
    assert not ApiToken.objects.exists()


def test_a_stale_token_header_does_not_stop_logging_in(owner):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token revoked-long-ago")
    response = client.post(TOKEN, {"username": owner.username, "password": USER_PASSWORD}, format="json")
    assert response.status_code == 200


# Tokens


def test_the_token_list_shows_names_and_prefixes_never_keys(api, owner):
    response = api.get(TOKENS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    [token] = body["results"]
    assert set(token) == {"id", "name", "prefix", "created_at", "last_used_at", "expires_at"}
    assert token["name"] == "tests"
    assert token["last_used_at"] is not None  # this very request used it


def test_a_new_token_shows_its_key_once(api, owner):
    response = api.post(TOKENS, {"name": "Home printer"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Home printer" and body["prefix"] == body["key"][:8]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['key']}")
    assert client.get(ME).status_code == 200
    listed = {token["name"]: token for token in api.get(TOKENS).json()["results"]}
    assert "key" not in listed["Home printer"]


def test_a_token_name_over_100_characters_is_refused(api):
    error = assert_error(api.post(TOKENS, {"name": "x" * 101}, format="json"), 400, "VALIDATION_ERROR")
    assert "name" in error["details"]["fields"]


def test_a_revoked_token_is_refused(owner):
    client = token_client(owner)
    [token] = ApiToken.objects.filter(user=owner)
    other = token_client(owner)
    assert other.delete(f"{TOKENS}{token.pk}/").status_code == 204
    assert_error(client.get(ME), 401, "AUTH_ERROR")
    assert other.get(ME).status_code == 200


def test_another_users_token_cannot_be_revoked(api, stranger):
    theirs, _key = api_token_create(user=stranger)
    assert_error(api.delete(f"{TOKENS}{theirs.pk}/"), 404, "NOT_FOUND")
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_the_token_list_costs_the_same_queries_for_5_and_50_tokens(owner):
    for _ in range(5):
        api_token_create(user=owner)
    few = queries_of(owner, f"{TOKENS}?page_size=100")
    for _ in range(45):
        api_token_create(user=owner)
    assert queries_of(owner, f"{TOKENS}?page_size=100") == few


# Profile and preferences


def test_the_profile_shows_the_preferences(api, owner):
    body = api.get(ME).json()
    assert body["username"] == owner.username
    assert (body["default_age_group"], body["language"], body["text_size"]) == ("3-5", "en", "medium")
    assert "password" not in body


def test_patching_the_profile_changes_only_what_is_sent(api, owner):
    response = api.patch(ME, {"language": "fr", "text_size": "large", "username": "renamed"}, format="json")
    assert response.status_code == 200
    owner.refresh_from_db()
    assert (owner.language, owner.text_size, owner.default_age_group) == ("fr", "large", "3-5")
    assert owner.username != "renamed"  # read-only
    assert response.json()["language"] == "fr"


def test_an_unknown_preference_value_is_a_validation_error(api, owner):
    error = assert_error(api.patch(ME, {"default_age_group": "99-100"}, format="json"), 400, "VALIDATION_ERROR")
    assert "default_age_group" in error["details"]["fields"]
    owner.refresh_from_db()
    assert owner.default_age_group == "3-5"


def test_the_usage_figures_count_todays_generations(api, owner, settings):
    settings.STORYFORGE_DAILY_GENERATIONS = 10
    GenerationJobFactory(owner=owner, succeeded=True)
    body = api.get(USAGE).json()
    assert body["today"] == {"tokens": 2400, "cost": "0.001250", "generations": 1}
    assert body["month"]["generations"] == 1
    assert body["generations_remaining"] == 9
    assert Decimal(body["remaining_budget"]) == settings.STORYFORGE_DAILY_BUDGET - Decimal("0.00125")
    assert body["resets_at"].endswith(("T00:00:00Z", "T00:00:00+00:00"))


# Deleting the account


def test_deleting_the_account_needs_the_password(api, owner):
    assert_error(api.delete(ME, {"password": "nope"}, format="json"), 400, "VALIDATION_ERROR")
    assert_error(api.delete(ME, {}, format="json"), 400, "VALIDATION_ERROR")
    assert User.objects.filter(pk=owner.pk).exists()


def test_deleting_the_account_deletes_everything_of_it(api, owner):
    CharacterFactory(owner=owner)
    assert api.delete(ME, {"password": USER_PASSWORD}, format="json").status_code == 204
    assert not User.objects.filter(pk=owner.pk).exists()
    assert not Character.objects.exists()


def test_deleting_the_account_deletes_its_narration_files(api, owner, django_capture_on_commit_callbacks):
    from pathlib import Path

    from tests.factories import SentenceClipFactory

    clip = SentenceClipFactory(page__story__owner=owner)
    path = Path(clip.audio.path)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(ME, {"password": USER_PASSWORD}, format="json").status_code == 204
    assert not path.exists()


# Authentication


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", TOKENS),
        ("post", TOKENS),
        ("delete", f"{TOKENS}1/"),
        ("get", ME),
        ("patch", ME),
        ("delete", ME),
        ("get", USAGE),
    ],
)
def test_every_account_endpoint_needs_credentials(anonymous, method, path):
    assert_error(getattr(anonymous, method)(path, {}, format="json"), 401, "AUTH_ERROR")


def test_an_unknown_token_is_refused(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    error = assert_error(anonymous.get(ME), 401, "AUTH_ERROR")
    assert error["message"] == "Invalid or revoked token."


def test_an_inactive_users_token_is_refused(owner):
    client = token_client(owner)
    User.objects.filter(pk=owner.pk).update(is_active=False)
    assert_error(client.get(ME), 401, "AUTH_ERROR")


def test_the_browser_session_works_too_with_its_csrf_token(owner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get(ME).json()["username"] == owner.username
    # Without the CSRF token a session may not change anything.
    assert_error(client.patch(ME, {"language": "de"}, format="json"), 403, "PERMISSION_DENIED")
    secret = "csrf0123456789abcdefghijklmnopqr"  # what the CSRF cookie holds, echoed in the header
    client.cookies["csrftoken"] = secret
    response = client.patch(ME, {"language": "de"}, format="json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.language == "de"


def test_ipv6_sign_ups_are_counted_per_64_not_per_address(anonymous, settings):
    """Any address of a /64 is the same household: picking another one gets no new allowance."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_ip": "1/h"}
    body = {"email": "a@example.com", "password": "a-long-pass-phrase"}
    first = anonymous.post(REGISTER, {**body, "username": "one"}, REMOTE_ADDR="2001:db8:1:2::1")
    same_64 = anonymous.post(REGISTER, {**body, "username": "two"}, REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other_64 = anonymous.post(REGISTER, {**body, "username": "three"}, REMOTE_ADDR="2001:db8:1:3::1")

    assert first.status_code == 201
    assert_error(same_64, 429, "RATE_LIMITED")
    assert other_64.status_code == 201


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_address_limits_count_ipv4_clients_alone_and_ipv6_per_64(rf, address, counted_as):
    from storyforge.core.ratelimit import client_network

    assert client_network(rf.get("/", REMOTE_ADDR=address)) == counted_as
