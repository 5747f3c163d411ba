"""Rate limits (one RATE_LIMITS block for the HTML views and the API), their 429
answers and headers, exactness under concurrency, and the log-in lockout.

Time is moved with time-machine; nothing sleeps. The views here are test-only
(this module is the URLconf of the tests marked `urls`).
"""

import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.http import HttpResponse, JsonResponse
from django.test import Client
from django.urls import path
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit as django_ratelimit
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from storyforge import checks, config
from storyforge.core.api import (
    ApiUserRateThrottle,
    GenerationRateThrottle,
    LoginRateThrottle,
    LoginUsernameRateThrottle,
    StandardPagination,
)
from storyforge.core.errors import RateLimited
from storyforge.core.ratelimit import (
    client_ip,
    counter_hit,
    login_failure_record,
    login_lockout_check,
    login_success,
    rate_limit,
)
from storyforge.urls import handler403, handler404, handler500  # noqa: F401 - this module is a URLconf
from storyforge.urls import urlpatterns as site_urlpatterns
from tests.factories import USER_PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
URLS = "tests.core.test_ratelimit"
# 30 s into a minute, an hour and a day: every fixed window has time left.
MID_WINDOW = datetime(2026, 3, 14, 12, 30, 30, tzinfo=UTC)
POLICY = re.compile(r'"(?P<name>[a-z_]+)";q=(?P<q>\d+);w=(?P<w>\d+)')
USAGE = re.compile(r'"(?P<name>[a-z_]+)";r=(?P<r>\d+);t=(?P<t>\d+)')


# Test-only views


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
    """How the log-in views use the lockout helpers: check, authenticate, record."""
    username = request.POST["username"]
    try:
        login_lockout_check(username)
    except RateLimited as error:
        return JsonResponse(error.as_dict(), status=429)
    if authenticate(request, username=username, password=request.POST["password"]) is None:
        login_failure_record(username)
        return JsonResponse({"message": "Wrong username or password."}, status=400)
    login_success(username)
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


@pytest.fixture
def rates(settings):
    """Small limits, easy to reach."""
    settings.RATE_LIMITS = {
        "login_user": "3/m",
        "login_ip": "100/m",
        "signup_ip": "2/m",
        "generation_user": "2/h",
        "api_user": "3/m",
    }
    return settings.RATE_LIMITS


@pytest.fixture
def frozen():
    with time_machine.travel(MID_WINDOW, tick=False) as traveller:
        yield traveller


def parsed(response) -> tuple[dict, dict]:
    [policy] = [m.groupdict() for m in POLICY.finditer(response["RateLimit-Policy"])][:1]
    [usage] = [m.groupdict() for m in USAGE.finditer(response["RateLimit"])][:1]
    return policy, usage


# The API: the atomic throttle


