from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from characters.catalogue import EYE_COLOURS, HAIR_COLOURS, HAIR_STYLES, SKIN_TONES, TRAITS_BY_KEY, Kind
from characters.models import Character, Portrait, Relationship, RelationshipKind
from tests.factories import CharacterFactory, PortraitFactory, RelationshipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.mark.parametrize("factory", [CharacterFactory, PortraitFactory, RelationshipFactory])
def test_every_character_factory_saves_a_valid_object(factory):
    made = factory()

    made.full_clean()
    assert type(made).objects.filter(pk=made.pk).exists()


def test_the_character_factory_uses_keys_from_the_catalogue():
    character = CharacterFactory()

    assert character.status == Character.Status.READY
    assert character.name
    assert set(character.traits) <= set(TRAITS_BY_KEY)
    assert character.hair_colour in {swatch.key for swatch in HAIR_COLOURS}
    assert character.hair_style in {key for key, _label in HAIR_STYLES}
    assert character.eye_colour in {swatch.key for swatch in EYE_COLOURS}
    assert character.skin_tone in {swatch.key for swatch in SKIN_TONES}


def test_the_portrait_factory_stores_a_real_png():
    portrait = PortraitFactory()

    assert portrait.image.name.startswith("portraits/")
    assert portrait.image.name.endswith(".png")
    assert (portrait.width, portrait.height) == (32, 24)
    with portrait.image.open("rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_relationship_factory_joins_two_characters_of_one_owner():
    relationship = RelationshipFactory()

    assert relationship.from_character != relationship.to_character
    assert relationship.from_character.owner == relationship.to_character.owner


# Character


def test_a_character_cannot_have_an_unknown_status():
    with pytest.raises(IntegrityError, match="character_status_known"), transaction.atomic():
        CharacterFactory(status="retired")


def test_a_character_cannot_be_an_unknown_kind():
    with pytest.raises(IntegrityError, match="character_kind_known"), transaction.atomic():
        CharacterFactory(kind="wizard")


@pytest.mark.parametrize("kind", Kind.values)
def test_a_character_can_be_every_known_kind(kind):
    assert CharacterFactory(kind=kind).kind == kind


def test_a_ready_character_must_have_a_name():
    with pytest.raises(IntegrityError, match="character_ready_has_name"), transaction.atomic():
        CharacterFactory(status=Character.Status.READY, name="")


def test_a_draft_character_may_have_no_name():
    draft = CharacterFactory(draft=True)

    assert (draft.status, draft.name) == (Character.Status.DRAFT, "")


def test_a_character_cannot_be_older_than_1000():
    with pytest.raises(IntegrityError, match="character_age_at_most_1000"), transaction.atomic():
        CharacterFactory(kind=Kind.DRAGON, age=1001)


@pytest.mark.parametrize("age", [0, 1000, None])
def test_a_character_can_be_up_to_1000_or_of_unknown_age(age):
    assert CharacterFactory(kind=Kind.DRAGON, age=age).age == age


def test_a_character_reads_as_its_name():
    assert str(CharacterFactory(name="Mia")) == "Mia"


def test_an_unnamed_draft_reads_as_its_number():
    draft = CharacterFactory(draft=True)

    assert str(draft) == f"Unnamed draft #{draft.pk}"


# Portrait


def test_a_character_cannot_have_two_selected_portraits():
    character = CharacterFactory()
    PortraitFactory(character=character, is_selected=True)

    with (
        pytest.raises(IntegrityError, match=r"portrait_one_selected_per_character|characters_portrait\.character_id"),
        transaction.atomic(),
    ):
        PortraitFactory(character=character, is_selected=True)


def test_a_character_can_have_many_unselected_portraits_beside_the_selected_one():
    character = CharacterFactory()
    PortraitFactory(character=character, is_selected=True)
    PortraitFactory.create_batch(2, character=character, is_selected=False)

    assert character.portraits.count() == 3


def test_two_characters_can_each_have_a_selected_portrait():
    PortraitFactory(is_selected=True)
    PortraitFactory(is_selected=True)

    assert Portrait.objects.filter(is_selected=True).count() == 2


def test_a_portrait_cannot_cost_less_than_nothing():
    with pytest.raises(IntegrityError, match="portrait_cost_not_negative"), transaction.atomic():
        PortraitFactory(cost=Decimal("-0.01"))


def test_a_portrait_can_be_free():
    assert PortraitFactory(cost=Decimal("0")).cost == 0


def test_a_portrait_reads_as_its_character_and_provider():
    portrait = PortraitFactory(provider="openai")

    assert str(portrait) == f"Portrait of {portrait.character_id} (openai)"


def test_deleting_the_selected_portrait_leaves_the_character_without_one():
    portrait = PortraitFactory(is_selected=True)
    character = portrait.character
    character.selected_portrait = portrait
    character.save()

    portrait.delete()

    character.refresh_from_db()
    assert character.selected_portrait is None


# Relationship


def test_a_character_cannot_be_related_to_itself():
    character = CharacterFactory()

    with pytest.raises(IntegrityError, match="relationship_not_with_itself"), transaction.atomic():
        RelationshipFactory(from_character=character, to_character=character)


def test_a_pair_cannot_be_related_again_the_other_way_round():
    relationship = RelationshipFactory(kind=RelationshipKind.PARENT)

    with pytest.raises(IntegrityError, match="relationship_one_per_pair"), transaction.atomic():
        RelationshipFactory(
            from_character=relationship.to_character,
            to_character=relationship.from_character,
            kind=RelationshipKind.PARENT,
        )


def test_a_pair_cannot_be_related_again_with_another_kind():
    relationship = RelationshipFactory(kind=RelationshipKind.FRIEND)

    with pytest.raises(IntegrityError, match="relationship_one_per_pair"), transaction.atomic():
        RelationshipFactory(
            from_character=relationship.from_character,
            to_character=relationship.to_character,
            kind=RelationshipKind.COUSIN,
        )


def test_a_character_can_be_related_to_several_others():
    leo = CharacterFactory(name="Leo")
    mia = CharacterFactory(name="Mia", owner=leo.owner)
    rex = CharacterFactory(name="Rex", owner=leo.owner, kind=Kind.ANIMAL)

    RelationshipFactory(from_character=mia, to_character=leo, kind=RelationshipKind.SIBLING)
    RelationshipFactory(from_character=rex, to_character=leo, kind=RelationshipKind.PET)
    RelationshipFactory(from_character=mia, to_character=rex, kind=RelationshipKind.FRIEND)

    assert Relationship.objects.count() == 3


def test_a_relationship_cannot_be_an_unknown_kind():
    with pytest.raises(IntegrityError, match="relationship_kind_known"), transaction.atomic():
        RelationshipFactory(kind="nemesis")


@pytest.mark.parametrize("kind", RelationshipKind.values)
def test_a_relationship_can_be_every_known_kind(kind):
    assert RelationshipFactory(kind=kind).kind == kind


@pytest.mark.parametrize(
    ("kind", "inverse"),
    [
        (RelationshipKind.PARENT, "child"),
        (RelationshipKind.GRANDPARENT, "grandchild"),
        (RelationshipKind.PET, "owner"),
        (RelationshipKind.TEACHER, "student"),
        (RelationshipKind.FRIEND, "friend"),
        (RelationshipKind.BEST_FRIEND, "best friend"),
        (RelationshipKind.SIBLING, "sibling"),
    ],
)
def test_a_relationship_reads_from_the_other_side(kind, inverse):
    assert RelationshipFactory.build(kind=kind).inverse_label() == inverse


def test_a_relationship_reads_as_a_sentence():
    owner = UserFactory()
    grandma = CharacterFactory(owner=owner, name="Grandma", kind=Kind.GROWN_UP)
    leo = CharacterFactory(owner=owner, name="Leo")

    relationship = RelationshipFactory(from_character=grandma, to_character=leo, kind=RelationshipKind.GRANDPARENT)

    assert str(relationship) == "Grandma is Leo's grandparent"


def test_deleting_a_character_removes_its_relationships_both_ways():
    leo = CharacterFactory()
    RelationshipFactory(from_character=leo)
    RelationshipFactory(to_character=leo, from_character__owner=leo.owner)

    leo.delete()

    assert not Relationship.objects.exists()
