from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from accounts.forms import AdminLockoutAuthenticationForm
from accounts.models import ApiToken, Invite, User
from accounts.services import api_tokens_revoke_all, invite_create
from storyforge.core.ratelimit import rate_limit

# The admin signs in like the site (docs/security.md, "The admin's sign-in"): through
# `user_authenticate` and its per-username lockout, within the per-address and
# per-username limits, and still for staff only. `admin.site.urls` reads `login` when
# the URLs load, after this module (admin autodiscovery) has replaced it.
admin.site.login_form = AdminLockoutAuthenticationForm
admin.site.login = rate_limit("login_ip", key="ip")(rate_limit("login_user", key="username")(admin.site.login))


# The admin's own "change password" is the site's page, whose service also shuts out
# the account's API tokens (docs/security.md, "A new password shuts out the old API tokens").
def _password_change(request, extra_context=None):
    return redirect("password_change")


admin.site.password_change = _password_change


class PasswordSetByStaffForm(AdminPasswordChangeForm):
    """Staff setting someone's password in the admin: their API tokens go too."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            api_tokens_revoke_all(user=user)
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordSetByStaffForm
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


class InviteForm(forms.ModelForm):
    days = forms.IntegerField(
        min_value=1, max_value=365, initial=settings.STORYFORGE_INVITE_DAYS, help_text="How long the link works."
    )

    class Meta:
        model = Invite
        fields = ["note"]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    """One-time sign-up links (STORYFORGE_SIGNUP=invite). The link is shown once, when
    the invite is made: only a digest of its code is kept."""

    form = InviteForm
    list_display = ("prefix", "note", "state", "created_by", "created_at", "expires_at", "used_by")
    list_select_related = ("created_by", "used_by")
    search_fields = ("note", "prefix", "used_by__username")
    readonly_fields = ("prefix", "created_by", "created_at", "expires_at", "used_at", "used_by")

    def get_fields(self, request, obj=None):
        return ["note", "days"] if obj is None else ["note", *self.readonly_fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        invite, code = invite_create(
            created_by=request.user, note=form.cleaned_data["note"], days=form.cleaned_data["days"]
        )
        obj.pk = invite.pk
        link = request.build_absolute_uri(reverse("signup") + f"?invite={code}")
        messages.warning(request, format_html("Send this link now; it is not shown again: <code>{}</code>", link))
