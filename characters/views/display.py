"""What the character pages show: a character's traits, colours and relationships
as the grown-up reads them, and a service's error beside the field it concerns.
The wizard, the character page, the portrait step and the card import share these."""

from __future__ import annotations

from characters import catalogue
from characters.models import Character
from storyforge.core import errors
from storyforge.core.views import wait_phrase


def traits_of(character: Character) -> list[catalogue.Trait]:
    chosen = [catalogue.TRAITS_BY_KEY[key] for key in character.traits if key in catalogue.TRAITS_BY_KEY]
    return chosen + [catalogue.Trait("", text, "", "✏️", "") for text in character.custom_traits]


def swatches_of(character: Character) -> list[tuple[str, catalogue.Swatch]]:
    palettes = (
        ("Hair", catalogue.HAIR_COLOURS, character.hair_colour),
        ("Eyes", catalogue.EYE_COLOURS, character.eye_colour),
        ("Skin", catalogue.SKIN_TONES, character.skin_tone),
    )
    chosen = []
    for label, palette, key in palettes:
        swatch = next((swatch for swatch in palette if swatch.key == key), None)
        if swatch is not None:
            chosen.append((label, swatch))
    return chosen


def relationship_phrases(character: Character, relationships) -> list[dict]:
    """Each relationship as read from this character's side: "Mia is Leo's sibling",
    and from the other side "Leo is Mia's sibling" (or grandchild, owner, student)."""
    phrases = []
    for relationship in relationships:
        if relationship.from_character_id == character.pk:
            other, label = relationship.to_character, relationship.get_kind_display()
        else:
            other, label = relationship.from_character, relationship.inverse_label()
        phrases.append({"relationship": relationship, "other": other, "label": label, "note": relationship.note})
    return phrases


def error_onto(form, error: errors.DomainError, *, flagged_field: str | None = None) -> None:
    """Show a service's error beside the field it names, or above the form."""
    fields = error.details.get("fields") if isinstance(error, errors.InvalidInput) else None
    if fields:
        for field, field_messages in fields.items():
            form.add_error(field if field in form.fields else None, field_messages)
    elif isinstance(error, errors.ContentFlagged) and flagged_field in form.fields:
        form.add_error(flagged_field, "Some of these words are not suitable for a children's book; change them.")
    else:
        form.add_error(None, problem(error)["message"])


def problem(error: errors.DomainError) -> dict:
    """A generation error as the grown-up reads it: what happened and what to do next."""
    wait = error.retry_after()
    if isinstance(error, errors.RateLimited):
        message = f"You have asked for a lot of pictures in a short time. Try again in {wait_phrase(wait or 60)}."
        advice = "Meanwhile you can upload your own picture, or carry on without a portrait."
    elif isinstance(error, errors.QuotaExceeded):
        message = error.message
        advice = "Today's budget resets at midnight UTC. Meanwhile you can upload your own picture."
    elif isinstance(error, errors.AIUnavailable):
        message = f"The AI service is busy; try again in {wait_phrase(wait or 30)}."
        advice = "You can also upload your own picture."
    elif isinstance(error, errors.ContentFlagged):
        message = "Some words in this character are not suitable for a children's book."
        advice = "Change them in the steps below, then try again."
    else:
        message, advice = error.message, ""
    return {
        "code": error.code,
        "message": message,
        "advice": advice,
        "status": error.http_status,
        "retry_after": wait,
        "flagged": isinstance(error, errors.ContentFlagged),
    }
