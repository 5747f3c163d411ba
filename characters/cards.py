"""Characters as Character Card V2, the format character-chat tools share, and back:
what each of the card's fields holds of a StoryForge character. The files
themselves (JSON, or a PNG with the card inside) are characters.card_files.

Everything StoryForge knows about a character travels under
`data.extensions.storyforge`, so a card made here comes back as the same
character; the standard fields are filled in too, for other tools to read.
Extensions of other tools are kept on the character (`card_extensions`) and
written back on export, as the card specification asks of editors. Cards made
elsewhere are imported on a best-effort basis: the description becomes the
backstory, and personality words and tags become traits where they fit.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify

from characters import catalogue
from characters.card_files import card_png_write, card_upload_read
from characters.models import Character, Relationship, RelationshipKind
from characters.selectors import (
    character_appearance,
    character_get,
    character_sheet,
    relationship_sentence,
    relationships_of,
)
from characters.services import (
    BACKSTORY_MAX_LENGTH,
    PORTRAIT_SIDE,
    UPLOAD_MAX_BYTES,
    UPLOAD_MAX_SIDE,
    character_create,
    portrait_upload,
    relationship_create,
)
from storyforge.core.downloads import FileDownload
from storyforge.core.errors import Conflict, InvalidInput, NotFound

CARD_SPEC = "chara_card_v2"
CARD_SPEC_VERSION = "2.0"
# V3 cards carry every V2 field in the same place; only those are read.
READABLE_SPECS = (CARD_SPEC, "chara_card_v3")
EXTENSION = "storyforge"
EXTENSION_VERSION = 1
# A foreign card's description can be pages long: its first part becomes the backstory,
# cut at the backstory's cap. StoryForge's own cards are held to every cap instead
# (character_create refuses a value over one); the card's JSON itself is bounded in
# characters.card_files.
FOREIGN_BACKSTORY_MAX = BACKSTORY_MAX_LENGTH

_APPEARANCE = ("hair_colour", "hair_style", "eye_colour", "skin_tone", "clothing", "distinctive_features")
_PALETTES = {
    "hair_colour": {swatch.key for swatch in catalogue.HAIR_COLOURS},
    "eye_colour": {swatch.key for swatch in catalogue.EYE_COLOURS},
    "skin_tone": {swatch.key for swatch in catalogue.SKIN_TONES},
    "hair_style": {key for key, _label in catalogue.HAIR_STYLES},
}
_TRAIT_BY_WORD = {
    word: trait.key for trait in catalogue.TRAITS for word in (trait.key.lower(), trait.label.lower())
}  # fmt: skip
_KIND_BY_WORD = {
    word: kind for kind, label in catalogue.Kind.choices for word in (kind.lower(), label.lower())
}  # fmt: skip
_LIST_SEPARATORS = re.compile(r"[,;/\n•|]+|\band\b")


# Export ---------------------------------------------------------------------------


def character_card_export(*, user, character_id) -> dict:
    """One of the user's characters as a Character Card V2 (a JSON-ready dict)."""
    return character_card(character_get(user=user, character_id=character_id))


def character_card_png(*, user, character_id) -> bytes:
    """The character's selected portrait as a PNG carrying its card; a portrait drawn
    by the offline artist when none is selected."""
    character = character_get(user=user, character_id=character_id)
    return card_png_write(_portrait_png(character), character_card(character))


def character_card(character: Character) -> dict:
    labels = [catalogue.TRAITS_BY_KEY[key].label for key in character.traits if key in catalogue.TRAITS_BY_KEY]
    traits = labels + list(character.custom_traits)
    appearance = character_appearance(character)
    description = appearance[:1].upper() + appearance[1:] + "."
    if character.backstory:
        description += f"\n\n{character.backstory}"
    personality = ", ".join(traits)
    if character.likes:
        personality += f"{'. ' if personality else ''}Likes {character.likes}."
    relationships = []
    sentences = []
    for relationship in relationships_of(character=character).order_by("id"):
        outgoing = relationship.from_character_id == character.pk
        other = relationship.to_character if outgoing else relationship.from_character
        relationships.append(
            {
                "with": other.name,
                "kind": relationship.kind,
                "note": relationship.note,
                "direction": "from" if outgoing else "to",
            }
        )
        sentences.append(relationship_sentence(relationship))
    own = {
        "version": EXTENSION_VERSION,
        "kind": character.kind,
        "age": character.age,
        "pronouns": character.pronouns,
        "appearance": {field: getattr(character, field) for field in _APPEARANCE},
        "traits": list(character.traits),
        "custom_traits": list(character.custom_traits),
        "backstory": character.backstory,
        "likes": character.likes,
        "relationships": relationships,
    }
    return {
        "spec": CARD_SPEC,
        "spec_version": CARD_SPEC_VERSION,
        "data": {
            "name": character.name,
            "description": description,
            "personality": personality,
            "scenario": " ".join(sentences),
            "first_mes": "",
            "mes_example": "",
            "creator_notes": "A character for children's picture books, made with StoryForge.",
            "system_prompt": "",
            "post_history_instructions": "",
            "alternate_greetings": [],
            "tags": [*traits, character.get_kind_display()],
            "creator": character.owner.author_name,
            "character_version": "1",
            "extensions": {**(character.card_extensions or {}), EXTENSION: own},
        },
    }


