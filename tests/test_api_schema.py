"""The API's OpenAPI schema and docs page: the schema is valid OpenAPI 3 and
documents every endpoint's input, output and errors; the docs page loads nothing
from other hosts; and the API answers as the schema says (schemathesis)."""

import re

import hypothesis
import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_token_create
from stories.models import Story
from tests.factories import (
    CharacterFactory,
    GenerationJobFactory,
    IllustrationFactory,
    PageFactory,
    PortraitFactory,
    RelationshipFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
PUBLIC = {"/api/v1/auth/register/", "/api/v1/auth/token/"}


@pytest.fixture
def openapi(client) -> dict:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(openapi):
    for path, item in openapi["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_the_schema_is_valid_openapi_3(openapi):
    assert openapi["openapi"].startswith("3.")
    assert openapi["info"]["title"] == "StoryForge API"
    validate_schema(openapi)


def test_the_schema_builds_without_a_single_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_schema_documents_every_api_address(openapi):
    from django.urls import get_resolver

    documented = set(openapi["paths"])
    api_routes = {
        "/api/v1/" + re.sub(r"<id:(\w+)>", r"{\1}", str(pattern.pattern))
        for pattern in get_resolver().url_patterns
        if str(pattern.pattern) == "api/"
        for v1 in pattern.url_patterns
        if str(v1.pattern) == "v1/"
        for app in v1.url_patterns
        for pattern in app.url_patterns
    }
    assert api_routes and api_routes == documented


def test_every_operation_documents_its_body_its_answer_and_its_errors(openapi):
    for path, method, operation in operations(openapi):
        responses = operation["responses"]
        successes = [status for status in responses if status.startswith("2")]
        assert len(successes) == 1, (method, path)
        if successes != ["204"]:
            assert "content" in responses[successes[0]], (method, path)
        if method in ("post", "patch") and not path.endswith(("/select/", "/retry/", "/portraits/", "/narration/")):
            assert "requestBody" in operation, (method, path)
        errors = {status for status in responses if not status.startswith("2")}
        assert "429" in errors, (method, path)
        if path in PUBLIC:
            assert not [auth for auth in operation.get("security", []) if auth], (method, path)  # none needed
        else:
            assert "401" in errors and {"tokenAuth": []} in operation["security"], (method, path)
        for status in errors:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOutput"}, (method, path, status)


def test_the_error_shape_is_a_component(openapi):
    schemas = openapi["components"]["schemas"]
    assert schemas["ErrorOutput"]["properties"]["error"] == {"$ref": "#/components/schemas/ErrorDetailOutput"}
    assert set(schemas["ErrorDetailOutput"]["required"]) == {"code", "message", "details", "request_id"}


def test_the_schema_declares_token_authentication(openapi):
    scheme = openapi["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")


def test_the_docs_page_loads_nothing_from_other_hosts(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    addresses = re.findall(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)""", page)
    assert addresses
    assert not [address for address in addresses if re.match(r"(https?:)?//", address)], addresses
    # Its own script (no inline script: the Content-Security-Policy would block it) and the
    # Swagger UI files are served by StoryForge itself.
    for address in addresses:
        assert client.get(address).status_code == 200, address
    assert "<script>" not in page


# The API against its own schema (schemathesis). Its pytest integration does not
# run on this pytest (9.2 renamed the node attribute it rewrites), so each operation
# gets a plain Hypothesis test instead; the checks are the same.

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = hypothesis.settings(
    max_examples=10,
    deadline=None,
    database=None,
    derandomize=True,  # the same requests every run: a failure here is never a fluke
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],  # no shrinking: report the first failure
    suppress_health_check=list(hypothesis.HealthCheck),
)


@pytest.fixture
def token_key(settings) -> str:
    """A token of a grown-up with some of everything (and someone else with some too),
    so that generated ids meet real objects, theirs and not theirs."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_user": None, "generation_user": None}
    owner = UserFactory()
    character = CharacterFactory(owner=owner)
    PortraitFactory(character=character)
    RelationshipFactory(from_character=character, to_character=CharacterFactory(owner=owner))
    story = StoryFactory(owner=owner, status=Story.Status.READY, page_count=1, in_series=True)
    StoryCharacterFactory(story=story, character=character)
    IllustrationFactory(page=PageFactory(story=story, number=1))
    GenerationJobFactory(owner=owner, story=story)
    other = CharacterFactory()
    StoryCharacterFactory(character=other, story__owner=other.owner)
    return api_token_create(user=owner)[1]


@pytest.fixture
def wsgi_app():
    # What Django's test client does: the end of a request must not close the test's
    # database connection, and with it the transaction the test runs in.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_the_api_answers_as_its_schema_says(wsgi_app, token_key):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    headers = {"Authorization": f"Token {token_key}"}
    failures, tested = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @EXAMPLES
        @hypothesis.given(case=operation.as_strategy())
        def conforms(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            conforms()
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis reports a group of failures
            failures[operation.label] = failure
        tested += 1
    assert tested >= 30
    assert not failures, "\n\n".join(f"{label}: {failure}" for label, failure in failures.items())
