"""OPTIONS and the browsable page of every API address. DRF answers OPTIONS from the
serializer a view names for its POST; a list view that named none answered 500
(issue 13), and so did its page in a browser (`Accept: text/html`)."""

import re

import pytest

from tests.api_client import *  # noqa: F403

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/v1/characters/": {"name", "traits"},
    "/api/v1/relationships/": {"from_character", "to_character", "kind"},
    "/api/v1/series/": {"title"},
    "/api/v1/stories/": {"characters"},
    "/api/v1/auth/tokens/": set(),
    "/api/v1/characters/1/portraits/": set(),
}


@pytest.fixture
def openapi(client) -> dict:
    return client.get("/api/schema/?format=json").json()


def _address(path: str) -> str:
    return re.sub(r"\{\w+\}", "1", path)


@pytest.mark.parametrize("path", sorted(LISTS))
def test_options_on_a_list_describes_what_a_post_requires(api, owner, path):
    from tests.factories import CharacterFactory

    CharacterFactory(owner=owner, pk=1)
    response = api.options(path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"name", "description", "renders", "parses", "actions"}
    assert "application/json" in body["parses"]
    fields = body["actions"]["POST"]
    assert {name for name, field in fields.items() if field["required"]} == LISTS[path]
    assert api.options(path).json() == body  # the same answer every time


def test_options_answers_on_every_address_of_the_schema(api, openapi):
    for path in openapi["paths"]:
        # OPTIONS describes the address, not an object: no id is looked up, nothing of one shown
        response = api.options(_address(path))
        assert response.status_code == 200, (path, response.content)
        assert response["Content-Type"] == "application/json", path
        allowed = {method.strip() for method in response["Allow"].split(",")}
        documented = {method.upper() for method in openapi["paths"][path]}
        assert allowed - {"OPTIONS", "HEAD"} == documented, path


def test_options_still_needs_a_token(anonymous):
    assert anonymous.options("/api/v1/characters/").status_code == 401


@pytest.mark.parametrize("path", sorted(LISTS))
def test_a_list_opens_in_a_browser(api, owner, path):
    from tests.factories import CharacterFactory

    CharacterFactory(owner=owner, pk=1)
    response = api.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
