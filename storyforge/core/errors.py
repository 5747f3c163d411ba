"""The errors services raise. Each has a stable code that clients can rely on, the
HTTP status the API answers with, a severity for the logs, a message a person can
read, and details (which field, when to retry). docs/errors.md lists every code.

HTML views, the API's exception handler and management commands each turn these
into their own kind of answer, in one place each.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Every code a client can meet, in an API error, a job's or a story's
    `error_code`, or a log line. docs/errors.md explains each; a test keeps the two
    equal. Codes are stable: add new ones, never rename."""

    # Answers to a request (the DomainError subclasses below)
    INTERNAL_ERROR = "INTERNAL_ERROR"
    VALIDATION_ERROR = "VALIDATION_ERROR"
    AUTH_ERROR = "AUTH_ERROR"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    SIGNUP_CLOSED = "SIGNUP_CLOSED"
    INVITE_INVALID = "INVITE_INVALID"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    CONFLICT = "CONFLICT"
    CONTENT_FLAGGED = "CONTENT_FLAGGED"
    LANGUAGE_UNSUPPORTED = "LANGUAGE_UNSUPPORTED"
    RATE_LIMITED = "RATE_LIMITED"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    AI_UNAVAILABLE = "AI_UNAVAILABLE"
    NARRATION_UNAVAILABLE = "NARRATION_UNAVAILABLE"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    GENERATION_FAILED = "GENERATION_FAILED"
    # What a generation job can fail with: an AI provider's answer
    # (storyforge/generation/providers/), or a worker that stopped answering.
    AI_TIMEOUT = "AI_TIMEOUT"
    AI_RATE_LIMITED = "AI_RATE_LIMITED"
    AI_SERVER_ERROR = "AI_SERVER_ERROR"
    AI_CONNECTION_ERROR = "AI_CONNECTION_ERROR"
    AI_BAD_REQUEST = "AI_BAD_REQUEST"
    AI_AUTH_FAILED = "AI_AUTH_FAILED"
    AI_INVALID_OUTPUT = "AI_INVALID_OUTPUT"
    AI_MODEL_MISSING = "AI_MODEL_MISSING"
    AI_CAPABILITY_MISSING = "AI_CAPABILITY_MISSING"
    JOB_STUCK = "JOB_STUCK"
    # A story whose generation its owner stopped (POST /stories/{id}/cancel/).
    STORY_CANCELLED = "STORY_CANCELLED"


class DomainError(Exception):
    code = ErrorCode.INTERNAL_ERROR
    http_status = 500
    severity = "error"
    default_message = "Something went wrong on our side."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}

    def retry_after(self, now: datetime | None = None) -> int | None:
        """Whole seconds (at least 1) before trying again is worth it, from the
        details' `retry_after` (seconds) or `resets_at` (an ISO 8601 time); None
        when the details say neither."""
        seconds = self.details.get("retry_after")
        if seconds is None and self.details.get("resets_at"):
            try:
                resets_at = datetime.fromisoformat(str(self.details["resets_at"]))
            except ValueError:
                return None
            if resets_at.tzinfo is None:
                resets_at = resets_at.replace(tzinfo=UTC)
            seconds = (resets_at - (now or datetime.now(UTC))).total_seconds()
        try:
            return max(1, math.ceil(float(seconds))) if seconds is not None else None
        except (TypeError, ValueError):
            return None


class InvalidInput(DomainError):
    code = ErrorCode.VALIDATION_ERROR
    http_status = 400
    severity = "info"
    default_message = "Some of the information given is not valid."

    @classmethod
    def for_field(cls, field: str, message: str) -> InvalidInput:
        return cls(message, details={"fields": {field: [message]}})


class NotAuthenticated(DomainError):
    code = ErrorCode.AUTH_ERROR
    http_status = 401
    severity = "info"
    default_message = "Log in to do this."


class PermissionDenied(DomainError):
    code = ErrorCode.PERMISSION_DENIED
    http_status = 403
    severity = "warning"
    default_message = "You are not allowed to do this."


class SignupClosed(DomainError):
    """STORYFORGE_SIGNUP is `closed`: accounts are made by staff only."""

    code = ErrorCode.SIGNUP_CLOSED
    http_status = 403
    severity = "info"
    default_message = "Sign-up is closed here: ask the person who runs this StoryForge for an account."


class InviteInvalid(DomainError):
    """STORYFORGE_SIGNUP is `invite` and the code is missing, unknown, used or expired."""

    code = ErrorCode.INVITE_INVALID
    http_status = 403
    severity = "info"
    default_message = (
        "Sign-up here needs an invite, and this one is missing, used or expired: "
        "ask the person who runs this StoryForge for a new link."
    )


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND
    http_status = 404
    severity = "info"
    default_message = "That does not exist, or it is not yours."

    @classmethod
    def of(cls, what: str, **details) -> NotFound:
        """The same answer whether the `what` exists or is someone else's."""
        return cls(f"That {what} does not exist, or it is not yours.", details=details or None)