def _portrait_png(character: Character) -> bytes:
    portrait = character.selected_portrait
    if portrait is not None and portrait.image:
        with portrait.image.open("rb") as file:
            return file.read()
    # The offline artist itself, not provider_get("offline"): provider_get keeps one
    # provider per process and would close the configured (OpenAI) one mid-request.
    from storyforge.generation.providers.offline import OfflineProvider

    drawn = OfflineProvider().portrait_draw(
        character_sheet(character), count=1, art_style="storybook", seed=character.pk or 0
    )
    return drawn[0].png


# Import ---------------------------------------------------------------------------


def character_card_import(*, user, upload) -> Character:
    """A new character of `user` from a Character Card V2, JSON or PNG (told apart by
    content), with its relationships to the user's characters of the same names and,
    from a PNG, its picture as the uploaded portrait.

    Files over 8 MB are refused before they are read. The character is ready when
    the card's traits make a valid set, a draft otherwise. InvalidInput (field
    "file") for anything that is not a card this can read.
    """
    card, picture = card_upload_read(upload)
    fields, extensions, relationships = card_fields(card)

    with transaction.atomic():
        try:
            character = character_create(user=user, status=Character.Status.READY, **fields)
        except InvalidInput:  # traits that do not make a valid set: a draft to finish in the wizard
            character = character_create(user=user, status=Character.Status.DRAFT, **fields)
        if extensions:
            # Other tools' data is kept as it came, for export; nothing in StoryForge reads it.
            Character.objects.filter(pk=character.pk).update(card_extensions=extensions)
            character.card_extensions = extensions
        for relationship in relationships:
            _relationship_restore(user, character, relationship)
        if picture is not None:
            portrait_upload(
                user=user,
                character_id=character.pk,
                upload=SimpleUploadedFile("card.png", _portrait_fitting(picture), content_type="image/png"),
            )
    return character_get(user=user, character_id=character.pk)


def card_fields(card: Any) -> tuple[dict, dict, list[dict]]:
    """What a card says, as `character_create` fields, the other tools' extensions,
    and the relationships by name. Values StoryForge cannot hold are dropped."""
    if not isinstance(card, dict) or card.get("spec") not in READABLE_SPECS:
        spec = card.get("spec") if isinstance(card, dict) else None
        raise InvalidInput.for_field(
            "file",
            f"That is not a Character Card V2 (its spec is {spec!r}, not {CARD_SPEC!r})."
            if spec
            else "That is not a Character Card V2: it has no spec.",
        )
    data = card.get("data")
    if not isinstance(data, dict):
        raise InvalidInput.for_field("file", "The character card has no data.")
    name = " ".join(_text(data.get("name")).split())[: Character._meta.get_field("name").max_length]
    if not name:
        raise InvalidInput.for_field("file", "The character card has no name.")
    extensions = data.get("extensions") if isinstance(data.get("extensions"), dict) else {}
    others = {key: value for key, value in extensions.items() if key != EXTENSION}
    own = extensions.get(EXTENSION)
    if isinstance(own, dict):
        fields, relationships = _fields_own(own), own.get("relationships")
    else:
        fields, relationships = _fields_foreign(data, name), []
    relationships = (
        [item for item in relationships if isinstance(item, dict)] if isinstance(relationships, list) else []
    )
    return {"name": name, **fields}, others, relationships


def _fields_own(own: dict) -> dict:
    appearance = own.get("appearance") if isinstance(own.get("appearance"), dict) else {}
    traits = _unique([key for key in _strings(own.get("traits")) if key in catalogue.TRAITS_BY_KEY])
    return {
        "kind": _choice(own.get("kind"), catalogue.Kind, catalogue.Kind.CHILD),
        "age": _age(own.get("age")),
        "pronouns": _choice(own.get("pronouns"), catalogue.Pronouns, catalogue.Pronouns.THEY),
        **{field: _appearance(field, appearance.get(field)) for field in _APPEARANCE},
        "traits": traits[: catalogue.MAX_TRAITS],
        "custom_traits": _strings(own.get("custom_traits"))[: catalogue.MAX_CUSTOM_TRAITS],
        "backstory": _text(own.get("backstory")),
        "likes": _limited("likes", own.get("likes")),
    }


