"""Accounts: signing up, logging in, preferences, API tokens and deleting everything."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, Invite, User
from storyforge.core.errors import InvalidInput, InviteInvalid, NotFound, SignupClosed
from storyforge.core.ratelimit import login_failure_record, login_lockout_check, login_success
from storyforge.core.reading import AgeGroup, Language, TextSize


def _email_problems(email: str) -> list[str]:
    """What is wrong with an email address, for the messages beside its field; empty
    when it will do. Signing up and changing the address check it alike."""
    try:
        validate_email(email)
    except ValidationError:
        return ["Enter a valid email address."]
    return []


def signup_check(invite: str = "") -> None:
    """Whether someone may sign up now, by STORYFORGE_SIGNUP: `SignupClosed` when sign-up
    is closed, `InviteInvalid` when it needs an invite and `invite` is not a usable one.
    The sign-up page asks before it shows its form; `user_register` asks again."""
    mode = settings.STORYFORGE_SIGNUP
    if mode == "open":
        return
    if mode != "invite":  # `closed`, and any value the checks flag (storyforge.E022): safest is closed
        raise SignupClosed()
    if _invite_usable(invite) is None:
        raise InviteInvalid()


def _invite_usable(code: str) -> Invite | None:
    if not code:
        return None
    return Invite.objects.filter(digest=_digest(code), used_at__isnull=True, expires_at__gt=timezone.now()).first()


def invite_create(*, created_by: User | None = None, note: str = "", days: int | None = None) -> tuple[Invite, str]:
    """A new invite and its code (shown once: only its digest is kept). It expires
    after `days`, STORYFORGE_INVITE_DAYS unless given."""
    days = settings.STORYFORGE_INVITE_DAYS if days is None else days
    if days < 1:
        raise InvalidInput.for_field("days", "An invite lasts at least one day.")
    code = secrets.token_urlsafe(24)
    invite = Invite.objects.create(
        digest=_digest(code),
        prefix=code[:8],
        note=" ".join(note.split())[:200],
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return invite, code


def user_register(*, username: str, email: str, password: str, invite: str = "") -> User:
    """A new account. Usernames are unique whatever their case. Where sign-up needs an
    invite, `invite` is its code, used up by this account (once, even under a race)."""
    signup_check(invite)
    username = username.strip()
    email = email.strip()
    fields: dict[str, list[str]] = {}
    if not username:
        fields["username"] = ["Choose a username."]
    else:
        try:
            User.username_validator(username)
        except ValidationError as error:
            fields["username"] = list(error.messages)
        if len(username) > 150:
            fields["username"] = ["Keep the username under 150 characters."]
        elif get_user_model().objects.filter(username__iexact=username).exists():
            fields["username"] = ["That username is taken."]
    if email_problems := _email_problems(email):
        fields["email"] = email_problems
    try:
        password_validation.validate_password(password, User(username=username, email=email))
    except ValidationError as error:
        fields["password"] = list(error.messages)
    if fields:
        raise InvalidInput("Some of the sign-up details need another look.", details={"fields": fields})
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username, email=email, password=password)
        if settings.STORYFORGE_SIGNUP == "invite":
            used = Invite.objects.filter(
                digest=_digest(invite), used_at__isnull=True, expires_at__gt=timezone.now()
            ).update(used_at=timezone.now(), used_by=user)
            if used != 1:  # another sign-up took it a moment ago
                raise InviteInvalid()
    return user


def user_authenticate(*, username: str, password: str) -> User | None:
    """The active user these credentials belong to, or None; the log-in form and the
    token API both ask here.

    Each call counts against the username's lockout (storyforge.core.ratelimit): a
    wrong password counts as a failure, the right one forgets the failures. Raises
    `RateLimited` (429, `retry_after` in its details) while the username is locked,
    even for the right password, and alike whether or not the username exists.
    """
    login_lockout_check(username)
    # No request for the backends: a service never sees one, and Django's
    # ModelBackend, the only backend configured, does not read it.
    user = authenticate(None, username=username, password=password)
    if user is None:
        login_failure_record(username)
        return None
    login_success(username)
    return user


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Give `user` a new password, after checking the current one and Django's password
    validators; raises `InvalidInput` (fields `old_password`, `new_password`) otherwise.
    The HTML form and `POST /api/v1/me/password/` both come here. Every API token of
    the user is deleted: whoever changes a password may be shutting someone out."""
    if not user.check_password(old_password):
        raise InvalidInput.for_field("old_password", "That is not your current password.")
    password_set(user=user, new_password=new_password)


def password_set(*, user: User, new_password: str) -> None:
    """Set a validated new password and delete every API token of the user, in one
    transaction; raises `InvalidInput` (field `new_password`) when a validator refuses
    it. Changing a password and following a reset link both end here."""
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], details={"fields": {"new_password": list(error.messages)}}) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        api_tokens_revoke_all(user=user)


def api_tokens_revoke_all(*, user: User) -> int:
    """Delete every API token of `user` (a new password shuts the old tokens out),
    and say how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def user_preferences_update(*, user: User, **changes) -> User:
    """Change any of default_age_group, language, text_size, first_name, last_name, email."""
    allowed = {
        "default_age_group": AgeGroup.values,
        "language": Language.values,
        "text_size": TextSize.values,
    }
    for field, value in changes.items():
        if field in allowed and value not in allowed[field]:
            raise InvalidInput.for_field(field, f"'{value}' is not one of: {', '.join(allowed[field])}.")
        if field == "email" and (email_problems := _email_problems(value)):
            raise InvalidInput.for_field("email", email_problems[0])
        if field not in allowed and field not in ("first_name", "last_name", "email"):
            raise InvalidInput.for_field(field, "This cannot be changed here.")
        setattr(user, field, value.strip() if isinstance(value, str) else value)
    if changes:
        user.save(update_fields=list(changes))
    return user


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str = "API") -> tuple[ApiToken, str]:
    """A new API token and its key; the key is not stored and cannot be shown again."""
    name = " ".join(name.split())[:100] or "API"
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(user=user, name=name, digest=_digest(key), prefix=key[:8])
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> None:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound.of("token")


def api_token_authenticate(key: str) -> User | None:
    """The active user a key belongs to, or None; also None once the token has expired."""
    token = ApiToken.objects.select_related("user").filter(digest=_digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most a write a minute
    return token.user


def account_delete(*, user: User, password: str) -> None:
    """Delete the account with its characters, stories and every stored picture and clip."""
    from characters.models import Portrait
    from stories.models import Illustration, SentenceClip
    from storyforge.core.images import files_delete_on_commit

    if not user.check_password(password):
        raise InvalidInput.for_field("password", "That is not your password.")
    with transaction.atomic():
        names = list(Portrait.objects.filter(character__owner=user).values_list("image", flat=True))
        names += list(Illustration.objects.filter(page__story__owner=user).values_list("image", flat=True))
        names += list(SentenceClip.objects.filter(page__story__owner=user).values_list("audio", flat=True))
        user.delete()
        files_delete_on_commit(names)
