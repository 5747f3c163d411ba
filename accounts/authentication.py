"""API authentication by StoryForge's own tokens: `Authorization: Token <key>`.

Only a digest of each key is stored (accounts.models.ApiToken), so DRF's
TokenAuthentication, which looks keys up in its own table, cannot be used as is;
this keeps its header parsing and its `WWW-Authenticate: Token` challenge (which
is what makes DRF answer 401 rather than 403) and asks accounts.services instead.
drf-spectacular documents it as the `tokenAuth` scheme (it matches subclasses).
"""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.services import api_token_authenticate


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        user = api_token_authenticate(key)
        if user is None:
            # The same answer for an unknown, revoked or inactive user's key.
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return user, None
