"""Every change to characters and their relationships goes through here, whichever
interface asks: the wizard, the API, the admin's demo data, a command."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from characters import catalogue
from characters.models import Character, Relationship, RelationshipKind
from storyforge.errors import Conflict, InvalidInput, NotFound

APPEARANCE_PALETTES = {
    "hair_colour": catalogue.HAIR_COLOURS,
    "eye_colour": catalogue.EYE_COLOURS,
    "skin_tone": catalogue.SKIN_TONES,
}


def traits_validate(traits: list[str], custom_traits: list[str]) -> tuple[list[str], list[str]]:
    """Catalogue keys and custom traits, cleaned; InvalidInput naming the field otherwise."""
    unknown = [key for key in traits if key not in catalogue.TRAITS_BY_KEY]
    if unknown:
        raise InvalidInput.for_field("traits", f"Unknown trait: {', '.join(unknown)}.")
    if len(set(traits)) != len(traits):
        raise InvalidInput.for_field("traits", "Each trait can be chosen once.")
    custom = [" ".join(trait.split()) for trait in custom_traits if trait.strip()]
    if len(custom) > catalogue.MAX_CUSTOM_TRAITS:
        raise InvalidInput.for_field("custom_traits", f"Add at most {catalogue.MAX_CUSTOM_TRAITS} traits of your own.")
    too_long = [trait for trait in custom if len(trait) > catalogue.CUSTOM_TRAIT_MAX_LENGTH]
    if too_long:
        raise InvalidInput.for_field(
            "custom_traits", f"Keep each trait under {catalogue.CUSTOM_TRAIT_MAX_LENGTH} characters."
        )
    lowered = [trait.lower() for trait in custom] + [catalogue.TRAITS_BY_KEY[key].label.lower() for key in traits]
    if len(set(lowered)) != len(lowered):
        raise InvalidInput.for_field("custom_traits", "That trait is already chosen.")
    total = len(traits) + len(custom)
    if not catalogue.MIN_TRAITS <= total <= catalogue.MAX_TRAITS:
        raise InvalidInput.for_field(
            "traits", f"Choose between {catalogue.MIN_TRAITS} and {catalogue.MAX_TRAITS} traits (you have {total})."
        )
    return list(traits), custom


def _appearance_validate(fields: dict) -> None:
    for field, palette in APPEARANCE_PALETTES.items():
        value = fields.get(field)
        if value and value not in {swatch.key for swatch in palette}:
            raise InvalidInput.for_field(field, f"'{value}' is not one of the colours on offer.")


@transaction.atomic
def character_create(*, user, name: str, status: str = Character.Status.READY, **fields) -> Character:
    """A new character of `user`. A ready character needs a name and 1-5 traits; a
    draft may be incomplete and is checked again when it is confirmed."""
    name = " ".join(name.split())
    traits = fields.pop("traits", [])
    custom_traits = fields.pop("custom_traits", [])
    if status == Character.Status.READY:
        if not name:
            raise InvalidInput.for_field("name", "Give the character a name.")
        traits, custom_traits = traits_validate(traits, custom_traits)
    _appearance_validate(fields)
    character = Character(owner=user, name=name, status=status, traits=traits, custom_traits=custom_traits, **fields)
    character.full_clean(exclude=["owner", "selected_portrait"])
    character.save()
    return character


def _own_character(user, character_id: int) -> Character:
    try:
        return Character.objects.get(pk=character_id, owner=user)
    except Character.DoesNotExist:
        raise NotFound("That character does not exist, or it is not yours.") from None


@transaction.atomic
def relationship_create(
    *, user, from_character_id: int, to_character_id: int, kind: str, note: str = ""
) -> Relationship:
    """ "FROM is TO's <kind>", between two of the user's own characters."""
    if kind not in RelationshipKind.values:
        raise InvalidInput.for_field("kind", f"'{kind}' is not a kind of relationship StoryForge knows.")
    if from_character_id == to_character_id:
        raise InvalidInput.for_field("to_character", "A character cannot be related to itself.")
    from_character = _own_character(user, from_character_id)
    to_character = _own_character(user, to_character_id)
    try:
        with transaction.atomic():
            return Relationship.objects.create(
                from_character=from_character, to_character=to_character, kind=kind, note=note.strip()
            )
    except IntegrityError:
        raise Conflict(f"{from_character} and {to_character} already have a relationship; edit that one.") from None
