from django.conf import settings
from django.contrib import admin

from storyforge.generation.capabilities import capabilities_known
from storyforge.generation.models import Allowance, GenerationJob


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
        "reserved",
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
        "reserved",
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


@admin.register(Allowance)
class AllowanceAdmin(admin.ModelAdmin):
    """Each user's own daily limits. An empty field follows the setting
    (STORYFORGE_DAILY_BUDGET, STORYFORGE_DAILY_GENERATIONS); a budget of 0 stops
    their generation. A user who has asked for generation already has a row."""

    list_display = ("user", "budget_shown", "generations_shown", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)
    readonly_fields = ("updated_at",)

    @admin.display(description="Daily budget (US dollars)", ordering="daily_budget")
    def budget_shown(self, allowance):
        if allowance.daily_budget is None:
            return f"default ({settings.STORYFORGE_DAILY_BUDGET:.2f})"
        return f"{allowance.daily_budget:.2f}"

    @admin.display(description="Daily generations", ordering="daily_generations")
    def generations_shown(self, allowance):
        if allowance.daily_generations is None:
            return f"default ({settings.STORYFORGE_DAILY_GENERATIONS})"
        return str(allowance.daily_generations)

    def get_readonly_fields(self, request, obj=None):
        # An allowance belongs to one user for good; another user gets their own row.
        return self.readonly_fields if obj is None else (*self.readonly_fields, "user")