class MethodNotAllowed(DomainError):
    """The API answered a method the endpoint does not offer (the `Allow` header lists those it does)."""

    code = ErrorCode.METHOD_NOT_ALLOWED
    http_status = 405
    severity = "info"
    default_message = "This address does not accept that method."


class NotAcceptable(DomainError):
    code = ErrorCode.NOT_ACCEPTABLE
    http_status = 406
    severity = "info"
    default_message = "The API cannot answer in the format the Accept header asks for; ask for JSON."


class UnsupportedMediaType(DomainError):
    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE
    http_status = 415
    severity = "info"
    default_message = "The request body is in a format the API does not read; send JSON."


class Conflict(DomainError):
    code = ErrorCode.CONFLICT
    http_status = 409
    severity = "info"
    default_message = "Someone changed this in the meantime; reload and try again."


class ContentFlagged(DomainError):
    code = ErrorCode.CONTENT_FLAGGED
    http_status = 422
    severity = "warning"
    default_message = "Some of the text is not suitable for a children's book."


class LanguageUnsupported(DomainError):
    """The configured storyteller does not write the language a story asks for."""

    code = ErrorCode.LANGUAGE_UNSUPPORTED
    http_status = 422
    severity = "warning"
    default_message = "The storyteller configured here does not write stories in that language."


class RateLimited(DomainError):
    code = ErrorCode.RATE_LIMITED
    http_status = 429
    severity = "info"
    default_message = "Too many requests; wait a moment and try again."


class QuotaExceeded(DomainError):
    code = ErrorCode.QUOTA_EXCEEDED
    http_status = 429
    severity = "info"
    default_message = "Today's generation budget is used up."


class NarrationUnavailable(DomainError):
    """No voice to read books aloud on this installation; the message says what to
    install or configure. Nothing else is affected."""

    code = ErrorCode.NARRATION_UNAVAILABLE
    http_status = 503
    severity = "warning"
    default_message = "Reading books aloud is not set up on this server."


class AIUnavailable(DomainError):
    code = ErrorCode.AI_UNAVAILABLE
    http_status = 503
    severity = "warning"
    default_message = "The AI service is not answering right now; try again in a little while."


class ServiceUnavailable(DomainError):
    """A part StoryForge cannot work without (the database, the job queue) is not
    answering: a clear 503 instead of a traceback, for the length of the outage."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    http_status = 503
    severity = "error"
    default_message = "StoryForge cannot reach its database right now; try again in a minute."
    RETRY_AFTER = 30

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None):
        super().__init__(message, details={"retry_after": self.RETRY_AFTER, **(details or {})})


class GenerationFailed(DomainError):
    code = ErrorCode.GENERATION_FAILED
    http_status = 502
    severity = "error"
    default_message = "The story or picture could not be made."


class InternalError(DomainError):
    pass


def validation_error_details(error) -> tuple[str, dict[str, Any]]:
    """Message and details for a Django `ValidationError` raised by a service:
    `{"fields": {field: [messages]}}`, errors not tied to a field under
    `non_field_errors` (the key DRF uses too)."""
    if hasattr(error, "error_dict"):
        fields = {
            ("non_field_errors" if name == "__all__" else name): list(messages)
            for name, messages in error.message_dict.items()
        }
    else:
        fields = {"non_field_errors": list(error.messages)}
    messages = [message for field_messages in fields.values() for message in field_messages]
    only_one_general = len(messages) == 1 and "non_field_errors" in fields
    return (messages[0] if only_one_general else InvalidInput.default_message), {"fields": fields}


def domain_error_from(exc: BaseException) -> DomainError | None:
    """The DomainError an exception stands for: itself, or the one matching a
    Django exception (Http404, PermissionDenied, ValidationError, a bad request);
    None for anything else, which is a bug of ours (INTERNAL_ERROR)."""
    from django.core.exceptions import BadRequest, SuspiciousOperation, ValidationError
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
    from django.http import Http404

    if isinstance(exc, DomainError):
        return exc
    if isinstance(exc, Http404):
        return NotFound()  # Django's own message names the model: not for clients
    if isinstance(exc, DjangoPermissionDenied):
        return PermissionDenied()
    if isinstance(exc, ValidationError):
        message, details = validation_error_details(exc)
        return InvalidInput(message, details=details)
    if isinstance(exc, BadRequest | SuspiciousOperation):
        return InvalidInput("The request could not be understood.")
    if infrastructure_unavailable(exc):
        return ServiceUnavailable()
    return None


def infrastructure_unavailable(exc: BaseException) -> bool:
    """The database could not be reached (down, restarting, connection lost):
    not a bug of ours, answered 503 SERVICE_UNAVAILABLE."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def all_codes() -> set[str]:
    """Every code a client can meet: the members of ErrorCode."""
    return {code.value for code in ErrorCode}


def all_error_classes() -> list[type[DomainError]]:
    """Every concrete error, the base included (its code is INTERNAL_ERROR)."""
    seen, pending = [], [DomainError]
    while pending:
        cls = pending.pop()
        if cls not in seen:
            seen.append(cls)
            pending.extend(cls.__subclasses__())
    return seen
