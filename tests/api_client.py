"""What the API tests share: clients logged in three ways, the error-shape check,
and a query counter for "a list of 5 costs what a list of 50 costs".

Import the fixtures into a test module with `from tests.api_client import *`.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services import api_token_create
from tests.factories import UserFactory

__all__ = ["anonymous", "api", "assert_error", "owner", "queries_of", "stranger", "token_client"]


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def stranger():
    """Another grown-up, whose objects the owner must never reach."""
    return UserFactory()


@pytest.fixture
def api(owner) -> APIClient:
    """The owner, authenticated with a real API token (`Authorization: Token <key>`)."""
    return token_client(owner)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def token_client(user) -> APIClient:
    _token, key = api_token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def assert_error(response, status: int, code: str) -> dict:
    """The response is the API's one error shape with this status and code; its error."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details", "request_id"}
    assert body["error"]["code"] == code
    assert body["error"]["request_id"] == response["X-Request-ID"]
    if status == 401:
        assert response["WWW-Authenticate"] == "Token"
    return body["error"]


def queries_of(user, path: str) -> int:
    """How many queries GET `path` costs, for a client authenticated without queries
    (so that only the endpoint's own reads are counted)."""
    client = APIClient()
    client.force_authenticate(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)
