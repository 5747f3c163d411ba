import pytest

from characters.models import Character, Relationship
from characters.services import character_create, relationship_create, traits_validate
from storyforge.core.errors import Conflict, InvalidInput, NotFound
from tests.factories import CharacterFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_ready_character_is_created_with_its_traits_and_appearance():
    user = UserFactory()
    character = character_create(
        user=user, name="  Mia   Rose ", traits=["brave", "kind"], custom_traits=[" loves  maps "], hair_colour="auburn"
    )
    character.refresh_from_db()
    assert character.owner == user and character.name == "Mia Rose" and character.status == "ready"
    assert character.traits == ["brave", "kind"] and character.custom_traits == ["loves maps"]


def test_a_draft_may_be_nameless_and_without_traits():
    character = character_create(user=UserFactory(), name="", status=Character.Status.DRAFT)
    assert character.status == "draft" and character.traits == []


def test_a_ready_character_needs_a_name():
    with pytest.raises(InvalidInput) as error:
        character_create(user=UserFactory(), name="   ", traits=["kind"])
    assert error.value.details == {"fields": {"name": ["Give the character a name."]}}
    assert not Character.objects.exists()


@pytest.mark.parametrize(
    ("traits", "custom", "field", "fragment"),
    [
        ([], [], "traits", "between 1 and 5"),
        (["brave", "kind", "funny", "shy", "calm", "clever"], [], "traits", "you have 6"),
        (["brave", "brave"], [], "traits", "once"),
        (["fearless"], [], "traits", "Unknown trait: fearless"),
        (["brave"], ["a" * 31], "custom_traits", "under 30"),
        (["brave"], ["Brave"], "custom_traits", "already chosen"),
        (["brave"], ["one", "two", "three", "four"], "custom_traits", "at most 3"),
    ],
)
def test_traits_are_validated(traits, custom, field, fragment):
    with pytest.raises(InvalidInput) as error:
        traits_validate(traits, custom)
    [message] = error.value.details["fields"][field]
    assert fragment in message


def test_an_appearance_colour_must_come_from_the_palette():
    with pytest.raises(InvalidInput) as error:
        character_create(user=UserFactory(), name="Mia", traits=["kind"], eye_colour="plaid")
    assert "eye_colour" in error.value.details["fields"]


def test_a_relationship_joins_two_of_the_users_characters():
    user = UserFactory()
    mia, leo = CharacterFactory(owner=user, name="Mia"), CharacterFactory(owner=user, name="Leo")
    relationship = relationship_create(
        user=user, from_character_id=mia.pk, to_character_id=leo.pk, kind="sibling", note=" big sister "
    )
    assert str(relationship) == "Mia is Leo's sibling" and relationship.note == "big sister"


def test_a_relationship_with_another_users_character_is_not_found():
    user = UserFactory()
    mine, theirs = CharacterFactory(owner=user), CharacterFactory()
    with pytest.raises(NotFound):
        relationship_create(user=user, from_character_id=mine.pk, to_character_id=theirs.pk, kind="friend")
    assert not Relationship.objects.exists()


def test_a_second_relationship_for_the_same_pair_is_a_conflict():
    user = UserFactory()
    mia, leo = CharacterFactory(owner=user), CharacterFactory(owner=user)
    relationship_create(user=user, from_character_id=mia.pk, to_character_id=leo.pk, kind="sibling")
    with pytest.raises(Conflict):
        relationship_create(user=user, from_character_id=leo.pk, to_character_id=mia.pk, kind="friend")
    assert Relationship.objects.count() == 1


@pytest.mark.parametrize(("kind", "same"), [("frenemy", False), ("friend", True)])
def test_a_relationship_needs_a_known_kind_and_two_characters(kind, same):
    user = UserFactory()
    mia, leo = CharacterFactory(owner=user), CharacterFactory(owner=user)
    with pytest.raises(InvalidInput):
        relationship_create(user=user, from_character_id=mia.pk, to_character_id=(mia if same else leo).pk, kind=kind)
