"""The characters API: characters, their portraits (generated, chosen, uploaded) and
their relationships; every one of them private to its owner."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from characters.models import Character, Portrait, Relationship
from storyforge.generation.models import GenerationJob
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error, queries_of
from tests.factories import CharacterFactory, PortraitFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

CHARACTERS = "/api/v1/characters/"
RELATIONSHIPS = "/api/v1/relationships/"
MIA = {
    "name": "Mia",
    "kind": "child",
    "age": 5,
    "pronouns": "she/her",
    "traits": ["brave", "curious"],
    "custom_traits": ["loves frogs"],
    "hair_colour": "ginger",
    "hair_style": "curly",
    "eye_colour": "green",
    "skin_tone": "light",
    "clothing": "a yellow raincoat",
}


def png(size=(40, 30)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def character(owner):
    return CharacterFactory(owner=owner, name="Leo")


@pytest.fixture
def theirs(stranger):
    """A character of another grown-up."""
    return CharacterFactory(owner=stranger, name="Secret Sam")


def assert_not_found_without_data(response):
    assert_error(response, 404, "NOT_FOUND")
    assert b"Secret Sam" not in response.content


# Characters


def test_creating_a_character_answers_it_with_trait_labels_and_appearance(api, owner):
    response = api.post(CHARACTERS, MIA, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["status"], body["portrait_url"]) == ("Mia", "ready", None)
    assert [trait["label"] for trait in body["traits"]] == ["Brave", "Curious"]
    assert body["custom_traits"] == ["loves frogs"]
    assert "curly ginger hair" in body["appearance"]
    assert Character.objects.get(pk=body["id"]).owner == owner


def test_a_draft_may_be_incomplete(api):
    response = api.post(CHARACTERS, {"status": "draft"}, format="json")
    assert (response.status_code, response.json()["status"]) == (201, "draft")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"traits": ["grumpy"]}, "traits"),
        ({"hair_colour": "plaid"}, "hair_colour"),
        ({"age": -1}, "age"),
        ({"name": ""}, "name"),  # a ready character needs a name: the service says so
        ({"traits": [], "custom_traits": []}, "traits"),  # and 1-5 traits
    ],
)
def test_an_invalid_character_names_the_field(api, changes, field):
    error = assert_error(api.post(CHARACTERS, {**MIA, **changes}, format="json"), 400, "VALIDATION_ERROR")
    assert field in error["details"]["fields"]
    assert not Character.objects.exists()


def test_the_list_is_the_owners_newest_first_and_filterable(api, owner, theirs):
    leo = CharacterFactory(owner=owner, name="Leo", kind="child")
    rex = CharacterFactory(owner=owner, name="Rex", kind="dragon")
    draft = CharacterFactory(owner=owner, draft=True)
    body = api.get(CHARACTERS).json()
    assert body["count"] == 3
    assert [c["id"] for c in body["results"]] == [draft.pk, rex.pk, leo.pk]
    assert [c["name"] for c in api.get(f"{CHARACTERS}?kind=dragon").json()["results"]] == ["Rex"]
    assert [c["id"] for c in api.get(f"{CHARACTERS}?status=draft").json()["results"]] == [draft.pk]
    assert [c["name"] for c in api.get(f"{CHARACTERS}?search=le").json()["results"]] == ["Leo"]
    assert api.get(f"{CHARACTERS}?search=Secret").json()["count"] == 0


def test_the_list_is_paginated(api, owner):
    CharacterFactory.create_batch(3, owner=owner)
    body = api.get(f"{CHARACTERS}?page_size=2").json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"].endswith("page=2&page_size=2") and body["previous"] is None
    assert_error(api.get(f"{CHARACTERS}?page=9"), 404, "NOT_FOUND")


def test_an_unknown_filter_value_is_a_validation_error(api):
    error = assert_error(api.get(f"{CHARACTERS}?status=asleep"), 400, "VALIDATION_ERROR")
    assert "status" in error["details"]["fields"]


def test_the_list_costs_the_same_queries_for_5_and_50_characters(owner):
    for character in CharacterFactory.create_batch(5, owner=owner):
        PortraitFactory(character=character, is_selected=True)
        Character.objects.filter(pk=character.pk).update(selected_portrait=character.portraits.get())
    few = queries_of(owner, f"{CHARACTERS}?page_size=100")
    for character in CharacterFactory.create_batch(45, owner=owner):
        portrait = PortraitFactory(character=character, is_selected=True)
        Character.objects.filter(pk=character.pk).update(selected_portrait=portrait)
    assert queries_of(owner, f"{CHARACTERS}?page_size=100") == few


def test_a_character_shows_its_portrait_as_an_absolute_url(api, character):
    portrait = PortraitFactory(character=character, is_selected=True)
    Character.objects.filter(pk=character.pk).update(selected_portrait=portrait)
    body = api.get(f"{CHARACTERS}{character.pk}/").json()
    assert body["portrait_url"] == f"http://testserver{portrait.image.url}"


def test_patching_a_character_changes_only_what_is_sent(api, character):
    response = api.patch(f"{CHARACTERS}{character.pk}/", {"name": "Leonie", "age": 7}, format="json")
    assert response.status_code == 200
    character.refresh_from_db()
    assert (character.name, character.age, character.hair_colour) == ("Leonie", 7, "brown")


def test_patching_a_character_with_an_invalid_value_changes_nothing(api, character):
    error = assert_error(
        api.patch(f"{CHARACTERS}{character.pk}/", {"traits": ["brave"] * 6}, format="json"), 400, "VALIDATION_ERROR"
    )
    assert "traits" in error["details"]["fields"]
    character.refresh_from_db()
    assert character.traits == ["brave", "curious"]


def test_deleting_a_character(api, character):
    assert api.delete(f"{CHARACTERS}{character.pk}/").status_code == 204
    assert not Character.objects.filter(pk=character.pk).exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_character_is_not_found(api, theirs, method):
    response = getattr(api, method)(f"{CHARACTERS}{theirs.pk}/", {"name": "Mine now"}, format="json")
    assert_not_found_without_data(response)
    theirs.refresh_from_db()
    assert theirs.name == "Secret Sam"


# Portraits


def test_asking_for_portraits_queues_a_job(api, character, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(f"{CHARACTERS}{character.pk}/portraits/")
    assert response.status_code == 202
    body = response.json()
    job = GenerationJob.objects.get(pk=body["id"])
    assert (body["kind"], body["status"], body["character"]) == ("portrait", "queued", character.pk)
    assert job.request_id == response["X-Request-ID"]
    # the task, sent once the transaction commits (the page cache's callback aside)
    assert len([c for c in callbacks if not hasattr(c, "pagecache_user_ids")]) == 1


def test_the_portrait_job_carries_the_id_of_the_request_that_asked(api, character):
    response = api.post(f"{CHARACTERS}{character.pk}/portraits/", HTTP_X_REQUEST_ID="api-portrait-0001")
    assert response.status_code == 202 and response["X-Request-ID"] == "api-portrait-0001"
    assert GenerationJob.objects.get(pk=response.json()["id"]).request_id == "api-portrait-0001"


def test_portraits_are_refused_when_todays_quota_is_used_up(api, character, settings):
    settings.STORYFORGE_DAILY_GENERATIONS = 0
    error = assert_error(api.post(f"{CHARACTERS}{character.pk}/portraits/"), 429, "QUOTA_EXCEEDED")
    assert "resets_at" in error["details"]
    assert not GenerationJob.objects.exists()


def test_portraits_of_a_character_with_unsuitable_words_are_refused(api, owner):
    character = CharacterFactory(owner=owner, backstory="He carries a gun.")
    assert_error(api.post(f"{CHARACTERS}{character.pk}/portraits/"), 422, "CONTENT_FLAGGED")


def test_asking_for_portraits_counts_against_the_generation_limit(api, character, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "generation_user": "1/h"}
    assert api.post(f"{CHARACTERS}{character.pk}/portraits/").status_code == 202
    assert api.get(f"{CHARACTERS}{character.pk}/portraits/").status_code == 200  # reading is not generating
    response = api.post(f"{CHARACTERS}{character.pk}/portraits/")
    assert_error(response, 429, "RATE_LIMITED")
    assert "generation_user" in response["RateLimit-Policy"]


def test_the_portrait_candidates_are_listed_newest_first(api, character):
    older, newer = PortraitFactory(character=character), PortraitFactory(character=character)
    body = api.get(f"{CHARACTERS}{character.pk}/portraits/").json()
    assert [p["id"] for p in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["url"].startswith("http://testserver/")


def test_the_portrait_list_costs_the_same_queries_for_5_and_50(owner, character):
    PortraitFactory.create_batch(5, character=character)
    few = queries_of(owner, f"{CHARACTERS}{character.pk}/portraits/?page_size=100")
    PortraitFactory.create_batch(45, character=character)
    assert queries_of(owner, f"{CHARACTERS}{character.pk}/portraits/?page_size=100") == few


def test_choosing_a_portrait(api, character):
    portrait = PortraitFactory(character=character)
    response = api.post(f"{CHARACTERS}{character.pk}/portraits/{portrait.pk}/select/")
    assert (response.status_code, response.json()["is_selected"]) == (200, True)
    character.refresh_from_db()
    assert character.selected_portrait == portrait


def test_another_characters_portrait_cannot_be_chosen(api, character, owner):
    other = PortraitFactory(character=CharacterFactory(owner=owner))
    assert_error(api.post(f"{CHARACTERS}{character.pk}/portraits/{other.pk}/select/"), 404, "NOT_FOUND")


def test_uploading_a_portrait_makes_it_the_selected_one(api, character):
    response = api.post(f"{CHARACTERS}{character.pk}/portraits/upload/", {"file": png()}, format="multipart")
    assert response.status_code == 201
    body = response.json()
    assert (body["source"], body["is_selected"], body["width"]) == ("uploaded", True, 40)
    character.refresh_from_db()
    assert character.selected_portrait_id == body["id"]


@pytest.mark.parametrize(
    "data",
    [{}, {"file": SimpleUploadedFile("notes.txt", b"not a picture", content_type="text/plain")}],
)
def test_an_upload_that_is_not_a_picture_is_refused(api, character, data):
    error = assert_error(
        api.post(f"{CHARACTERS}{character.pk}/portraits/upload/", data, format="multipart"), 400, "VALIDATION_ERROR"
    )
    assert "file" in error["details"]["fields"]
    assert not Portrait.objects.exists()


@pytest.mark.parametrize(
    ("method", "suffix", "kwargs"),
    [
        ("get", "portraits/", {}),
        ("post", "portraits/", {}),
        ("post", "portraits/upload/", {"data": {"file": png()}, "format": "multipart"}),
    ],
)
def test_another_users_portraits_are_not_found(api, theirs, method, suffix, kwargs):
    PortraitFactory(character=theirs)
    assert_not_found_without_data(getattr(api, method)(f"{CHARACTERS}{theirs.pk}/{suffix}", **kwargs))
    assert Portrait.objects.filter(character=theirs).count() == 1
    assert not GenerationJob.objects.exists()


def test_another_users_portrait_cannot_be_chosen(api, theirs):
    portrait = PortraitFactory(character=theirs)
    assert_not_found_without_data(api.post(f"{CHARACTERS}{theirs.pk}/portraits/{portrait.pk}/select/"))
    portrait.refresh_from_db()
    assert not portrait.is_selected


# Relationships


def test_creating_a_relationship(api, owner, character):
    mia = CharacterFactory(owner=owner, name="Mia")
    response = api.post(
        RELATIONSHIPS,
        {"from_character": mia.pk, "to_character": character.pk, "kind": "sibling", "note": "big sister"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["from_character"] == {"id": mia.pk, "name": "Mia"}
    assert (body["kind"], body["kind_label"], body["note"]) == ("sibling", "sibling", "big sister")


def test_a_relationship_needs_a_known_kind(api, owner, character):
    mia = CharacterFactory(owner=owner)
    error = assert_error(
        api.post(
            RELATIONSHIPS, {"from_character": mia.pk, "to_character": character.pk, "kind": "enemy"}, format="json"
        ),
        400,
        "VALIDATION_ERROR",
    )
    assert "kind" in error["details"]["fields"]


def test_a_second_relationship_between_the_same_two_is_a_conflict(api, character, owner):
    existing = RelationshipFactory(from_character=character, to_character=CharacterFactory(owner=owner))
    response = api.post(
        RELATIONSHIPS,
        {"from_character": existing.to_character_id, "to_character": character.pk, "kind": "friend"},
        format="json",
    )
    assert_error(response, 409, "CONFLICT")


def test_a_relationship_with_another_users_character_is_not_found(api, character, theirs):
    response = api.post(
        RELATIONSHIPS, {"from_character": character.pk, "to_character": theirs.pk, "kind": "friend"}, format="json"
    )
    assert_not_found_without_data(response)
    assert not Relationship.objects.exists()


def test_relationships_are_listed_newest_first_and_filtered_by_character(api, owner, character):
    first = RelationshipFactory(from_character=character, to_character=CharacterFactory(owner=owner))
    second = RelationshipFactory(from_character=CharacterFactory(owner=owner), to_character=character)
    unrelated = RelationshipFactory(from_character=CharacterFactory(owner=owner))
    RelationshipFactory()  # someone else's
    assert [r["id"] for r in api.get(RELATIONSHIPS).json()["results"]] == [unrelated.pk, second.pk, first.pk]
    filtered = api.get(f"{RELATIONSHIPS}?character={character.pk}").json()["results"]
    assert [r["id"] for r in filtered] == [second.pk, first.pk]
    assert_error(api.get(f"{RELATIONSHIPS}?character=leo"), 400, "VALIDATION_ERROR")


def test_the_relationship_list_costs_the_same_queries_for_5_and_50(owner):
    RelationshipFactory.create_batch(5, from_character__owner=owner)
    few = queries_of(owner, f"{RELATIONSHIPS}?page_size=100")
    RelationshipFactory.create_batch(45, from_character__owner=owner)
    assert queries_of(owner, f"{RELATIONSHIPS}?page_size=100") == few


def test_reading_changing_and_deleting_a_relationship(api, character, owner):
    relationship = RelationshipFactory(from_character=character, to_character=CharacterFactory(owner=owner))
    url = f"{RELATIONSHIPS}{relationship.pk}/"
    assert api.get(url).json()["kind"] == "friend"
    response = api.patch(url, {"kind": "best-friend", "note": "since nursery"}, format="json")
    assert (response.status_code, response.json()["kind"], response.json()["note"]) == (
        200,
        "best-friend",
        "since nursery",
    )
    assert_error(api.patch(url, {"kind": "nemesis"}, format="json"), 400, "VALIDATION_ERROR")
    assert api.delete(url).status_code == 204
    assert not Relationship.objects.exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_relationship_is_not_found(api, theirs, stranger, method):
    relationship = RelationshipFactory(from_character=theirs, to_character=CharacterFactory(owner=stranger))
    response = getattr(api, method)(f"{RELATIONSHIPS}{relationship.pk}/", {"note": "mine"}, format="json")
    assert_not_found_without_data(response)
    relationship.refresh_from_db()
    assert relationship.note == ""


# Authentication


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", CHARACTERS),
        ("post", CHARACTERS),
        ("get", f"{CHARACTERS}1/"),
        ("patch", f"{CHARACTERS}1/"),
        ("delete", f"{CHARACTERS}1/"),
        ("get", f"{CHARACTERS}1/portraits/"),
        ("post", f"{CHARACTERS}1/portraits/"),
        ("post", f"{CHARACTERS}1/portraits/1/select/"),
        ("post", f"{CHARACTERS}1/portraits/upload/"),
        ("get", RELATIONSHIPS),
        ("post", RELATIONSHIPS),
        ("get", f"{RELATIONSHIPS}1/"),
        ("patch", f"{RELATIONSHIPS}1/"),
        ("delete", f"{RELATIONSHIPS}1/"),
    ],
)
def test_every_characters_endpoint_needs_credentials(anonymous, method, path):
    assert_error(getattr(anonymous, method)(path), 401, "AUTH_ERROR")


def test_the_browser_session_reads_characters_too(anonymous, owner, character):
    anonymous.force_login(owner)
    assert [c["name"] for c in anonymous.get(CHARACTERS).json()["results"]] == ["Leo"]
