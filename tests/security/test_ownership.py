"""Ownership matrix: every route of the URL configuration that takes an object id,
every method, asked by a second grown-up about the first one's objects, answers 404
(or 405 for a method the view does not take) and shows none of the owner's data.

The list of routes comes from the resolver, so a new id-taking route is covered the
day it is added; one with a parameter name missing from `values` fails the test."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken
from characters.models import Character, Portrait, Relationship
from stories.models import Illustration, Page, Series, Story
from storyforge.generation.models import GenerationJob
from tests.api_client import token_client
from tests.factories import UserFactory
from tests.security import Route, object_graph, routes

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

METHODS = ("get", "post", "put", "patch", "delete")

# Routes with parameters that are not anyone's object: left out on purpose.
PUBLIC = {
    "shared",  # /shared/<token>/: the read-only page of a book its owner chose to share (tests/stories/test_sharing.py)
    "password_reset_confirm",  # /accounts/password/reset/<uidb64>/<token>/: Django's signed reset link
}
NOT_OURS = ("admin/",)  # Django's admin: staff only, its own permission system (tests/test_admin.py)
MEDIA = ("media/",)  # files under MEDIA_ROOT, named by random paths, not ids (docs/operations.md)


def values_of(graph) -> dict[str, list]:
    """URL parameter name -> the owner's values to try."""
    story = graph["story"]
    return {
        "character_id": [graph["character"].pk],
        "portrait_id": [graph["portrait"].pk],
        "relationship_id": [graph["relationship"].pk],
        "story_id": [story.pk],
        "series_id": [graph["series"].pk],
        "number": [1],
        "illustration_id": [graph["illustrations"][0].pk],
        "job_id": [graph["job"].pk],
        "version": [graph["revision"].version],
        "cover_id": [graph["cover"].pk],
        "token_id": [graph["token"].pk],
        "step": [1],  # a wizard step, not an object: the character id is what is owned
        "format": ["json", "png", "pdf", "epub"],  # card and export formats
    }


def id_routes():
    for route in routes():
        if not route.parameters or route.name in PUBLIC or route.route.startswith(NOT_OURS + MEDIA):
            continue
        yield route


def addresses(route, values):
    unknown = [name for name in route.parameters if name not in values]
    assert not unknown, f"{route.route}: add {unknown} to values_of() in tests/security/test_ownership.py"
    combos = [{}]
    for name in route.parameters:
        combos = [{**combo, name: value} for combo in combos for value in values[name]]
    return [route.address(combo) for combo in combos]


def png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, format="PNG")
    return buffer.getvalue()


# A valid body for every form and serializer, so that a refusal is about ownership and
# not about the input (a 400 for bad input would say nothing about whose object it is).
FIELDS = {"title": "A stranger's title", "text": "A stranger's text", "what": "text", "version": 1, "name": "Zed"}


def request(client, method: str, address: str, is_api: bool):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if method == "get":
        return client.get(address, follow=not is_api)
    if address.rstrip("/").endswith(("upload", "import")):
        data = {**FIELDS, "file": SimpleUploadedFile("p.png", png(), content_type="image/png")}
        return getattr(client, method)(address, data) if method == "post" else getattr(client, method)(address)
    if is_api:
        return getattr(client, method)(address, FIELDS, format="json")
    if method == "post":
        return client.post(address, FIELDS, follow=True)
    return getattr(client, method)(address)


def owners_words(graph) -> list[str]:
    words = [
        graph["character"].name,
        graph["friend"].name,
        graph["story"].title,
        graph["series"].title,
        graph["token"].name,
        *(page.text for page in graph["pages"]),
    ]
    return [word for word in words if word]


def counts() -> dict:
    models = (Character, Portrait, Relationship, Story, Series, Page, Illustration, GenerationJob, ApiToken)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def graph(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS)
    return object_graph()


def test_the_matrix_covers_the_id_taking_routes_of_every_app():
    covered = {route.route for route in id_routes()}
    for route in ("characters/<id:character_id>/", "stories/<id:story_id>/", "accounts/tokens/<id:token_id>/revoke/"):
        assert route in covered
    assert "api/v1/jobs/<id:job_id>/" in covered
    assert len(covered) >= 40


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_another_user_reaches_none_of_the_owners_objects(graph, htmx):
    stranger = UserFactory()
    html = Client(headers={"HX-Request": "true"} if htmx else {})
    html.force_login(stranger)
    api = token_client(stranger)
    before = counts()
    words = owners_words(graph)
    values = values_of(graph)
    wrong = []
    for route in id_routes():
        client = api if route.is_api else html
        for address in addresses(route, values):
            for method in METHODS:
                response = request(client, method, address, route.is_api)
                body = b"".join(response) if response.streaming else response.content
                text = body.decode(errors="replace")
                if response.status_code not in (404, 405):
                    wrong.append(f"{method.upper()} {address}: {response.status_code}")
                leaked = [word for word in words if word in text]
                if leaked:
                    wrong.append(f"{method.upper()} {address}: shows {leaked}")
    assert not wrong, "\n".join(wrong)
    assert counts() == before  # nothing of the owner's was changed or deleted, nothing added


def test_an_unknown_parameter_name_fails_the_matrix(graph):
    with pytest.raises(AssertionError, match="add \\['gadget_id'\\]"):
        addresses(Route("gadgets/<id:gadget_id>/", "gadget", None), values_of(graph))


def test_the_owner_reaches_their_own_objects(graph):
    # The matrix's 404s mean something only if the same addresses work for the owner.
    client = Client()
    client.force_login(graph["owner"])
    story, character = graph["story"], graph["character"]
    for address in (f"/stories/{story.pk}/", f"/characters/{character.pk}/", f"/series/{graph['series'].pk}/"):
        assert client.get(address).status_code == 200, address
    api = APIClient()
    api.force_authenticate(graph["owner"])
    assert api.get(f"/api/v1/stories/{story.pk}/").status_code == 200
    assert api.get(f"/api/v1/characters/{character.pk}/portraits/").status_code == 200
    assert api.get(f"/api/v1/jobs/{graph['job'].pk}/").status_code == 200
