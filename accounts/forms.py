from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import User
from accounts.services import user_authenticate


class SignupForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not only numbers, not a common password.",
    )
    # The code of an invite link, where sign-up needs one (STORYFORGE_SIGNUP=invite).
    invite = forms.CharField(required=False, widget=forms.HiddenInput)


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, checking the password through `user_authenticate` and so
    with the brute-force lockout: after too many failures for one username it
    refuses, whichever address the attempts come from, with the same answer whether
    or not the username exists."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        if username and password:
            # RateLimited while the username is locked: the error middleware's 429 page.
            self.user_cache = user_authenticate(username=username, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminLockoutAuthenticationForm(LockoutAuthenticationForm, AdminAuthenticationForm):
    """The admin's login form: the site's sign-in service with its lockout, and, from
    Django's admin form, its wording and its refusal of anyone who is not staff."""


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "default_age_group", "language", "text_size"]
        labels = {"default_age_group": "Usual age group", "text_size": "Text size"}


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Token name", help_text='What it is for, e.g. "Home tablet".')


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), label="Your password"
    )
    confirm = forms.BooleanField(label="I understand that every character, story and picture will be deleted.")