def _fields_foreign(data: dict, name: str) -> dict:
    """A card from another tool: the description becomes the backstory; words of the
    personality and the tags become catalogue traits where they name one, then
    traits of the card's own words where they are short enough; a tag naming a kind
    of character (dragon, robot...) sets the kind."""
    personality = [
        " ".join(phrase.split()).strip(" .!?:-") for phrase in _LIST_SEPARATORS.split(_text(data.get("personality")))
    ]
    tags = [" ".join(tag.split()).strip(" .!?:-") for tag in _strings(data.get("tags"))]
    kinds = [_KIND_BY_WORD[tag.lower()] for tag in tags if tag.lower() in _KIND_BY_WORD]
    phrases = [phrase for phrase in [*personality, *tags] if phrase and phrase.lower() not in _KIND_BY_WORD]
    traits = _unique([_TRAIT_BY_WORD[phrase.lower()] for phrase in phrases if phrase.lower() in _TRAIT_BY_WORD])
    traits = traits[: catalogue.MAX_TRAITS]
    custom: list[str] = []
    for phrase in phrases:
        if len(custom) == catalogue.MAX_CUSTOM_TRAITS or len(traits) + len(custom) == catalogue.MAX_TRAITS:
            break
        if (
            phrase.lower() not in _TRAIT_BY_WORD
            and len(phrase) <= catalogue.CUSTOM_TRAIT_MAX_LENGTH
            and "{{" not in phrase
            and phrase.lower() not in {trait.lower() for trait in custom}
        ):
            custom.append(phrase)
    backstory = _text(data.get("description")).replace("{{char}}", name).replace("{{user}}", "you").strip()
    return {
        "kind": kinds[0] if kinds else catalogue.Kind.CHILD,
        "traits": traits,
        "custom_traits": custom,
        "backstory": backstory[:FOREIGN_BACKSTORY_MAX],
    }


def _relationship_restore(user, character: Character, item: dict) -> None:
    """A relationship from the card, with the user's character of that name if there
    is one; one that cannot be made (unknown kind, already there) is left out."""
    other_name = " ".join(_text(item.get("with")).split())
    kind = _text(item.get("kind"))
    if not other_name or kind not in RelationshipKind.values:
        return
    other = (
        Character.objects.filter(owner=user, name=other_name).exclude(pk=character.pk).order_by("-updated_at").first()
    )
    if other is None:
        return
    ends = (character.pk, other.pk) if item.get("direction", "from") != "to" else (other.pk, character.pk)
    note = _text(item.get("note"))[: Relationship._meta.get_field("note").max_length]
    try:
        relationship_create(user=user, from_character_id=ends[0], to_character_id=ends[1], kind=kind, note=note)
    except (InvalidInput, Conflict, NotFound):
        return


def _portrait_fitting(picture: bytes) -> bytes:
    """The card's picture, shrunk when it is over the portrait upload's limits (a card
    may be larger than a portrait upload may)."""
    if len(picture) <= UPLOAD_MAX_BYTES:
        return picture
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(picture)) as image:
            if max(image.size) > UPLOAD_MAX_SIDE:
                return picture  # portrait_upload says why it is refused
            image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return picture
    image.thumbnail((PORTRAIT_SIDE, PORTRAIT_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _strings(value) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _choice(value, choices, default: str) -> str:
    return value if value in choices.values else default


def _age(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= 1000 else None


def _appearance(field: str, value) -> str:
    value = _text(value)
    if field in _PALETTES:
        return value if value in _PALETTES[field] else ""
    return _limited(field, value)


def _limited(field: str, value) -> str:
    return _text(value)[: Character._meta.get_field(field).max_length]


CARD_FORMATS = {"json": "application/json", "png": "image/png"}


def character_card_download(*, user, character_id, format: str) -> FileDownload:
    """One of the user's characters as a Character Card V2 file, JSON or PNG, named
    after the character (the web page and the API both use it)."""
    if format not in CARD_FORMATS:
        raise InvalidInput.for_field("format", f"Choose a format: {', '.join(CARD_FORMATS)}.")
    character = character_get(user=user, character_id=character_id)
    if format == "png":
        data = character_card_png(user=user, character_id=character_id)
    else:
        card = character_card_export(user=user, character_id=character_id)
        data = json.dumps(card, ensure_ascii=False, indent=2).encode()
    name = slugify(character.name) or f"character-{character.pk}"
    return FileDownload(data=data, content_type=CARD_FORMATS[format], filename=f"{name}.card.{format}")
