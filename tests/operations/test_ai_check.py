"""`manage.py ai_check`: one row per capability, what is used and what fell back,
and a non-zero exit when something needed fails."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from storyforge.generation.capabilities import capabilities_known
from tests.servers import free_port


def ai_check(*args) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("ai_check", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def rows(document: dict) -> dict:
    return {row["capability"]: row for row in document["capabilities"]}


@pytest.fixture
def on_server(settings):
    """Point every capability at one OpenAI-compatible fake."""

    def point(server, model: str):
        settings.STORYFORGE_AI_PROVIDER = "openai"
        settings.STORYFORGE_TEXT_PROVIDER = settings.STORYFORGE_IMAGE_PROVIDER = ""
        settings.STORYFORGE_MODERATION_PROVIDER = ""
        settings.OPENAI_API_KEY = ""
        settings.OPENAI_BASE_URL = server.base_url
        settings.OPENAI_TEXT_MODEL = model
        settings.OPENAI_TIMEOUT = 5.0
        return settings

    return point


def test_the_built_in_provider_is_all_ok(settings):
    settings.STORYFORGE_AI_PROVIDER = "offline"
    settings.STORYFORGE_TEXT_PROVIDER = settings.STORYFORGE_IMAGE_PROVIDER = ""
    settings.STORYFORGE_MODERATION_PROVIDER = ""

    out, error = ai_check()

    assert error is None
    lines = out.splitlines()
    assert lines[0].split() == ["capability", "provider", "endpoint", "model", "status"]
    assert [line.split()[:2] for line in lines[1:5]] == [
        ["text", "offline"],
        ["image", "offline"],
        ["moderation", "offline"],
        ["speech", "offline"],
    ]


def test_ollama_writes_and_the_rest_falls_back(fake_ollama, on_server):
    on_server(fake_ollama, "llama3.2")

    out, error = ai_check("--json")

    assert error is None
    document = json.loads(out)
    assert document["ok"] is True
    found = rows(document)
    assert (found["text"]["provider"], found["text"]["status"]) == ("openai", "ok")
    assert found["text"]["endpoint"] == fake_ollama.base_url.rstrip("/")
    assert (found["image"]["provider"], found["image"]["status"]) == ("offline", "fallback")
    assert "no /v1/images endpoint" in found["image"]["why"]
    assert (found["moderation"]["provider"], found["moderation"]["status"]) == ("text-model", "fallback")
    # What was learnt is what the app now uses, without asking again.
    known = {report.capability: (report.provider, str(report.status)) for report in capabilities_known()}
    assert known == {
        "text": ("openai", "ok"),
        "image": ("offline", "fallback"),
        "moderation": ("text-model", "fallback"),
        "speech": ("offline", "fallback"),
    }
    assert (found["speech"]["provider"], found["speech"]["status"]) == ("offline", "fallback")


def test_a_server_that_refuses_json_schema_is_a_fallback_not_a_failure(fake_llamacpp_old, on_server):
    on_server(fake_llamacpp_old, "any")

    out, error = ai_check("--json")

    assert error is None
    text = rows(json.loads(out))["text"]
    assert text["status"] == "fallback" and "json_object" in text["why"]


def test_pictures_named_from_a_server_without_them_fail_and_exit_non_zero(fake_ollama, on_server):
    on_server(fake_ollama, "llama3.2").STORYFORGE_IMAGE_PROVIDER = "openai"

    out, error = ai_check("--json")

    assert error is not None and error.returncode == 1 and "image" in str(error)
    assert json.loads(out)["ok"] is False
    assert rows(json.loads(out))["image"]["status"] == "failing"


def test_a_missing_model_fails_naming_the_models_the_server_has(fake_ollama, on_server):
    on_server(fake_ollama, "mistral")

    out, error = ai_check()

    assert error is not None and error.returncode == 1
    assert "no model 'mistral'" in out and "llama3.2:latest" in out


def test_an_unreachable_server_fails(on_server, fake_ollama):
    on_server(fake_ollama, "llama3.2").OPENAI_BASE_URL = f"http://127.0.0.1:{free_port()}/v1"

    out, error = ai_check("--json")

    assert error is not None
    text = rows(json.loads(out))["text"]
    assert text["status"] == "failing" and "Could not reach" in text["why"]


def test_openais_own_service_is_all_ok(openai_settings):
    openai_settings.STORYFORGE_TEXT_PROVIDER = openai_settings.STORYFORGE_IMAGE_PROVIDER = ""
    openai_settings.STORYFORGE_MODERATION_PROVIDER = ""

    out, error = ai_check("--json")

    assert error is None
    assert {row["status"] for row in json.loads(out)["capabilities"]} == {"ok"}


def test_openais_own_service_without_a_key_fails_every_capability(settings):
    settings.STORYFORGE_AI_PROVIDER = "openai"
    settings.STORYFORGE_TEXT_PROVIDER = settings.STORYFORGE_IMAGE_PROVIDER = ""
    settings.STORYFORGE_MODERATION_PROVIDER = ""
    settings.OPENAI_API_KEY = settings.OPENAI_BASE_URL = ""

    out, error = ai_check("--json")

    assert error is not None
    assert {row["status"] for row in json.loads(out)["capabilities"]} == {"failing"}


def test_speech_failing_is_reported_but_does_not_fail_the_check(settings, monkeypatch):
    """Without espeak-ng books are still made; only narration is unavailable."""
    from storyforge.generation.providers.offline import voice

    settings.STORYFORGE_AI_PROVIDER = "offline"
    settings.STORYFORGE_TEXT_PROVIDER = settings.STORYFORGE_IMAGE_PROVIDER = ""
    settings.STORYFORGE_MODERATION_PROVIDER = settings.STORYFORGE_SPEECH_PROVIDER = ""
    monkeypatch.setattr(voice, "espeak_path", lambda: None)  # a machine without the package

    out, error = ai_check("--json")

    assert error is None
    speech = rows(json.loads(out))["speech"]
    assert speech["status"] == "failing" and "apt-get install espeak-ng" in speech["why"]
