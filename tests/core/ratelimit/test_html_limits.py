"""HTML views: limits counted through django-ratelimit by
`storyforge.core.ratelimit.rate_limit`, answered with the 429 page and its headers."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.test import Client

from tests.core.ratelimit.urls import URLS, parsed


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
