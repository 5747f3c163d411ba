from django.contrib import admin

from storyforge.generation.capabilities import capabilities_known
from storyforge.generation.models import GenerationJob


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind_label",
        "status",
        "owner",
        "progress",
        "attempts",
        "provider",
        "model",
        "cost",
        "created_at",
    )
    list_filter = ("kind", "status", "provider")
    list_select_related = ("owner",)
    search_fields = ("idempotency_key", "request_id", "owner__username", "error_code")
    date_hierarchy = "created_at"
    # Above the list: who serves text, images and moderation, and any fallback learnt.
    change_list_template = "admin/generation/generationjob/change_list.html"
    autocomplete_fields = ("owner", "character", "story", "page")
    # A job is a record of work done; only what it was for can be set by hand.
    readonly_fields = (
        "status",
        "progress",
        "attempts",
        "error_code",
        "error_message",
        "request_id",
        "provider",
        "model",
        "prompt_tokens",
        "completion_tokens",
        "cost",
        "created_at",
        "updated_at",
        "started_at",
        "finished_at",
    )

    def get_readonly_fields(self, request, obj=None):
        # The key is chosen when a job is made by hand and never changes afterwards.
        return self.readonly_fields if obj is None else (*self.readonly_fields, "idempotency_key")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "ai_capabilities": capabilities_known()}
        return super().changelist_view(request, extra_context=extra_context)
