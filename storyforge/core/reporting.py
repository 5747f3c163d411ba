"""What Django's debug page and error reports show of the settings.

Django hides settings whose names look secret (KEY, PASS, TOKEN...), but a password
can also sit inside a URL: `DATABASE_URL`, `EMAIL_URL`, `REDIS_URL`, the broker URL,
a cache's LOCATION. This filter keeps those URLs readable and masks their password.
"""

from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter

# scheme://user:password@host, and scheme://:password@host (Redis).
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@\s]+)(?=@)", re.IGNORECASE)


class UrlPasswordFilter(SafeExceptionReporterFilter):
    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str):
            return url_password_masked(cleansed, self.cleansed_substitute)
        return cleansed


def url_password_masked(text: str, substitute: str = "********************") -> str:
    """`text` with the password of every URL in it replaced by `substitute`."""
    return _URL_PASSWORD.sub(lambda match: match.group("head") + substitute, text)
