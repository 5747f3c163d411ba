"""A script in every field a grown-up writes is shown as text everywhere: pages, the
PDF, the EPUB and the API. Fields are filled through the factories (the moderation word
list may refuse some of them through the forms) and, for a few, through the forms too."""

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

import pytest
from django.test import Client
from pypdf import PdfReader
from rest_framework.test import APIClient

from characters.models import Character
from stories.models import Story
from stories.services import story_share
from tests.factories import StoryFactory
from tests.security import PAYLOAD, object_graph

pytestmark = pytest.mark.django_db

ESCAPED = "&lt;script&gt;"
RAW = ("<script>alert", "<img src=x", "onerror=alert(1)>")


@pytest.fixture
def graph(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS)
    return object_graph(text=PAYLOAD)


@pytest.fixture
def client_of(graph) -> Client:
    client = Client()
    client.force_login(graph["owner"])
    return client


def assert_shown_as_text(address: str, page: str, *, shown: bool = True):
    for raw in RAW:
        assert raw not in page, f"{address}: {raw!r} is in the page unescaped"
    if shown:
        assert ESCAPED in page, f"{address}: the payload is not shown"


def pages_of(graph) -> list[str]:
    story, character, series = graph["story"], graph["character"], graph["series"]
    return [
        "/",
        "/characters/",
        "/stories/",
        "/series/",
        f"/characters/{character.pk}/",
        f"/characters/{character.pk}/wizard/6/",  # the review step
        f"/stories/{story.pk}/",
        f"/stories/{story.pk}/print/",
        f"/series/{series.pk}/",
    ]


def test_every_page_shows_the_payload_as_text(graph, client_of):
    for address in pages_of(graph):
        response = client_of.get(address)
        assert response.status_code == 200, address
        assert_shown_as_text(address, response.content.decode())


def test_the_partials_and_the_progress_page_show_it_as_text(graph, client_of):
    story = graph["story"]
    htmx = Client(headers={"HX-Request": "true"})
    htmx.force_login(graph["owner"])
    for address in (f"/stories/{story.pk}/pages/1/", f"/stories/{story.pk}/pages/1/edit/"):
        response = htmx.get(address)
        assert response.status_code == 200, address
        assert_shown_as_text(address, response.content.decode())
    writing = StoryFactory(owner=graph["owner"], title=f"Book{PAYLOAD}", status=Story.Status.GENERATING)
    response = client_of.get(f"/stories/{writing.pk}/progress/", follow=True)
    assert response.status_code == 200
    assert_shown_as_text("progress", response.content.decode())


def test_the_shared_page_shows_it_as_text(graph):
    token = story_share(user=graph["owner"], story_id=graph["story"].pk)
    response = Client().get(f"/shared/{token}/")
    assert response.status_code == 200
    assert_shown_as_text("shared", response.content.decode())


def test_the_forms_store_the_payload_and_show_it_as_text(graph, client_of):
    story, series = graph["story"], graph["series"]
    client_of.post(f"/stories/{story.pk}/title/", {"title": f"Form{PAYLOAD}"})
    client_of.post(f"/series/{series.pk}/edit/", {"title": f"Form{PAYLOAD}", "description": PAYLOAD})
    story.refresh_from_db()
    series.refresh_from_db()
    assert story.title == f"Form{PAYLOAD}"
    assert series.title == f"Form{PAYLOAD}"
    for address in (f"/stories/{story.pk}/", f"/series/{series.pk}/", "/stories/"):
        page = client_of.get(address).content.decode()
        assert_shown_as_text(address, page)
        assert "Form&lt;script&gt;" in page


def test_the_pdf_shows_the_payload_as_literal_text_and_fetches_nothing(graph, client_of, caplog):
    caplog.set_level(logging.DEBUG)
    response = client_of.get(f"/stories/{graph['story'].pk}/export/pdf/")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", PAYLOAD) in flat  # as text: had it been markup, the <img> would be no text at all
    assert "refused to fetch" not in caplog.text


def test_the_epub_escapes_the_payload_in_its_xhtml(graph, client_of):
    response = client_of.get(f"/stories/{graph['story'].pk}/export/epub/")
    assert response.status_code == 200
    found = 0
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        for name in book.namelist():
            if not name.endswith((".xhtml", ".html", ".opf", ".ncx")):
                continue
            data = book.read(name).decode()
            root = ElementTree.fromstring(data)  # well-formed: the payload broke nothing
            scripts = [element for element in root.iter() if element.tag.rsplit("}", 1)[-1] in ("script", "img")]
            assert not [e for e in scripts if e.get("src") == "x" or (e.text or "").startswith("alert")], name
            for raw in RAW:
                assert raw not in data, name
            texts = "".join(root.itertext())
            found += texts.count('<script>alert("x")</script>')
    assert found >= 2


def test_the_api_returns_the_literal_string_as_json(graph):
    api = APIClient()
    api.force_authenticate(graph["owner"])
    character, story, series = graph["character"], graph["story"], graph["series"]
    for address, expected in (
        (f"/api/v1/characters/{character.pk}/", [("name", f"Mia{PAYLOAD}"), ("backstory", PAYLOAD)]),
        (f"/api/v1/stories/{story.pk}/", [("title", f"Book{PAYLOAD}"), ("moral", PAYLOAD)]),
        (f"/api/v1/series/{series.pk}/", [("title", f"Series{PAYLOAD}"), ("description", PAYLOAD)]),
    ):
        response = api.get(address)
        assert response.status_code == 200, address
        assert response["Content-Type"] == "application/json"
        body = response.json()
        for field, value in expected:
            assert body[field] == value, (address, field)
    pages = api.get(f"/api/v1/stories/{story.pk}/").json()
    assert PAYLOAD in str(pages)


def test_the_payload_is_really_in_every_field(graph):
    # Guard for the tests above: the graph carries the payload where they look for it.
    character = Character.objects.get(pk=graph["character"].pk)
    for field in ("clothing", "likes", "backstory", "distinctive_features"):
        assert getattr(character, field) == PAYLOAD, field
    assert character.custom_traits == [PAYLOAD]
    assert graph["relationship"].note == PAYLOAD
    assert {page.text for page in graph["pages"]} == {PAYLOAD}
