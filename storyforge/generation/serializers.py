"""Output shape of the jobs API."""

from rest_framework import serializers

from storyforge.generation.models import GenerationJob


class JobOutput(serializers.ModelSerializer):
    """A piece of AI work. `character`, `story` and `page` are the ids of what it is
    for (null when not applicable, or since deleted)."""

    total_tokens = serializers.IntegerField()

    class Meta:
        model = GenerationJob
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "attempts",
            "error_code",
            "error_message",
            "character",
            "story",
            "page",
            "request_id",
            "provider",
            "model",
            "prompt_tokens",
            "completion_tokens",
            "total_tokens",
            "cost",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