@pytest.mark.urls(URLS)
def test_the_api_refuses_past_the_limit_with_retry_after_and_ratelimit_fields(rates, frozen):
    client = APIClient()
    answers = [client.get("/api/v1/test/limited/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    body = refused.json()["error"]
    assert body["code"] == "RATE_LIMITED" and body["request_id"] == refused["X-Request-ID"]
    assert refused["Retry-After"] == "30"  # whole seconds to the end of the minute
    assert body["details"] == {"retry_after": 30}
    policy, usage = parsed(refused)
    assert policy == {"name": "api_user", "q": "3", "w": "60"}
    assert usage == {"name": "api_user", "r": "0", "t": "30"}


@pytest.mark.urls(URLS)
def test_allowed_api_answers_carry_the_remaining_count(rates, frozen):
    client = APIClient()
    remaining = [parsed(client.get("/api/v1/test/limited/"))[1]["r"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    ok = client.get("/api/v1/test/limited/")
    assert ok.status_code == 429


@pytest.mark.urls(URLS)
def test_the_api_lets_the_client_in_again_when_the_window_ends(rates, frozen):
    client = APIClient()
    for _ in range(3):
        client.get("/api/v1/test/limited/")
    assert client.get("/api/v1/test/limited/").status_code == 429
    frozen.shift(timedelta(seconds=29))
    refused = client.get("/api/v1/test/limited/")
    assert (refused.status_code, refused["Retry-After"]) == (429, "1")
    frozen.shift(timedelta(seconds=1))
    assert client.get("/api/v1/test/limited/").status_code == 200


@pytest.mark.urls(URLS)
def test_retry_after_is_at_least_one_second_at_the_very_end_of_a_window(rates):
    with time_machine.travel(MID_WINDOW.replace(second=59, microsecond=900_000), tick=False):
        client = APIClient()
        for _ in range(3):
            client.get("/api/v1/test/limited/")
        assert client.get("/api/v1/test/limited/")["Retry-After"] == "1"


@pytest.mark.urls(URLS)
def test_generation_has_its_own_hourly_limit_and_both_limits_are_reported(rates, frozen):
    client = APIClient()
    assert [client.post("/api/v1/test/generate/").status_code for _ in range(3)] == [202, 202, 429]
    refused = client.post("/api/v1/test/generate/")
    assert refused["Retry-After"] == str(30 * 60 - 30)  # the hour's window, not the minute's
    assert refused["RateLimit-Policy"].startswith('"generation_user";q=2;w=3600')
    assert '"api_user";q=3;w=60' in refused["RateLimit-Policy"]
    frozen.shift(timedelta(minutes=1))
    assert client.get("/api/v1/test/generate/").status_code == 200  # reading is not generating


@pytest.mark.urls(URLS)
def test_the_token_endpoint_is_limited_per_username_whatever_the_address(rates, frozen):
    answers = [
        APIClient(REMOTE_ADDR=f"203.0.113.{n}").post("/api/v1/test/token/", {"username": " Mia "}, format="json")
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    other = APIClient().post("/api/v1/test/token/", {"username": "leo"}, format="json")
    assert other.status_code == 200


@pytest.mark.urls(URLS)
def test_a_limit_turned_off_does_not_count(rates, frozen):
    rates["api_user"] = None
    client = APIClient()
    answers = [client.get("/api/v1/test/limited/") for _ in range(10)]
    assert {a.status_code for a in answers} == {200}
    assert not answers[-1].has_header("RateLimit")


@pytest.mark.urls(URLS)
def test_the_limit_is_read_from_settings_at_each_request(rates, frozen):
    client = APIClient()
    for _ in range(3):
        client.get("/api/v1/test/limited/")
    rates["api_user"] = "10/m"
    assert client.get("/api/v1/test/limited/").status_code == 200


def test_exactly_the_limit_gets_through_of_fifty_simultaneous_requests(frozen):
    start = threading.Barrier(50)

    def hit(_):
        start.wait()
        return counter_hit("api_user", "user:1", 5, 60)

    with ThreadPoolExecutor(50) as pool:
        states = list(pool.map(hit, range(50)))
    assert sum(not state.exceeded for state in states) == 5
    assert sorted(state.remaining for state in states if not state.exceeded) == [0, 1, 2, 3, 4]


@pytest.mark.urls(URLS)
def test_exactly_the_limit_of_simultaneous_api_requests_is_answered(rates, frozen):
    rates["api_user"] = "5/m"
    start = threading.Barrier(50)

    def request(_):
        client = APIClient(REMOTE_ADDR="198.51.100.7")
        start.wait()
        return client.get("/api/v1/test/limited/").status_code

    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(request, range(50)))
    assert (statuses.count(200), statuses.count(429)) == (5, 45)


# Across processes, on a real Redis

PROCESS_SCRIPT = """
import sys, threading
import django
from django.conf import settings
settings.configure(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": sys.argv[1], "KEY_PREFIX": "storyforge"}},
    RATE_LIMITS={"api_user": "5/m"},
)
django.setup()
from storyforge.core.ratelimit import counter_hit

now, threads = float(sys.argv[2]), int(sys.argv[3])
results, start = [], threading.Barrier(threads)
def hit():
    start.wait()
    results.append(counter_hit("api_user", "user:42", 5, 60, now=now))
workers = [threading.Thread(target=hit) for _ in range(threads)]
print("ready", flush=True)
sys.stdin.readline()  # all processes start counting together
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print(sum(not state.exceeded for state in results), flush=True)
"""


@pytest.mark.services
def test_exactly_the_limit_gets_through_across_processes_sharing_redis(redis_server, redis_cache):
    now = (int(datetime.now(UTC).timestamp()) // 60) * 60 + 30.0  # one window for every process
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS"))}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS_SCRIPT, redis_server.url, str(now), "5"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(10)
    ]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready"
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        allowed = [int(process.communicate(timeout=60)[0].strip()) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert sum(allowed) == 5  # of 10 processes x 5 threads
    assert counter_hit("api_user", "user:42", 5, 60, now=now).exceeded  # this process sees the same count


# HTML views: django-ratelimit through storyforge.core.ratelimit.rate_limit


@pytest.mark.urls(URLS)
def test_an_html_view_over_its_limit_shows_the_429_page_with_headers(rates, frozen):
    client = Client()
    answers = [client.post("/test/signup/") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[-1]
    page = refused.content.decode()
    retry_after = int(refused["Retry-After"])
    assert 1 <= retry_after <= 60
    assert "Please slow down" in page and f"Wait <strong>{retry_after} second" in page
    assert refused["X-Request-ID"] in page
    policy, usage = parsed(refused)
    assert policy == {"name": "signup_ip", "q": "2", "w": "60"}
    assert usage == {"name": "signup_ip", "r": "0", "t": str(retry_after)}


@pytest.mark.urls(URLS)
def test_html_limits_count_posts_not_page_views(rates, frozen):
    client = Client()
    assert {client.get("/test/signup/").status_code for _ in range(5)} == {200}
    assert [client.post("/test/signup/").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.urls(URLS)
def test_an_html_limit_lets_the_client_in_again_after_the_window(rates, frozen):
    client = Client()
    for _ in range(2):
        client.post("/test/signup/")
    refused = client.post("/test/signup/")
    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    if retry_after > 1:
        frozen.shift(timedelta(seconds=retry_after - 1))
        assert client.post("/test/signup/").status_code == 429  # not a second too early
        retry_after = 1
    frozen.shift(timedelta(seconds=retry_after))
    assert client.post("/test/signup/").status_code == 200


@pytest.mark.urls(URLS)
def test_html_limits_are_per_address(rates, frozen):
    for _ in range(2):
        Client(REMOTE_ADDR="192.0.2.1").post("/test/signup/")
    assert Client(REMOTE_ADDR="192.0.2.1").post("/test/signup/").status_code == 429
    assert Client(REMOTE_ADDR="192.0.2.2").post("/test/signup/").status_code == 200


@pytest.mark.urls(URLS)
def test_an_html_limit_by_username_ignores_the_address_and_the_spelling(rates, frozen):
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{n}").post("/test/login-by-username/", {"username": name}).status_code
        for n, name in enumerate(["mia", "Mia", " MIA ", "mia"])
    ]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.urls(URLS)
def test_allowed_html_answers_carry_the_ratelimit_fields(rates, frozen):
    ok = Client().post("/test/signup/")
    assert parsed(ok)[1]["r"] == "1"
    assert not ok.has_header("Retry-After")


@pytest.mark.urls(URLS)
def test_exactly_the_limit_of_simultaneous_html_posts_is_answered(rates, frozen):
    rates["signup_ip"] = "5/m"
    start = threading.Barrier(50)

    def post(_):
        client = Client(REMOTE_ADDR="198.51.100.9")
        start.wait()
        return client.post("/test/signup/").status_code

    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(post, range(50)))
    assert (statuses.count(200), statuses.count(429)) == (5, 45)


@pytest.mark.urls(URLS)
def test_a_view_using_django_ratelimit_directly_gets_the_429_page_not_a_403(frozen):
    client = Client()
    client.get("/test/plain-ratelimit/")
    refused = client.get("/test/plain-ratelimit/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Please slow down" in refused.content.decode()


# Client addresses behind proxies


def test_the_client_address_is_remote_addr_without_proxies(rf, settings):
    settings.RATELIMIT_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"  # a client cannot choose its address


def test_behind_one_proxy_the_address_it_saw_is_used(rf, settings):
    settings.RATELIMIT_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"  # what the client wrote itself (6.6.6.6) is ignored
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")) == "10.0.0.5"


# Log-in lockout


def lockout_answer(username, *, password="wrong-password", address="192.0.2.10"):
    response = Client(REMOTE_ADDR=address).post("/test/lockout-login/", {"username": username, "password": password})
    return response.status_code, response.json()


@pytest.fixture
def lockout(settings, rates):
    settings.STORYFORGE_LOGIN_LOCKOUT = 3
    settings.STORYFORGE_LOGIN_LOCKOUT_SECONDS = 600
    return settings


@pytest.mark.urls(URLS)
@pytest.mark.django_db
def test_a_username_is_locked_after_the_failures_existing_or_not_with_the_same_answer(lockout, frozen):
    existing = UserFactory(username="mia-parent").username
    for username in (existing, "nobody-by-this-name"):
        failures = [lockout_answer(username, address=f"198.51.100.{n}") for n in range(3)]
        assert {status for status, _ in failures} == {400}
    answers = [lockout_answer(username, address="203.0.113.77") for username in (existing, "nobody-by-this-name")]
    assert answers[0] == answers[1]  # nothing tells whether the account exists
    status, body = answers[0]
    assert status == 429 and body["code"] == "RATE_LIMITED"
    assert body["details"] == {"retry_after": 600}
    assert "10 minutes" in body["message"]


@pytest.mark.urls(URLS)
@pytest.mark.django_db
def test_the_right_password_does_not_help_while_locked(lockout, frozen):
    user = UserFactory(username="leo-parent")
    for n in range(3):
        lockout_answer(user.username, address=f"198.51.100.{n}")
    assert lockout_answer(user.username, password=USER_PASSWORD)[0] == 429


@pytest.mark.urls(URLS)
@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(lockout, frozen):
    user = UserFactory(username="ada-parent")
    for _ in range(3):
        lockout_answer(user.username)
    frozen.shift(timedelta(seconds=599))
    assert lockout_answer(user.username, password=USER_PASSWORD)[0] == 429
    frozen.shift(timedelta(seconds=1))
    assert lockout_answer(user.username, password=USER_PASSWORD) == (200, {"message": "Welcome."})


@pytest.mark.urls(URLS)
@pytest.mark.django_db
def test_a_successful_log_in_forgets_the_failures(lockout, frozen):
    user = UserFactory(username="kim-parent")
    for _ in range(2):
        lockout_answer(user.username)
    assert lockout_answer(user.username, password=USER_PASSWORD)[0] == 200
    assert [lockout_answer(user.username)[0] for _ in range(3)] == [400, 400, 400]
    assert lockout_answer(user.username)[0] == 429


def test_the_lockout_ignores_case_and_surrounding_spaces(lockout, frozen):
    for spelling in ("Sam", " sam", "SAM "):
        login_lockout_check(spelling)
        login_failure_record(spelling)
    with pytest.raises(RateLimited):
        login_lockout_check("sam")


def test_simultaneous_guesses_cannot_get_past_the_lockout(lockout, frozen):
    start = threading.Barrier(50)

    def guess(_):
        start.wait()
        try:
            login_lockout_check("target")
        except RateLimited:
            return False
        return True

    with ThreadPoolExecutor(50) as pool:
        allowed = list(pool.map(guess, range(50)))
    assert allowed.count(True) == 3


def test_a_lockout_of_zero_turns_it_off(lockout, frozen):
    lockout.STORYFORGE_LOGIN_LOCKOUT = 0
    for _ in range(20):
        login_lockout_check("free")
        login_failure_record("free")
    login_success("free")


# Configuration: the rates, and the cache they need


@pytest.mark.parametrize(
    ("raw", "expected"), [("5/m", (5, 60)), ("30/h", (30, 3600)), ("100/10m", (100, 600)), ("1/d", (1, 86400))]
)
def test_rates_are_written_as_django_ratelimit_writes_them(raw, expected):
    assert config.rate_parse(raw) == expected


@pytest.mark.parametrize("raw", ["5", "five/m", "5/w", "5/m/h", "", "5/0m"])
def test_a_malformed_rate_is_a_config_error_naming_the_variable(raw):
    with pytest.raises(config.ConfigError, match="STORYFORGE_RATE_API"):
        config.rate_parse(raw, "STORYFORGE_RATE_API")


def test_off_means_no_limit():
    assert config.rate_parse(" OFF ") is None


def test_a_malformed_rate_variable_is_reported_by_its_check(settings):
    settings.RATE_LIMITS_FROM_ENV = {"STORYFORGE_RATE_API": "lots", "STORYFORGE_RATE_LOGIN": "10/m"}
    [message] = checks.check_rate_limits()
    assert message.id == "storyforge.E070" and "STORYFORGE_RATE_API" in message.msg


def test_the_rate_variables_fill_rate_limits_and_a_bad_one_is_reported(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS"))}
    env.update(
        {
            "STORYFORGE_READ_DOT_ENV": "0",
            "STORYFORGE_VAR_DIR": str(tmp_path / "var"),
            "STORYFORGE_RATE_API": "100/10m",
            "STORYFORGE_RATE_SIGNUP": "off",
            "STORYFORGE_RATE_LOGIN": "plenty",
        }
    )
    script = (
        "from django.conf import settings; from django.core.management import call_command; "
        "print(sorted(settings.RATE_LIMITS.items())); call_command('check')"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "('api_user', '100/10m')" in result.stdout
    assert "('signup_ip', None)" in result.stdout
    assert "('login_user', '5/m')" in result.stdout  # the default while the value is wrong
    assert "storyforge.E070" in result.stderr and "STORYFORGE_RATE_LOGIN" in result.stderr


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_production_rate_limits_on_a_cache_processes_cannot_share_are_warned_about(settings, backend):
    settings.PRODUCTION = True
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "/tmp/unused"}}
    [message] = checks.check_rate_limit_cache()
    assert message.id == "storyforge.W062"
    assert "REDIS_URL" in message.hint


def test_production_rate_limits_on_redis_are_fine(settings):
    settings.PRODUCTION = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/0"}
    }
    assert checks.check_rate_limit_cache() == []


def test_development_may_count_in_local_memory(settings):
    settings.PRODUCTION = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert checks.check_rate_limit_cache() == []


def test_the_default_page_size_is_twenty_and_at_most_a_hundred():
    assert (StandardPagination.page_size, StandardPagination.max_page_size) == (20, 100)
