"""Fixtures for the character tests: a logged-in grown-up, a fresh draft, and Celery
tasks run inline."""

import pytest

from tests.factories import CharacterFactory, UserFactory


@pytest.fixture
def user_client(client):
    client.user = UserFactory()
    client.force_login(client.user)
    return client


@pytest.fixture
def draft(user_client):
    return CharacterFactory(owner=user_client.user, draft=True, traits=[], hair_colour="", eye_colour="")
