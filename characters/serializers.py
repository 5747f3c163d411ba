"""Input and output shapes of the characters API: characters, portraits, relationships.

Inputs check types and the catalogue's choices; the services check the rest (a
ready character's name and trait count, ownership) and name the field at fault.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from characters import catalogue
from characters.models import Character, Portrait, Relationship, RelationshipKind
from characters.selectors import character_appearance
from characters.services import BACKSTORY_MAX_LENGTH
from storyforge.core.api_schema import ID_MAX


def _absolute_url(context: dict, image) -> str:
    request = context.get("request")
    return request.build_absolute_uri(image.url) if request is not None else image.url


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


class CharacterInput(serializers.Serializer):
    """A new character (POST) or the fields to change (PATCH: every field optional).
    `status` "ready" (the default) needs a name and 1-5 traits; a "draft" may be incomplete."""

    name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Character.Status.choices, required=False)
    kind = serializers.ChoiceField(choices=catalogue.Kind.choices, required=False)
    age = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    pronouns = serializers.ChoiceField(choices=catalogue.Pronouns.choices, required=False)
    traits = serializers.ListField(
        child=serializers.ChoiceField(choices=[(t.key, t.label) for t in catalogue.TRAITS]),
        required=False,
        max_length=catalogue.MAX_TRAITS,
        help_text=f"Keys of the trait catalogue; {catalogue.MIN_TRAITS}-{catalogue.MAX_TRAITS} with custom_traits.",
    )
    custom_traits = serializers.ListField(
        child=serializers.CharField(max_length=catalogue.CUSTOM_TRAIT_MAX_LENGTH),
        required=False,
        max_length=catalogue.MAX_CUSTOM_TRAITS,
    )
    hair_colour = serializers.ChoiceField(choices=_palette(catalogue.HAIR_COLOURS), required=False, allow_blank=True)
    hair_style = serializers.ChoiceField(choices=catalogue.HAIR_STYLES, required=False, allow_blank=True)
    eye_colour = serializers.ChoiceField(choices=_palette(catalogue.EYE_COLOURS), required=False, allow_blank=True)
    skin_tone = serializers.ChoiceField(choices=_palette(catalogue.SKIN_TONES), required=False, allow_blank=True)
    clothing = serializers.CharField(max_length=200, required=False, allow_blank=True)
    distinctive_features = serializers.CharField(max_length=200, required=False, allow_blank=True)
    backstory = serializers.CharField(max_length=BACKSTORY_MAX_LENGTH, required=False, allow_blank=True)
    likes = serializers.CharField(max_length=300, required=False, allow_blank=True)


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
    from_character = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="Id of one of your characters.")
    to_character = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Id of another of your characters."
    )
    kind = serializers.ChoiceField(choices=RelationshipKind.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RelationshipUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RelationshipKind.choices, required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CharacterCardQuery(serializers.Serializer):
    format = serializers.ChoiceField(choices=["json", "png"], default="json")


class CharacterImportInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="A Character Card V2 as JSON, or a PNG carrying one in its `chara` text chunk (at most 8 MB)."
    )
