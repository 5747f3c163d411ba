"""API tokens record when they were last used, and expire STORYFORGE_TOKEN_DAYS after
they were made when that is set (0, the default, keeps them until revoked)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _me(client, key):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_stops_working_after_the_configured_days(client, settings):
    settings.STORYFORGE_TOKEN_DAYS = 30
    token, key = api_token_create(user=UserFactory())
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - timedelta(days=29, hours=23))
    assert _me(client, key).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - timedelta(days=30, seconds=1))
    expired = _me(client, key)
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "AUTH_ERROR"


def test_without_the_setting_a_token_lasts_until_revoked(client, settings):
    settings.STORYFORGE_TOKEN_DAYS = 0
    token, key = api_token_create(user=UserFactory())
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - timedelta(days=3000))
    assert _me(client, key).status_code == 200


def test_the_token_list_says_when_each_was_last_used_and_when_it_expires(client, settings):
    settings.STORYFORGE_TOKEN_DAYS = 90
    token, key = api_token_create(user=UserFactory())
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None

    [listed] = client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {key}").json()["results"]

    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.last_used_at is not None
    assert listed["last_used_at"] is not None
    expires = timezone.datetime.fromisoformat(listed["expires_at"].replace("Z", "+00:00"))
    assert abs(expires - (stored.created_at + timedelta(days=90))) < timedelta(seconds=1)
    client.force_login(token.user)
    assert "Expires" in client.get("/accounts/").content.decode()
