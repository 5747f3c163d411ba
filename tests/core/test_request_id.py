"""Request ids: taken from the client when well formed, made otherwise, returned on
every answer, on every log line of the request, and carried into Celery tasks.
Also the two log formats."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.worker.request import Request
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.utils.module_loading import import_string

from storyforge.celery import app as celery_app
from storyforge.core.logging import RequestIdFilter, error_log, request_id_get
from storyforge.urls import handler404  # noqa: F401 - this module is a URLconf
from storyforge.urls import urlpatterns as site_urlpatterns

ROOT = Path(__file__).resolve().parents[2]
URLS = "tests.core.test_request_id"
TASK_QUEUE = "tests-request-id"
view_logger = logging.getLogger("storyforge.tests.view")
task_logger = logging.getLogger("storyforge.tests.task")
seen_in_tasks: list[str] = []


@celery_app.task(name="tests.core.request_id_echo")
def request_id_echo():
    task_logger.info("inside the task")
    seen_in_tasks.append(request_id_get())


def logging_view(request):
    view_logger.info("inside the view")
    return HttpResponse(request_id_get())


def refusing_view(request):
    return HttpResponseBadRequest("no")  # logged by Django after the middleware has returned


def queueing_view(request):
    result = request_id_echo.apply_async(queue=TASK_QUEUE)
    return JsonResponse({"task_id": result.id})


urlpatterns = [
    path("test/log/", logging_view),
    path("test/refuse/", refusing_view),
    path("test/queue/", queueing_view),
    *site_urlpatterns,
]


@pytest.fixture
def log_lines(settings):
    """The console handler as settings.LOGGING defines it (its filter and the chosen
    formatter), writing to a buffer; returns a function giving the lines so far."""

    def attach(log_format="plain"):
        console = settings.LOGGING["handlers"]["console"]
        handler = logging.StreamHandler(buffer)
        for name in console["filters"]:
            handler.addFilter(import_string(settings.LOGGING["filters"][name]["()"])())
        handler.setFormatter(import_string(settings.LOGGING["formatters"][log_format]["()"])())
        logging.getLogger().addHandler(handler)
        handlers.append(handler)
        return lambda: buffer.getvalue().splitlines()

    buffer, handlers = io.StringIO(), []
    yield attach
    for handler in handlers:
        logging.getLogger().removeHandler(handler)


def test_the_configured_console_handler_adds_request_ids():
    console = [h for h in logging.getLogger().handlers if any(isinstance(f, RequestIdFilter) for f in h.filters)]
    assert console, "settings.LOGGING's console handler has lost its request id filter"


# The header


@pytest.mark.urls(URLS)
def test_a_well_formed_incoming_id_is_used_and_returned(client):
    response = client.get("/test/log/", HTTP_X_REQUEST_ID="lb-7f3a.9c_21-abc")
    assert response["X-Request-ID"] == "lb-7f3a.9c_21-abc"
    assert response.content.decode() == "lb-7f3a.9c_21-abc"  # request_id_get() inside the view


@pytest.mark.urls(URLS)
@pytest.mark.parametrize(
    "incoming",
    ["x" * 200, "has spaces in it", "line\nbreak-injected", "short", "<script>alert(1)</script>", "ünïcode-id-123"],
)
def test_a_malformed_incoming_id_is_replaced(client, incoming):
    response = client.get("/test/log/", HTTP_X_REQUEST_ID=incoming)
    made = response["X-Request-ID"]
    assert made != incoming
    assert len(made) == 32 and int(made, 16) >= 0  # a uuid4 in hex


@pytest.mark.urls(URLS)
def test_each_request_without_an_id_gets_its_own(client):
    first, second = client.get("/test/log/"), client.get("/test/log/")
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.urls(URLS)
def test_redirects_and_error_pages_carry_the_id_too(client):
    assert client.get("/no-such-page/", HTTP_X_REQUEST_ID="missing-page-0001")["X-Request-ID"] == "missing-page-0001"
    assert client.get("/admin/", HTTP_X_REQUEST_ID="redirected-00001")["X-Request-ID"] == "redirected-00001"


def test_outside_a_request_there_is_no_id():
    assert request_id_get() == ""


# Log lines


@pytest.mark.urls(URLS)
def test_log_lines_written_during_the_request_carry_its_id(client, log_lines):
    lines = log_lines("plain")
    client.get("/test/log/", HTTP_X_REQUEST_ID="req-for-logging-01")
    [line] = [line for line in lines() if "inside the view" in line]
    assert "[req-for-logging-01]" in line
    assert "INFO storyforge.tests.view" in line


@pytest.mark.urls(URLS)
def test_djangos_own_response_log_line_carries_the_id(client, log_lines):
    lines = log_lines("plain")
    client.get("/test/refuse/", HTTP_X_REQUEST_ID="refused-request-1")
    [line] = [line for line in lines() if "Bad Request: /test/refuse/" in line]
    assert "[refused-request-1]" in line


@pytest.mark.urls(URLS)
def test_an_error_line_has_its_code_and_severity(client, log_lines):
    lines = log_lines("plain")
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="not-found-line-01")
    [line] = [line for line in lines() if "code=" in line]
    assert "[not-found-line-01]" in line and "code=NOT_FOUND severity=info" in line


def test_lines_outside_a_request_say_so(log_lines):
    lines = log_lines("plain")
    view_logger.warning("no request here")
    assert "[-] no request here" in lines()[-1]


# JSON lines


@pytest.mark.urls(URLS)
def test_the_json_format_writes_one_object_per_line_with_the_fields(client, log_lines):
    lines = log_lines("json")
    client.get("/test/log/", HTTP_X_REQUEST_ID="json-request-0001")
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="json-request-0002")
    records = [json.loads(line) for line in lines()]  # every line is valid JSON
    [view] = [r for r in records if r["message"] == "inside the view"]
    assert view["level"] == "INFO" and view["logger"] == "storyforge.tests.view"
    assert view["request_id"] == "json-request-0001"
    assert view["ts"].endswith("+00:00") and "T" in view["ts"]
    assert "code" not in view
    [error] = [r for r in records if r.get("code")]
    assert (error["code"], error["severity"], error["request_id"]) == ("NOT_FOUND", "info", "json-request-0002")
    assert error["status"] == 404


def test_a_json_line_keeps_the_traceback_inside_the_object(log_lines):
    lines = log_lines("json")
    try:
        raise ValueError("boom")
    except ValueError as exc:
        error_log("INTERNAL_ERROR", "it broke", exc_info=exc)
    [line] = lines()
    record = json.loads(line)
    assert record["code"] == "INTERNAL_ERROR" and record["severity"] == "error"
    assert "ValueError: boom" in record["exception"] and "Traceback" in record["exception"]


def test_log_format_json_in_the_environment_switches_the_real_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFORGE", "DJANGO_SETTINGS", "LOG_"))}
    env.update(
        {
            "STORYFORGE_READ_DOT_ENV": "0",
            "STORYFORGE_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "storyforge.settings",
            "LOG_FORMAT": "json",
        }
    )
    script = "import django, logging; django.setup(); logging.getLogger('storyforge.probe').warning('hello')"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "hello" and record["logger"] == "storyforge.probe"
    assert record["request_id"] is None


# Celery


@pytest.mark.urls(URLS)
def test_a_task_queued_during_a_request_carries_its_id_into_the_worker(client, log_lines):
    """Published on the (in-memory) broker, then run as a worker runs a message."""
    lines = log_lines("plain")
    seen_in_tasks.clear()
    task_id = client.get("/test/queue/", HTTP_X_REQUEST_ID="queued-by-request-1").json()["task_id"]
    with celery_app.connection_for_read() as connection:
        queue = connection.SimpleQueue(TASK_QUEUE)
        try:
            message = queue.get(timeout=5)
            assert message.headers["id"] == task_id
            assert message.headers["request_id"] == "queued-by-request-1"
            Request(message, app=celery_app, task=request_id_echo).execute()
            message.ack()
        finally:
            queue.close()
    assert seen_in_tasks == ["queued-by-request-1"]
    [line] = [line for line in lines() if "inside the task" in line]
    assert "[queued-by-request-1]" in line
    assert request_id_get() == ""  # cleared when the task ended


def test_a_task_sent_outside_a_request_has_no_id_header():
    headers = {}
    from storyforge.core.logging import request_id_to_task_headers

    request_id_to_task_headers(headers=headers)
    assert "request_id" not in headers


def test_an_eager_task_given_the_header_runs_with_that_id():
    seen_in_tasks.clear()
    request_id_echo.apply(headers={"request_id": "eager-header-0001"})
    assert seen_in_tasks == ["eager-header-0001"]
    assert request_id_get() == ""
