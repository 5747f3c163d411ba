"""Query filters of the stories API's lists (django-filter)."""

from django_filters import rest_framework as filters

from characters.filters import IdFilter
from stories.models import Story, StoryStatus
from storyforge.core.reading import AgeGroup


class StoryFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=StoryStatus.choices)
    series = IdFilter(field_name="series_id", help_text="Stories of this series.")
    character = IdFilter(field_name="cast__character_id", help_text="Stories with this character in the cast.")
    age_group = filters.ChoiceFilter(choices=AgeGroup.choices)

    class Meta:
        model = Story
        fields = ["status", "series", "character", "age_group"]
