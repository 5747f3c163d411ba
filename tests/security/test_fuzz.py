"""Fuzzing: every HTML form with Hypothesis (text, unicode, huge strings, numbers;
random bytes for the card import) and the API with schemathesis at more examples than
tests/test_api_schema.py. Whatever is sent, the answer is never a 5xx."""

import time

import hypothesis
import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from tests.factories import CharacterFactory, UserFactory
from tests.security import object_graph

pytestmark = pytest.mark.django_db

# The everyday part: few examples, the same ones each run (derandomize), no shrinking.
FORMS = hypothesis.settings(
    max_examples=12,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "9" * 40,
    "1e309",
    "NaN",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\u202e\u0000",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🐉",
    "\ud7ff\ufffe",
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds(lambda char, times: char * times, st.characters(codec="utf-8"), st.integers(1_000, 200_000)),
)


def form_data(fields) -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {}, optional={field: st.one_of(values, st.lists(values, max_size=4)) for field in fields}
    )


def assert_no_server_error(response, address, data):
    assert response.status_code < 500, (address, {k: str(v)[:80] for k, v in data.items()})


@pytest.fixture
def graph(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS)
    graph = object_graph()
    graph["draft"] = CharacterFactory(owner=graph["owner"], draft=True)
    return graph


def logged_in(graph) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(graph["owner"])
    return client


SIGNED_OUT = {
    "/accounts/signup/": ["username", "email", "password"],
    "/accounts/login/": ["username", "password"],
}


@pytest.mark.parametrize("address", list(SIGNED_OUT))
def test_the_signed_out_forms_never_fail(address, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS)
    client = Client(raise_request_exception=False)

    @FORMS
    @hypothesis.given(data=form_data(SIGNED_OUT[address]))
    def answers(data):
        assert_no_server_error(client.post(address, data), address, data)

    answers()


def signed_in_forms(graph) -> dict[str, list[str]]:
    story, draft = graph["story"], graph["draft"]
    wizard = {
        1: ["name", "kind", "age", "pronouns"],
        2: ["traits", "custom_traits", "custom_trait"],
        3: ["hair_colour", "eye_colour", "skin_tone", "hair_style", "clothing", "distinctive_features"],
        4: ["backstory", "likes", "to_character", "kind", "note"],
        5: ["portrait"],
        6: ["go"],
    }
    forms = {f"/characters/{draft.pk}/wizard/{step}/": fields + ["go"] for step, fields in wizard.items()}
    forms.update(
        {
            f"/characters/{draft.pk}/wizard/1/autosave/": ["name", "age", "kind"],
            "/stories/new/": [
                "title",
                "series",
                "age_group",
                "page_count",
                "tone",
                "moral",
                "setting",
                "language",
                "art_style",
                f"role_{graph['character'].pk}",
            ],
            f"/stories/{story.pk}/pages/1/edit/": ["text", "version"],
            f"/stories/{story.pk}/title/": ["title"],
            "/accounts/": ["first_name", "last_name", "email", "default_age_group", "language", "text_size"],
            "/accounts/tokens/": ["name"],
            "/series/": ["title", "description"],
            f"/series/{graph['series'].pk}/edit/": ["title", "description"],
            "/characters/": ["q", "kind", "status"],
        }
    )
    return forms


FORM_NAMES = [
    *(f"wizard step {step}" for step in range(1, 7)),
    "wizard autosave",
    "studio",
    "page edit",
    "story title",
    "settings",
    "token",
    "series create",
    "series edit",
    "character gallery filter",
]


def form_named(graph, name: str) -> tuple[str, list[str]]:
    forms = signed_in_forms(graph)
    return list(forms.items())[FORM_NAMES.index(name)]


@pytest.mark.parametrize("name", FORM_NAMES)
def test_the_signed_in_forms_never_fail(graph, name):
    client = logged_in(graph)
    address, fields = form_named(graph, name)

    @FORMS
    @hypothesis.given(data=form_data(fields))
    def answers(data):
        assert_no_server_error(client.post(address, data), address, data)
        assert_no_server_error(client.get(address, data), address, data)

    answers()


def test_every_form_address_still_exists(graph):
    # Guard: a renamed address would turn the fuzzing above into 404s that test nothing.
    client = logged_in(graph)
    forms = signed_in_forms(graph)
    assert len(forms) == len(FORM_NAMES)
    for address in forms:
        response = client.get(address)
        assert response.status_code in (200, 302, 405), (address, response.status_code)


def test_the_card_import_never_fails_on_random_bytes(graph):
    client = logged_in(graph)

    @FORMS
    @hypothesis.given(
        name=st.sampled_from(["card.json", "card.png", "card", "..\\card.json", "c" * 300]),
        data=st.one_of(
            st.binary(max_size=4096),
            st.builds(lambda tail: b"\x89PNG\r\n\x1a\n" + tail, st.binary(max_size=4096)),
            st.builds(lambda text: text.encode(), st.text(max_size=500)),
            st.sampled_from(
                [b"{}", b"[]", b"null", b'{"spec": "chara_card_v2", "data": []}', b'{"data": {"name": 1}}']
            ),
        ),
    )
    def answers(name, data):
        response = client.post("/characters/import/", {"file": SimpleUploadedFile(name[:255], data)})
        assert response.status_code < 500, (name, data[:60])

    answers()


# The API with schemathesis, the same way as tests/test_api_schema.py (its pytest
# plugin does not run on pytest 9) but with more examples, bounded by time.

API_EXAMPLES = hypothesis.settings(
    max_examples=60,
    deadline=None,
    database=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)
API_BUDGET_SECONDS = 60


@pytest.fixture
def wsgi_app():
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.fuzz
def test_the_api_never_answers_with_a_server_error(wsgi_app, graph):
    from accounts.services import api_token_create

    object_graph(UserFactory())  # someone else's objects, for generated ids to meet
    key = api_token_create(user=graph["owner"], name="fuzz")[1]
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    headers = {"Authorization": f"Token {key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    per_operation = API_BUDGET_SECONDS / len(operations)
    failures, clock = {}, {}
    for operation in operations:
        clock["started"] = time.monotonic()

        @API_EXAMPLES
        @hypothesis.given(case=operation.as_strategy())
        def never_fails(case):
            if time.monotonic() - clock["started"] > per_operation:
                return  # this operation's share of the time is used up
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            never_fails()
        except (Exception, BaseExceptionGroup) as failure:
            failures[operation.label] = failure
    assert len(operations) >= 30
    assert not failures, "\n\n".join(f"{label}: {failure}" for label, failure in failures.items())
