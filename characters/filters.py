"""Query filters of the characters API's lists (django-filter)."""

from django import forms
from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from characters.catalogue import Kind
from characters.models import Character, Relationship
from storyforge.core.api_schema import ID_MAX


class IdFilter(filters.NumberFilter):
    """An object id: a whole number (NumberFilter would take 1.5 as 1) that a database id can hold."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)
        # The schema states the bounds it checks, so 0 is documented as refused.
        bounds = {"type": "integer", "minimum": kwargs["min_value"], "maximum": kwargs["max_value"]}
        extend_schema_field({**bounds, "description": kwargs.get("help_text", "")})(self)


class CharacterFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Character.Status.choices)
    kind = filters.ChoiceFilter(choices=Kind.choices)
    search = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Character
        fields = ["status", "kind", "search"]


class RelationshipFilter(filters.FilterSet):
    character = IdFilter(method="filter_character", help_text="Relationships of this character, either way round.")

    class Meta:
        model = Relationship
        fields = ["character"]

    def filter_character(self, queryset, name, value):
        return queryset.filter(Q(from_character_id=value) | Q(to_character_id=value))
