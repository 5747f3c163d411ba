"""Input and output shapes of the characters API: characters, portraits, relationships.

Inputs check types and the catalogue's choices; the services check the rest (a
ready character's name and trait count, ownership) and name the field at fault.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from characters import catalogue
from characters.models import Character, Portrait, Relationship, RelationshipKind
from characters.selectors import character_appearance
from characters.services import BACKSTORY_MAX_LENGTH, CHARACTER_TEXT_CAPS, RELATIONSHIP_NOTE_MAX
from storyforge.core.api_schema import ID_MAX, TextField, UniqueListField
from storyforge.core.private_media import media_url


def _absolute_url(context: dict, image) -> str:
    return media_url(image, request=context.get("request"))


class TraitOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    category = serializers.CharField()
    icon = serializers.CharField()


class CharacterSummaryOutput(serializers.ModelSerializer):
    class Meta:
        model = Character
        fields = ["id", "name"]
        read_only_fields = fields


class CharacterOutput(serializers.ModelSerializer):
    """Expects `selected_portrait` loaded (characters.selectors.character_list does)."""

    traits = serializers.SerializerMethodField(help_text="The catalogue traits chosen, with their labels.")
    custom_traits = serializers.ListField(child=serializers.CharField(), help_text="Traits in your own words.")
    appearance = serializers.SerializerMethodField(help_text="How every picture prompt describes the character.")
    portrait_url = serializers.SerializerMethodField(help_text="The selected portrait, or null.")

    class Meta:
        model = Character
        fields = [
            "id",
            "name",
            "status",
            "kind",
            "age",
            "pronouns",
            "traits",
            "custom_traits",
            "hair_colour",
            "hair_style",
            "eye_colour",
            "skin_tone",
            "clothing",
            "distinctive_features",
            "appearance",
            "backstory",
            "likes",
            "portrait_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(TraitOutput(many=True))
    def get_traits(self, character):
        traits = (catalogue.TRAITS_BY_KEY[key] for key in character.traits if key in catalogue.TRAITS_BY_KEY)
        return [{"key": t.key, "label": t.label, "category": t.category, "icon": t.icon} for t in traits]

    def get_appearance(self, character) -> str:
        return character_appearance(character)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_portrait_url(self, character) -> str | None:
        portrait = character.selected_portrait
        return _absolute_url(self.context, portrait.image) if portrait is not None and portrait.image else None


def _palette(swatches) -> list[tuple[str, str]]:
    return catalogue.swatch_choices(swatches)


def _traits(*, required: bool, min_length: int) -> serializers.ListField:
    return UniqueListField(
        child=serializers.ChoiceField(choices=[(t.key, t.label) for t in catalogue.TRAITS]),
        required=required,
        min_length=min_length,
        max_length=catalogue.MAX_TRAITS,
        help_text=f"Keys of the trait catalogue, each once; {catalogue.MIN_TRAITS}-{catalogue.MAX_TRAITS} "
        "together with custom_traits.",
    )


class _CharacterFields(serializers.Serializer):
    """Every field of a character, optional; the inputs below say which are required."""

    name = TextField(max_length=CHARACTER_TEXT_CAPS["name"], required=False)
    kind = serializers.ChoiceField(choices=catalogue.Kind.choices, required=False)
    age = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    pronouns = serializers.ChoiceField(choices=catalogue.Pronouns.choices, required=False)
    traits = _traits(required=False, min_length=catalogue.MIN_TRAITS)
    custom_traits = UniqueListField(
        child=TextField(max_length=catalogue.CUSTOM_TRAIT_MAX_LENGTH),
        required=False,
        max_length=catalogue.MAX_CUSTOM_TRAITS,
        help_text="Traits in your own words, each once.",
    )
    hair_colour = serializers.ChoiceField(choices=_palette(catalogue.HAIR_COLOURS), required=False, allow_blank=True)
    hair_style = serializers.ChoiceField(choices=catalogue.HAIR_STYLES, required=False, allow_blank=True)
    eye_colour = serializers.ChoiceField(choices=_palette(catalogue.EYE_COLOURS), required=False, allow_blank=True)
    skin_tone = serializers.ChoiceField(choices=_palette(catalogue.SKIN_TONES), required=False, allow_blank=True)
    clothing = TextField(max_length=CHARACTER_TEXT_CAPS["clothing"], required=False, allow_blank=True)
    distinctive_features = TextField(
        max_length=CHARACTER_TEXT_CAPS["distinctive_features"], required=False, allow_blank=True
    )
    backstory = TextField(max_length=BACKSTORY_MAX_LENGTH, required=False, allow_blank=True)
    likes = TextField(max_length=CHARACTER_TEXT_CAPS["likes"], required=False, allow_blank=True)


class CharacterCreateInput(_CharacterFields):
    """A new ready character: a name and 1-5 traits (catalogue traits plus custom_traits,
    at most 5 together). POST a CharacterDraftInput instead to save an unfinished one."""

    name = TextField(max_length=CHARACTER_TEXT_CAPS["name"])
    status = serializers.ChoiceField(choices=[Character.Status.READY], required=False, help_text="ready (the default).")
    traits = _traits(required=True, min_length=catalogue.MIN_TRAITS)


class CharacterDraftInput(_CharacterFields):
    """A new draft: every field but `status` optional, and it cannot star in a story until
    it is made ready (PATCH `status: ready` with a name and traits)."""

    status = serializers.ChoiceField(choices=[Character.Status.DRAFT])
    name = TextField(max_length=CHARACTER_TEXT_CAPS["name"], required=False, allow_blank=True)
    traits = _traits(required=False, min_length=0)


class CharacterUpdateInput(_CharacterFields):
    """The fields to change; every field optional. A ready character keeps a name and
    1-5 traits; `status: ready` makes a draft ready."""

    status = serializers.ChoiceField(choices=Character.Status.choices, required=False)


def character_input_for(data) -> type[serializers.Serializer]:
    """The create input for a POST body: a draft when it says `status: draft`."""
    is_draft = hasattr(data, "get") and data.get("status") == Character.Status.DRAFT
    return CharacterDraftInput if is_draft else CharacterCreateInput


CharacterCreateBody = PolymorphicProxySerializer(
    component_name="CharacterCreateBody",
    serializers=[CharacterCreateInput, CharacterDraftInput],
    resource_type_field_name=None,
)


class PortraitOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The picture (PNG).")

    class Meta:
        model = Portrait
        fields = ["id", "url", "width", "height", "source", "provider", "model", "is_selected", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, portrait) -> str:
        return _absolute_url(self.context, portrait.image)


class PortraitUploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="A PNG, JPEG, WebP or GIF picture, at most 5 MB and 4096 pixels a side.")


class RelationshipOutput(serializers.ModelSerializer):
    """Reads as "FROM is TO's <kind>"; `inverse` is the kind seen from TO."""

    from_character = CharacterSummaryOutput()
    to_character = CharacterSummaryOutput()
    kind_label = serializers.CharField(source="get_kind_display")
    inverse = serializers.CharField(source="inverse_label")

    class Meta:
        model = Relationship
        fields = ["id", "from_character", "to_character", "kind", "kind_label", "inverse", "note", "created_at"]
        read_only_fields = fields


class RelationshipCreateInput(serializers.Serializer):
    """Two different characters of yours; one relationship per pair (another is a 409)."""

    from_character = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="Id of one of your characters.")
    to_character = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Id of another of your characters."
    )
    kind = serializers.ChoiceField(choices=RelationshipKind.choices)
    note = TextField(max_length=RELATIONSHIP_NOTE_MAX, required=False, allow_blank=True)


class RelationshipUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RelationshipKind.choices, required=False)
    note = TextField(max_length=RELATIONSHIP_NOTE_MAX, required=False, allow_blank=True)


class CharacterCardQuery(serializers.Serializer):
    format = serializers.ChoiceField(choices=["json", "png"], default="json")


class CharacterImportInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="A Character Card V2 as JSON, or a PNG carrying one in its `chara` text chunk (at most 8 MB)."
    )
