"""What every page's template can read besides the view's own context."""

from django.conf import settings

from storyforge.core.errors import ErrorCode

ERROR_CODES = {code.name: code.value for code in ErrorCode}


def error_codes(request) -> dict:
    """`error_codes.CONFLICT` and the rest, so that templates compare an error's code
    with a member of the one enum instead of spelling the code again."""
    return {"error_codes": ERROR_CODES, "signup_open": settings.STORYFORGE_SIGNUP == "open"}
