"""The accounts API: signing up, logging in for a token, tokens, profile and usage."""

from django.contrib.auth import update_session_auth_hash
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import serializers as s
from accounts import services
from accounts.authentication import ApiTokenAuthentication
from accounts.models import ApiToken
from accounts.selectors import api_token_list
from storyforge.core.api import ApiUserRateThrottle, LoginRateThrottle, LoginUsernameRateThrottle, SignupRateThrottle
from storyforge.core.api_schema import error_responses
from storyforge.generation.selectors import usage_summary

WRONG_CREDENTIALS = "Wrong username or password."


class UserRegisterApi(APIView):
    # No authentication: a stale token or session must not stand in the way, and
    # without SessionAuthentication no CSRF token is asked for.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ApiUserRateThrottle, SignupRateThrottle]

    @extend_schema(
        tags=["auth"],
        auth=[],
        request=s.UserRegisterInput,
        responses={201: s.UserOutput, **error_responses(400, 403, public=True)},
    )
    def post(self, request):
        serializer = s.UserRegisterInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data)
        return Response(s.UserOutput(user).data, status=status.HTTP_201_CREATED)


class TokenObtainApi(APIView):
    """Log in with a username and password and get a new API token (a new one each time)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ApiUserRateThrottle, LoginRateThrottle, LoginUsernameRateThrottle]

    def get_authenticate_header(self, request):
        # No authenticators run here, yet a wrong password is a 401 with the Token challenge.
        return ApiTokenAuthentication().authenticate_header(request)

    @extend_schema(
        tags=["auth"],
        auth=[],
        request=s.TokenObtainInput,
        responses={200: s.TokenObtainOutput, **error_responses(400, 401, public=True)},
    )
    def post(self, request):
        serializer = s.TokenObtainInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.user_authenticate(username=data["username"], password=data["password"])
        if user is None:
            raise exceptions.AuthenticationFailed(WRONG_CREDENTIALS)
        _token, key = services.api_token_create(user=user, name=data.get("name", "API"))
        return Response(s.TokenObtainOutput({"token": key}).data)


class ApiTokenListApi(GenericAPIView):
    queryset = ApiToken.objects.none()  # the model, for the schema; get_queryset() reads the user's own
    filter_backends = []
    serializer_class = s.ApiTokenCreateInput  # what a POST reads, for DRF's OPTIONS answer (without one, a 500)

    def get_queryset(self):
        return api_token_list(user=self.request.user)

    @extend_schema(tags=["auth"], responses={200: s.ApiTokenOutput(many=True), **error_responses(400, 404)})
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ApiTokenOutput(page, many=True).data)

    @extend_schema(
        tags=["auth"], request=s.ApiTokenCreateInput, responses={201: s.ApiTokenCreatedOutput, **error_responses(400)}
    )
    def post(self, request):
        serializer = s.ApiTokenCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.api_token_create(user=request.user, **serializer.validated_data)
        return Response(s.ApiTokenCreatedOutput(token, context={"key": key}).data, status=status.HTTP_201_CREATED)


class ApiTokenDetailApi(APIView):
    @extend_schema(tags=["auth"], request=None, responses={204: None, **error_responses(404)})
    def delete(self, request, token_id: int):
        services.api_token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _BodyOnDeleteSchema(AutoSchema):
    """drf-spectacular documents request bodies only for POST, PUT and PATCH; deleting
    the account reads the password from the DELETE's body, so document that one too."""

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


def _body_on_delete(view_method):
    view_method.schema = _BodyOnDeleteSchema  # the base extend_schema() builds on
    return view_method


class MeApi(APIView):
    @extend_schema(tags=["me"], responses={200: s.UserOutput, **error_responses()})
    def get(self, request):
        return Response(s.UserOutput(request.user).data)

    @extend_schema(tags=["me"], request=s.ProfileUpdateInput, responses={200: s.UserOutput, **error_responses(400)})
    def patch(self, request):
        serializer = s.ProfileUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_preferences_update(user=request.user, **serializer.validated_data)
        return Response(s.UserOutput(user).data)

    @extend_schema(
        tags=["me"],
        summary="Delete the account",
        description="Deletes the account with its characters, stories and pictures. Send the password to confirm.",
        request=s.AccountDeleteInput,
        responses={204: None, **error_responses(400)},
    )
    @_body_on_delete
    def delete(self, request):
        serializer = s.AccountDeleteInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.account_delete(user=request.user, password=serializer.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeApi(APIView):
    @extend_schema(
        tags=["me"],
        summary="Change the password",
        description="Checks the current password and the password rules, sets the new one and deletes every "
        "API token of the account, the one used for this request too: log in again for a new token.",
        request=s.PasswordChangeInput,
        responses={204: None, **error_responses(400)},
    )
    def post(self, request):
        serializer = s.PasswordChangeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_change(user=request.user, **serializer.validated_data)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            update_session_auth_hash(request, request.user)  # the browser that asked stays logged in
        return Response(status=status.HTTP_204_NO_CONTENT)


class UsageApi(APIView):
    @extend_schema(tags=["me"], responses={200: s.UsageOutput, **error_responses()})
    def get(self, request):
        return Response(s.UsageOutput(usage_summary(user=request.user)).data)
