from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Reading preferences", {"fields": ("default_age_group", "language", "text_size")}),
    )
    list_display = (*DjangoUserAdmin.list_display, "default_age_group", "language", "text_size", "date_joined")
    list_filter = (*DjangoUserAdmin.list_filter, "default_age_group", "language", "text_size")
    date_hierarchy = "date_joined"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be looked at and revoked here; keys are never stored, so never shown."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # a token is made by its owner, who sees the key once
