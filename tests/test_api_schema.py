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
from django.db import close_old_connections, transaction
from drf_spectacular.validation import validate_schema
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from accounts.services import api_token_create
from stories.models import Story
from tests.factories import (
    CharacterFactory,
    CoverPictureFactory,
    GenerationJobFactory,
    IllustrationFactory,
    PageFactory,
    PageRevisionFactory,
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
        if successes == ["200", "202"]:  # the file now, or (Prefer: respond-async) a note that it is being made
            assert "respond-async" in operation["description"] and "content" in responses["202"], (method, path)
            successes = ["200"]
        assert len(successes) == 1, (method, path)
        if successes != ["204"]:
            assert "content" in responses[successes[0]], (method, path)
        bodiless = ("/select/", "/retry/", "/portraits/", "/narration/", "/cancel/", "/restore/", "/cover/regenerate/")
        if method in ("post", "patch") and not path.endswith(bodiless):
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


# The coverage phase: schemathesis derives from the schema every boundary it states
# (required fields, lengths, enums, minimum and maximum, types), sends one request on
# each side of it, and expects the valid ones accepted and the invalid ones refused (400);
# it also sends each method the schema does not list (405, and OPTIONS answers). So a
# constraint the schema states but the API does not check, or the other way round,
# fails here. Its pytest plugin does not run on this pytest (above), so this is what
# `@schema.parametrize()` builds for the coverage phase, called directly.

COVERAGE_CHECKS = [
    *CHECKS,
    negative_data_rejection,
    positive_data_acceptance,
    unsupported_method,
    allow_header_conformance,
    missing_required_header,
]
COVERAGE = hypothesis.settings(
    deadline=None,
    database=None,
    derandomize=True,
    phases=[hypothesis.Phase.explicit],  # the coverage cases are explicit examples
    suppress_health_check=list(hypothesis.HealthCheck),
)
# Valid by the schema yet refused, for a reason no schema can state. Each is a rule about
# something other than the request's shape, checked by the service, with its test.
REFUSED_FOR_A_REASON = {
    # the password must be the account's own (tests/accounts/test_password_change.py)
    "POST /api/v1/me/password/",
    "DELETE /api/v1/me/",
    # the password rules include a list of common passwords (tests/accounts/test_api.py)
    "POST /api/v1/auth/register/",
    # the two characters must differ (tests/characters/test_api.py)
    "POST /api/v1/relationships/",
    # the file must be a picture, or carry a card (tests/security/test_uploads.py)
    "POST /api/v1/characters/{character_id}/portraits/upload/",
    "POST /api/v1/characters/import/",
    # the order must name each of the book's pages once (tests/stories/test_api_page_shaping.py)
    "POST /api/v1/stories/{story_id}/pages/reorder/",
}


@pytest.fixture
def graph(settings) -> dict:
    """A grown-up's token and the ids of their things, for addresses to point at."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_user": None, "generation_user": None}
    owner = UserFactory()
    character = CharacterFactory(owner=owner)
    portrait = PortraitFactory(character=character)
    relationship = RelationshipFactory(from_character=character, to_character=CharacterFactory(owner=owner))
    story = StoryFactory(owner=owner, status=Story.Status.READY, page_count=1, in_series=True)
    StoryCharacterFactory(story=story, character=character)
    illustration = IllustrationFactory(page=PageFactory(story=story, number=1, version=2))
    PageRevisionFactory(page=illustration.page, version=1)  # an earlier text to restore
    job = GenerationJobFactory(owner=owner, story=story)
    cover = CoverPictureFactory(story=story, chosen=True)
    spare_token = api_token_create(user=owner, name="spare")[0]  # the one DELETE /auth/tokens/{id}/ revokes
    ids = {
        "character_id": character.pk,
        "portrait_id": portrait.pk,
        "relationship_id": relationship.pk,
        "story_id": story.pk,
        "number": 1,
        "illustration_id": illustration.pk,
        "series_id": story.series_id,
        "job_id": job.pk,
        "token_id": spare_token.pk,
        "version": 1,
        "cover_id": cover.pk,
    }
    return {"key": api_token_create(user=owner)[1], "ids": {name: str(value) for name, value in ids.items()}}


def _sent_as_json(case) -> bool:
    """Only the JSON cases of a body that can be JSON: form encodings carry no null, no
    numbers and no nested objects, so schemathesis's type cases mean nothing in them (the
    form parsers are DRF's own; the uploads, multipart only, are still sent)."""
    return (
        case.media_type is None
        or case.media_type == "application/json"
        or "json" not in str(case.operation.definition.raw.get("requestBody", {}).get("content", {}))
    )


@pytest.mark.slow
def test_the_api_holds_every_boundary_its_schema_states(wsgi_app, graph):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    # A documented 422 refuses valid words for what they say (moderation) or a language the
    # configured AI does not write: neither is the request's shape.
    accepted = schema.config.checks.positive_data_acceptance
    accepted.expected_statuses = [*accepted.expected_statuses, "422"]
    headers = {"Authorization": f"Token {graph['key']}"}
    failures, sent = {}, []

    def holds(case):
        if not _sent_as_json(case):
            return
        path = case.meta.components.get(ParameterLocation.PATH)
        if path is None or not path.mode.is_negative:  # an address that means a real thing
            case.path_parameters = {name: graph["ids"][name] for name in case.path_parameters or {}}
        refused_for_a_reason = case.operation.label in REFUSED_FOR_A_REASON
        checks = [
            check for check in COVERAGE_CHECKS if not (refused_for_a_reason and check is positive_data_acceptance)
        ]
        sent.append(case)
        with transaction.atomic():  # every case meets the same things: none deleted or changed by another
            try:
                case.call_and_validate(headers=headers, checks=checks)
            finally:
                transaction.set_rollback(True)

    for result in schema.get_all_operations():
        operation = result.ok()
        test = create_test(
            operation=operation,
            test_func=holds,
            config=HypothesisTestConfig(project=schema.config, modes=[HypothesisTestMode.COVERAGE], settings=COVERAGE),
        )
        try:
            test()
        except (Exception, BaseExceptionGroup) as failure:
            failures[operation.label] = failure
    assert len(sent) > 1000
    assert not failures, "\n\n".join(f"{label}: {failure}" for label, failure in failures.items())
