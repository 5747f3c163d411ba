from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from storyforge.core.reading import AgeGroup, Language, TextSize


class User(AbstractUser):
    """A grown-up who makes books: a parent, teacher or carer.

    The reading preferences fill in the story studio and set the reader's text size.
    """

    default_age_group = models.CharField(max_length=4, choices=AgeGroup.choices, default=AgeGroup.PRESCHOOL)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    text_size = models.CharField(max_length=8, choices=TextSize.choices, default=TextSize.MEDIUM)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_age_group__in=AgeGroup.values), name="user_age_group_known"
            ),
            models.CheckConstraint(condition=models.Q(text_size__in=TextSize.values), name="user_text_size_known"),
            models.CheckConstraint(condition=models.Q(language__in=Language.values), name="user_language_known"),
        ]

    @property
    def author_name(self) -> str:
        """The name printed on a book's cover."""
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A key for the API (`Authorization: Token <key>`). Only a digest of the key is
    stored; the key itself is shown once, when the token is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The first characters of the key, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="token_user_recent")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def expires_at(self):
        """When the token stops working (STORYFORGE_TOKEN_DAYS after it was made), or None."""
        days = settings.STORYFORGE_TOKEN_DAYS
        return self.created_at + timedelta(days=days) if days > 0 and self.created_at else None


class Invite(models.Model):
    """A one-time link to sign up, for a server that is not open to everyone
    (STORYFORGE_SIGNUP=invite). Made by staff in the admin or with `manage.py invite`;
    only a digest of its code is stored, so the link is shown once, when it is made."""

    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The first characters of the code, to tell invites apart.")
    note = models.CharField(max_length=200, blank=True, help_text="Who it is for, e.g. 'the Berg family'.")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invite", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Invite {self.prefix}… ({self.note or 'no note'})"

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return "used"
        return "expired" if self.expires_at <= timezone.now() else "open"
