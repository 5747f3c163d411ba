"""The test-only views the rate-limit tests call, as the URLconf of the tests marked
`urls` (with the site's own addresses after them, for the error pages), and what
reads the rate-limit fields of their answers."""

import re

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit as django_ratelimit
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import user_authenticate
from storyforge.core.api import (
    ApiUserRateThrottle,
    GenerationRateThrottle,
    LoginRateThrottle,
    LoginUsernameRateThrottle,
)
from storyforge.core.errors import RateLimited
from storyforge.core.ratelimit import rate_limit
from storyforge.urls import handler403, handler404, handler500  # noqa: F401 - this module is a URLconf
from storyforge.urls import urlpatterns as site_urlpatterns

URLS = "tests.core.ratelimit.urls"
POLICY = re.compile(r'"(?P<name>[a-z_]+)";q=(?P<q>\d+);w=(?P<w>\d+)')
USAGE = re.compile(r'"(?P<name>[a-z_]+)";r=(?P<r>\d+);t=(?P<t>\d+)')


class LimitedApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ApiUserRateThrottle]

    def get(self, request):
        return Response({"ok": True})


class GenerateApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ApiUserRateThrottle, GenerationRateThrottle]

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"started": True}, status=202)


class TokenApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [LoginRateThrottle, LoginUsernameRateThrottle]

    def post(self, request):
        return Response({"token": "t"})


@rate_limit("signup_ip", key="ip")
def signup(request):
    return HttpResponse("account made" if request.method == "POST" else "the form")


@rate_limit("login_user", key="username")
def login_by_username(request):
    return HttpResponse("tried")


@django_ratelimit(key="ip", rate="1/m")
def plain_ratelimit(request):
    return HttpResponse("ok")


@require_POST
def lockout_login(request):
    """A log-in answered in JSON, through the service the log-in form and the token
    API use, so the lockout tests go the way a real log-in goes."""
    try:
        user = user_authenticate(username=request.POST["username"], password=request.POST["password"])
    except RateLimited as error:
        return JsonResponse(error.as_dict(), status=429)
    if user is None:
        return JsonResponse({"message": "Wrong username or password."}, status=400)
    return JsonResponse({"message": "Welcome."})


urlpatterns = [
    path("api/v1/test/limited/", LimitedApi.as_view()),
    path("api/v1/test/generate/", GenerateApi.as_view()),
    path("api/v1/test/token/", TokenApi.as_view()),
    path("test/signup/", signup),
    path("test/login-by-username/", login_by_username),
    path("test/plain-ratelimit/", plain_ratelimit),
    path("test/lockout-login/", lockout_login),
    *site_urlpatterns,
]


def parsed(response) -> tuple[dict, dict]:
    """The first item of `RateLimit-Policy` and of `RateLimit`: the limit that bites first."""
    [policy] = [m.groupdict() for m in POLICY.finditer(response["RateLimit-Policy"])][:1]
    [usage] = [m.groupdict() for m in USAGE.finditer(response["RateLimit"])][:1]
    return policy, usage
