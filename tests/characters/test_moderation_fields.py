"""Every word a grown-up types about a character that goes into prompts is moderated
when it is saved, whatever the door: clothing, distinctive features and the other
typed fields of a character, and a relationship's note. Unsuitable words answer
CONTENT_FLAGGED and nothing changes; words already saved are not asked about again."""

import pytest

from characters.models import Character, Relationship
from characters.services import character_update, relationship_create
from storyforge.core.errors import ContentFlagged
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.characters.pages import field_error, html_of, wizard
from tests.factories import CharacterFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

CHARACTERS = "/api/v1/characters/"
RELATIONSHIPS = "/api/v1/relationships/"


@pytest.mark.parametrize(
    ("field", "words"),
    [("clothing", "a belt full of guns"), ("distinctive_features", "covered in blood"), ("likes", "shiny guns")],
)
def test_a_new_character_with_unsuitable_words_is_refused(api, field, words):
    body = {"name": "Mia", "traits": ["brave"], field: words}

    error = assert_error(api.post(CHARACTERS, body, format="json"), 422, "CONTENT_FLAGGED")

    assert "violence" in error["details"]["categories"]
    assert not Character.objects.exists()


@pytest.mark.parametrize(("field", "words"), [("clothing", "a gun belt"), ("distinctive_features", "a bloody scar")])
def test_changing_a_character_to_unsuitable_words_changes_nothing(api, owner, field, words):
    character = CharacterFactory(owner=owner, clothing="a yellow raincoat", distinctive_features="freckles")

    assert_error(api.patch(f"{CHARACTERS}{character.pk}/", {field: words}, format="json"), 422, "CONTENT_FLAGGED")

    character.refresh_from_db()
    assert (character.clothing, character.distinctive_features) == ("a yellow raincoat", "freckles")


def test_the_wizards_appearance_step_says_the_words_are_unsuitable(client, owner):
    client.force_login(owner)
    draft = CharacterFactory(owner=owner, draft=True, clothing="")

    response = client.post(wizard(draft, 3), {"clothing": "a gun holster", "go": "next"})

    assert response.status_code == 400
    assert "not suitable for a children" in html_of(response)
    draft.refresh_from_db()
    assert draft.clothing == ""


def test_a_relationship_with_an_unsuitable_note_is_refused(api, owner):
    mia, leo = CharacterFactory(owner=owner), CharacterFactory(owner=owner)
    body = {"from_character": mia.pk, "to_character": leo.pk, "kind": "friend", "note": "they hide a gun"}

    assert_error(api.post(RELATIONSHIPS, body, format="json"), 422, "CONTENT_FLAGGED")

    assert not Relationship.objects.exists()
    with pytest.raises(ContentFlagged):
        relationship_create(user=owner, from_character_id=mia.pk, to_character_id=leo.pk, kind="friend", note="kill")


def test_the_wizard_says_a_relationship_note_is_unsuitable_beside_it(client, owner):
    client.force_login(owner)
    draft = CharacterFactory(owner=owner, draft=True)
    leo = CharacterFactory(owner=owner, name="Leo")
    post = {
        "backstory": "Lives by the sea.",
        "relationship-to_character": leo.pk,
        "relationship-kind": "friend",
        "relationship-note": "they shoot guns together",
        "go": "add_relationship",
    }

    response = client.post(wizard(draft, 4), post)

    assert response.status_code == 400
    assert "not suitable for a children" in field_error(html_of(response), "id_relationship-note_error")
    assert not Relationship.objects.exists()


def test_changing_a_relationships_note_to_unsuitable_words_changes_nothing(api, owner):
    relationship = RelationshipFactory(from_character=CharacterFactory(owner=owner), note="big sister")

    response = api.patch(f"{RELATIONSHIPS}{relationship.pk}/", {"note": "a bloody fight"}, format="json")

    assert_error(response, 422, "CONTENT_FLAGGED")
    relationship.refresh_from_db()
    assert relationship.note == "big sister"


@pytest.mark.django_db(transaction=True)
def test_only_new_words_are_asked_about(owner, openai_settings, fake_openai):
    """The wizard saves every step again and again: words saved before are not sent again."""
    character = CharacterFactory(owner=owner, clothing="a yellow raincoat", backstory="Lives by the sea.")

    character_update(user=owner, character_id=character.pk, clothing="a yellow raincoat", age=6)
    assert fake_openai.requests_for("moderations") == []

    character_update(user=owner, character_id=character.pk, clothing="a green cape", backstory="Lives by the sea.")
    (request,) = fake_openai.requests_for("moderations")
    assert request.json["input"] == ["a green cape"]
