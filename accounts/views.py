from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import AccountDeleteForm, LockoutAuthenticationForm, PreferencesForm, SignupForm, TokenForm
from accounts.selectors import api_token_list
from storyforge.core.errors import InvalidInput
from storyforge.core.ratelimit import rate_limit
from storyforge.generation.selectors import usage_summary


def _fields_to_form(form, error: InvalidInput, renamed: dict[str, str] | None = None) -> None:
    for field, field_messages in error.details.get("fields", {}).items():
        field = (renamed or {}).get(field, field)
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.details.get("fields"):
        form.add_error(None, error.message)


@rate_limit("signup_ip", key="ip")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    # Closed, or no usable invite: a 403 page saying so (SIGNUP_CLOSED, INVITE_INVALID).
    invite = request.POST.get("invite") or request.GET.get("invite", "")
    services.signup_check(invite)
    form = SignupForm(request.POST or None, initial={"invite": invite})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(**form.cleaned_data)
        except InvalidInput as error:
            _fields_to_form(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to StoryForge! Start by creating a character.")
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


@method_decorator(rate_limit("login_ip", key="ip"), name="post")
class LoginView(auth_views.LoginView):
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page and form (current password, new one twice); the change itself is
    `services.password_change`, which also deletes the API tokens."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        try:
            services.password_change(
                user=self.request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except InvalidInput as error:
            _fields_to_form(form, error, renamed={"new_password": "new_password2"})
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)  # stay logged in here
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link and form; the new password is set by `services.password_set`,
    which also deletes the API tokens."""

    def form_valid(self, form):
        try:
            services.password_set(user=form.user, new_password=form.cleaned_data["new_password1"])
        except InvalidInput as error:
            _fields_to_form(form, error, renamed={"new_password": "new_password2"})
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


@login_required
def account(request):
    """Preferences, API tokens and the way out, on one page."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_preferences_update(user=request.user, **{f: form.cleaned_data[f] for f in form.changed_data})
        except InvalidInput as error:
            _fields_to_form(form, error)
        else:
            messages.success(request, "Your preferences are saved.")
            return redirect("account")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "token_form": TokenForm(),
            "tokens": api_token_list(user=request.user),
            "new_key": request.session.pop("new_api_key", None),
            "usage": usage_summary(user=request.user),
            "breadcrumbs": [("Settings", None)],
        },
    )


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        _token, key = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        # Shown once, on the next page; never stored in the clear.
        request.session["new_api_key"] = key
        messages.success(request, "Your new token is shown below. Copy it now: it will not be shown again.")
    else:
        messages.error(request, "Give the token a name.")
    return redirect("account")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    services.api_token_revoke(user=request.user, token_id=token_id)
    messages.success(request, "The token is revoked; programs using it can no longer get in.")
    return redirect("account")


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user, password=form.cleaned_data["password"])
        except InvalidInput as error:
            _fields_to_form(form, error)
        else:
            logout(request)
            messages.success(request, "Your account and everything in it are deleted.")
            return redirect("home")
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "breadcrumbs": [("Settings", "/accounts/"), ("Delete account", None)]},
        status=400 if form.errors else 200,
    )
