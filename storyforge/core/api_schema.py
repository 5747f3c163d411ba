"""What the OpenAPI schema says about errors: the one error shape every API answer
shares (`storyforge.core.api.error_body`), and the responses each endpoint declares.

    @extend_schema(responses={200: StoryOutput, **error_responses(404)})

Every authenticated endpoint can answer 401 (no or a wrong token) and 429 (rate
limits), so `error_responses()` always includes them; name the others it can meet.

Input fields that mean what the schema says: `TextField` takes only a string (DRF's
CharField turns 5 into "5", though the schema says `type: string`), and one that may
not be blank documents that it needs a character other than a space, as the API
trims spaces before it checks. `UniqueListField` refuses an item twice and says so
(`uniqueItems`). `NoInput` is the body of a POST that takes none, and
`WholeBodyPatchSchema` documents a PATCH that needs its fields.

And what an object id is: a whole number a database id can hold. A bigger one in
an address does not match it (404), and input fields and filters refuse it (400),
so it never reaches a query, where it would be an error of the database (500).
Addresses write an id as `<id:story_id>`; the converter is registered when this
module is imported, which every app's api.py (and so its api_urls.py) does.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from storyforge.core import errors
from storyforge.core.converters import ID_MAX  # noqa: F401 - id fields in the API share the URL limit

NOT_ONLY_SPACES = RegexValidator(r"\S", "This field may not be blank.")


class TextField(serializers.CharField):
    def __init__(self, **kwargs):
        if not kwargs.get("allow_blank", False):
            kwargs["validators"] = [*kwargs.get("validators", []), NOT_ONLY_SPACES]
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class UniqueListField(serializers.ListField):
    """A list whose items are all different (`uniqueItems` in the schema)."""

    default_error_messages = {"not_unique": "Each item can be in the list once."}

    def to_internal_value(self, data):
        items = super().to_internal_value(data)
        keys = [repr(sorted(item.items())) if isinstance(item, dict) else repr(item) for item in items]
        if len(set(keys)) != len(keys):
            self.fail("not_unique")
        return items


class UniqueListFieldSchema(OpenApiSerializerFieldExtension):
    target_class = UniqueListField

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "uniqueItems": True}


class NoInput(serializers.Serializer):
    pass


class WholeBodyPatchSchema(AutoSchema):
    """For a view whose PATCH changes one thing, so its body has required fields:
    drf-spectacular documents every PATCH body as partial (all optional), as DRF's own
    update views read it, which would tell clients that an empty body is fine."""

    def _get_request_for_media_type(self, serializer, direction="request"):
        if self.method != "PATCH":
            return super()._get_request_for_media_type(serializer, direction)
        self.method = "PUT"  # read as a whole body, as this view does
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = "PATCH"


class ErrorDetailOutput(serializers.Serializer):
    code = serializers.CharField(help_text="Stable error code, e.g. NOT_FOUND; docs/errors.md lists them all.")
    message = serializers.CharField(help_text="For people; it may change, so branch on the code.")
    details = serializers.DictField(
        help_text="Always an object: `fields` for validation errors, `retry_after` or `resets_at` when retrying helps."
    )
    request_id = serializers.CharField(help_text="Also in the X-Request-ID header; quote it when reporting a problem.")


class ErrorOutput(serializers.Serializer):
    error = ErrorDetailOutput()


_ERRORS_BY_STATUS: dict[int, tuple[type[errors.DomainError], ...]] = {
    400: (errors.InvalidInput,),
    401: (errors.NotAuthenticated,),
    403: (errors.SignupClosed, errors.InviteInvalid),
    404: (errors.NotFound,),
    409: (errors.Conflict,),
    422: (errors.ContentFlagged,),
    429: (errors.RateLimited, errors.QuotaExceeded),
    502: (errors.GenerationFailed,),
    503: (errors.AIUnavailable,),
}

_DESCRIPTIONS = {
    400: "VALIDATION_ERROR: the fields listed in `details.fields` need another look.",
    401: "AUTH_ERROR: no credentials, or a wrong or revoked token.",
    403: "SIGNUP_CLOSED or INVITE_INVALID: this server's sign-up is closed, or needs a valid invite code.",
    404: "NOT_FOUND: it does not exist, or it is not yours.",
    409: "CONFLICT: the object is in a state that does not allow this, or changed in the meantime.",
    422: "CONTENT_FLAGGED: some of the text is not suitable for a children's book.",
    429: "RATE_LIMITED (see Retry-After) or, for generations, QUOTA_EXCEEDED (see `details.resets_at`).",
    502: "GENERATION_FAILED: it could not be made this time; asking again tries once more.",
    503: "AI_UNAVAILABLE: the AI service is resting after repeated failures; see Retry-After.",
}

ALWAYS = (401, 429)


def error_responses(*statuses: int, public: bool = False) -> dict[int, OpenApiResponse]:
    """The error responses of an endpoint: `statuses` plus 401 and 429 (only 429 when
    `public`, for the endpoints used before logging in)."""
    wanted = set(statuses) | ({429} if public else set(ALWAYS))
    return {status: _error_response(status) for status in sorted(wanted)}


def _error_response(status: int) -> OpenApiResponse:
    examples = [
        OpenApiExample(
            error_class.code,
            value={"error": {**error_class().as_dict(), "request_id": "3f6c1b0e9a2d4f5e8b7c6d5e4f3a2b1c"}},
            response_only=True,
            status_codes=[str(status)],
        )
        for error_class in _ERRORS_BY_STATUS[status]
    ]
    return OpenApiResponse(response=ErrorOutput, description=_DESCRIPTIONS[status], examples=examples)
