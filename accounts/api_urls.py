from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/register/", api.UserRegisterApi.as_view(), name="auth-register"),
    path("auth/token/", api.TokenObtainApi.as_view(), name="auth-token"),
    path("auth/tokens/", api.ApiTokenListApi.as_view(), name="token-list"),
    path("auth/tokens/<id:token_id>/", api.ApiTokenDetailApi.as_view(), name="token-detail"),
    path("me/", api.MeApi.as_view(), name="me"),
    path("me/password/", api.PasswordChangeApi.as_view(), name="me-password"),
    path("me/usage/", api.UsageApi.as_view(), name="me-usage"),
]
