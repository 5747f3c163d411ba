"""Query filters of the jobs API (django-filter)."""

from django_filters import rest_framework as filters

from storyforge.generation.kinds import job_kind_choices
from storyforge.generation.models import GenerationJob, JobStatus


class JobFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=JobStatus.choices)
    # The kinds the apps registered, read when the filter is used.
    kind = filters.ChoiceFilter(choices=job_kind_choices)

    class Meta:
        model = GenerationJob
        fields = ["status", "kind"]
