from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.forms import AdminLockoutAuthenticationForm
from accounts.models import ApiToken, User
from storyforge.core.ratelimit import rate_limit

# The admin signs in like the site (docs/security.md, "The admin's sign-in"): through
# `user_authenticate` and its per-username lockout, within the per-address and
# per-username limits, and still for staff only. `admin.site.urls` reads `login` when
# the URLs load, after this module (admin autodiscovery) has replaced it.
admin.site.login_form = AdminLockoutAuthenticationForm
admin.site.login = rate_limit("login_ip", key="ip")(rate_limit("login_user", key="username")(admin.site.login))


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
