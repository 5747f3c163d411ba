"""The fake OpenAI server's own behaviour, seen through plain HTTP."""

import contextlib
import http.client
import json
import socket
import threading
import time

import pytest

from tests.fakes.openai_server import FakeOpenAIServer, Reply


def post(server, path: str, body: dict) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("POST", f"/v1{path}", json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def chat(server, prompt: str = "Write exactly 3 pages.", **extra) -> tuple[int, dict, bytes]:
    return post(server, "/chat/completions", {"model": "m", "messages": [{"role": "user", "content": prompt}], **extra})


def test_default_story_has_the_page_count_of_the_prompt(fake_openai):
    status, _, body = chat(fake_openai, "Age group: 1-2 years.\nWrite exactly 6 pages.")

    story = json.loads(json.loads(body)["choices"][0]["message"]["content"])
    assert status == 200
    assert len(story["pages"]) == 6
    assert set(story) == {"title", "summary", "pages"}


def test_stream_ends_with_usage_and_done(fake_openai):
    status, headers, body = chat(fake_openai, stream=True, stream_options={"include_usage": True})

    events = [line.removeprefix("data: ") for line in body.decode().split("\n\n") if line]
    assert status == 200
    assert headers["Content-Type"].startswith("text/event-stream")
    assert events[-1] == "[DONE]"
    assert json.loads(events[-2])["usage"]["completion_tokens"] > 0
    assert json.loads(events[-3])["choices"][0]["finish_reason"] == "stop"


def test_script_is_answered_in_order_then_defaults(fake_openai):
    fake_openai.script("chat", Reply.rate_limited(7), Reply.server_error(503))
    fake_openai.script("any", Reply.unauthorized())

    statuses = [chat(fake_openai)[0] for _ in range(4)]

    assert statuses == [429, 503, 401, 200]
    assert [request.reply for request in fake_openai.requests] == ["429", "503", "401", "ok"]


def test_errors_have_openais_shape(fake_openai):
    fake_openai.script("moderations", Reply.rate_limited(7))

    status, headers, body = post(fake_openai, "/moderations", {"input": "hi"})

    assert status == 429
    assert headers["Retry-After"] == "7"
    assert headers["x-request-id"].startswith("req_")
    assert json.loads(body)["error"]["code"] == "rate_limit_exceeded"


def test_chaos_is_repeatable_from_its_seed(fake_openai):
    def run() -> list[str]:
        fake_openai.reset()
        fake_openai.chaos(0.3, seed=42, faults=("429", "500"))
        for _ in range(60):
            chat(fake_openai)
        return [request.reply for request in fake_openai.requests]

    first, second = run(), run()

    assert first == second
    assert 8 <= sum(reply != "ok" for reply in first) <= 30
    assert set(first) == {"ok", "429", "500"}


def test_latency_delays_every_answer(fake_openai):
    fake_openai.latency = 0.1
    started = time.monotonic()

    chat(fake_openai)

    assert time.monotonic() - started >= 0.1


def test_moderation_flags_the_flag_word(fake_openai):
    fake_openai.flag_word = "dragonfire"

    _, _, body = post(fake_openai, "/moderations", {"input": ["calm", "DragonFire!"]})

    results = json.loads(body)["results"]
    assert [result["flagged"] for result in results] == [False, True]
    assert results[1]["categories"]["violence"] is True


def test_unknown_path_is_not_found(fake_openai):
    status, _, body = post(fake_openai, "/nothing", {})

    assert status == 404
    assert "error" in json.loads(body)


def test_stop_ends_sleeping_and_kept_alive_connections_at_once():
    threads_before = set(threading.enumerate())
    server = FakeOpenAIServer().start()
    port = server.port
    idle = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    idle.request("GET", "/v1/models")
    idle.getresponse().read()  # the connection stays open (HTTP/1.1 keep-alive)
    server.script("chat", Reply.slow(10))
    sleeper = threading.Thread(target=_chat_ignoring_errors, args=(server,))
    sleeper.start()
    while not server.requests_for("chat"):
        time.sleep(0.01)
    started = time.monotonic()

    server.stop()

    sleeper.join(timeout=5)
    idle.close()
    assert time.monotonic() - started < 2
    # A thread that has just finished may still be listed for a moment: only living ones count.
    assert {thread for thread in threading.enumerate() if thread.is_alive()} - threads_before == set()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def _chat_ignoring_errors(server):
    with contextlib.suppress(OSError):  # the server goes away mid-call, as it should
        chat(server)
