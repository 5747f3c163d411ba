"""The errors services raise. Each has a stable code that clients can rely on, the
HTTP status the API answers with, a severity for the logs, a message a person can
read, and details (which field, when to retry). docs/errors.md lists every code.

HTML views, the API's exception handler and management commands each turn these
into their own kind of answer, in one place each.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "INTERNAL_ERROR"
    http_status = 500
    severity = "error"
    default_message = "Something went wrong on our side."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class InvalidInput(DomainError):
    code = "VALIDATION_ERROR"
    http_status = 400
    severity = "info"
    default_message = "Some of the information given is not valid."

    @classmethod
    def for_field(cls, field: str, message: str) -> InvalidInput:
        return cls(message, details={"fields": {field: [message]}})


class NotAuthenticated(DomainError):
    code = "AUTH_ERROR"
    http_status = 401
    severity = "info"
    default_message = "Log in to do this."


class PermissionDenied(DomainError):
    code = "PERMISSION_DENIED"
    http_status = 403
    severity = "warning"
    default_message = "You are not allowed to do this."


class NotFound(DomainError):
    code = "NOT_FOUND"
    http_status = 404
    severity = "info"
    default_message = "That does not exist, or it is not yours."


class Conflict(DomainError):
    code = "CONFLICT"
    http_status = 409
    severity = "info"
    default_message = "Someone changed this in the meantime; reload and try again."


class ContentFlagged(DomainError):
    code = "CONTENT_FLAGGED"
    http_status = 422
    severity = "warning"
    default_message = "Some of the text is not suitable for a children's book."


class RateLimited(DomainError):
    code = "RATE_LIMITED"
    http_status = 429
    severity = "info"
    default_message = "Too many requests; wait a moment and try again."


class QuotaExceeded(DomainError):
    code = "QUOTA_EXCEEDED"
    http_status = 429
    severity = "info"
    default_message = "Today's generation budget is used up."


class AIUnavailable(DomainError):
    code = "AI_UNAVAILABLE"
    http_status = 503
    severity = "warning"
    default_message = "The AI service is not answering right now; try again in a little while."


class GenerationFailed(DomainError):
    code = "GENERATION_FAILED"
    http_status = 502
    severity = "error"
    default_message = "The story or picture could not be made."


class InternalError(DomainError):
    pass


def all_error_classes() -> list[type[DomainError]]:
    """Every concrete error, the base included (its code is INTERNAL_ERROR)."""
    seen, pending = [], [DomainError]
    while pending:
        cls = pending.pop()
        if cls not in seen:
            seen.append(cls)
            pending.extend(cls.__subclasses__())
    return seen
