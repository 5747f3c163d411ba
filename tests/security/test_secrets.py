"""The OpenAI key and SECRET_KEY never appear in a log line, an error page or an API
error: not when the AI service echoes the key back, not in `manage.py check`, not in
a 500 page, not in the API's errors."""

import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from rest_framework.test import APIClient

from stories.models import Story
from storyforge.generation.models import GenerationJob
from tests.factories import CharacterFactory, UserFactory
from tests.fakes.openai_server import Reply

KEY = "sk-SECRETCANARY-4f8d2c9e1b7a6053ffeeddccbbaa"
SECRET = "SECRETKEYCANARY-91c2d8e4f7a3b6051e9d2c8b7a6f5e4d3c2b1a09"
CANARIES = (KEY, "SECRETCANARY", SECRET, "SECRETKEYCANARY")


@pytest.fixture
def logs(caplog):
    """Everything logged, at DEBUG: caplog's records and the lines the root handler's
    formatter makes of them (tracebacks included)."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    formatters = [h.formatter for h in root.handlers if h.formatter and h is not caplog.handler]
    if formatters:
        handler.setFormatter(formatters[0])
    handler.filters = [f for h in root.handlers for f in getattr(h, "filters", [])][:1]
    root.addHandler(handler)

    def text() -> str:
        records = "\n".join(
            f"{record.getMessage()} {record.args!r} {getattr(record, '__dict__', {})!r}" for record in caplog.records
        )
        return records + "\n" + caplog.text + "\n" + stream.getvalue()

    yield text
    root.removeHandler(handler)


@pytest.fixture
def canaries(settings):
    settings.OPENAI_API_KEY = KEY
    settings.SECRET_KEY = SECRET
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS)
    return settings


def assert_clean(*texts: str):
    for text in texts:
        for canary in CANARIES:
            assert canary not in text, (
                f"{canary} in: ...{text[max(0, text.find(canary) - 300) : text.find(canary) + 100]}"
            )


def start_story(api, character):
    return api.post(
        "/api/v1/stories/",
        {"characters": [{"character": character.pk, "role": "main"}], "page_count": 2},
        format="json",
    )


@pytest.mark.django_db(transaction=True)
def test_an_echoed_key_from_the_ai_service_stays_out_of_logs_and_answers(
    openai_settings, canaries, fake_openai, eager_tasks, logs
):
    user = UserFactory()
    character = CharacterFactory(owner=user)
    api = APIClient()
    api.force_authenticate(user)
    # The storyteller refuses the key (the API answers 502 when the refusal is already
    # known, as with tasks inline, or the story fails afterwards)...
    fake_openai.script("chat", *[Reply.unauthorized() for _ in range(5)])
    refused = start_story(api, character)
    assert refused.status_code in (202, 502), refused.content
    assert fake_openai.requests_for("chat")
    # ...then the text is written and the illustrator refuses it (the story fails later).
    fake_openai.reset()
    fake_openai.script("images", *[Reply.unauthorized() for _ in range(10)])
    created = start_story(api, character)
    assert created.status_code == 202, created.content
    story = Story.objects.get(pk=created.json()["id"])
    assert story.status == Story.Status.FAILED and story.error_code == "AI_AUTH_FAILED"
    assert [request.reply for request in fake_openai.requests_for("images")][:1] == ["401"]
    bodies = [refused.content.decode(), created.content.decode()]
    for address in (f"/api/v1/stories/{story.pk}/", "/api/v1/jobs/"):
        bodies.append(api.get(address).content.decode())
    html = Client()
    html.force_login(user)
    for address in (f"/stories/{story.pk}/progress/", f"/stories/{story.pk}/", "/stories/"):
        bodies.append(html.get(address, follow=True).content.decode())
    messages = [job.error_message for job in GenerationJob.objects.filter(story=story)]
    assert_clean(logs(), *bodies, story.error_message, *messages)


@pytest.mark.django_db
def test_check_with_a_malformed_key_does_not_quote_it(canaries, logs):
    canaries.STORYFORGE_AI_PROVIDER = "openai"
    canaries.OPENAI_BASE_URL = ""
    for malformed in (f'"{KEY}"', f" {KEY} ", KEY[:12], "SECRETCANARY-no-prefix-0123456789", KEY + " x"):
        canaries.OPENAI_API_KEY = malformed
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(SystemCheckError) as raised:
            call_command("check", stdout=out, stderr=err)
        assert "OPENAI_API_KEY" in str(raised.value)
        assert_clean(str(raised.value), out.getvalue(), err.getvalue())
    assert_clean(logs())


@pytest.mark.django_db
def test_a_500_page_shows_no_secret(canaries, logs, monkeypatch):
    canaries.DEBUG = False

    def bug(**kwargs):
        raise RuntimeError("a bug in the gallery")

    monkeypatch.setattr("stories.views.gallery.story_gallery", bug)
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.get("/stories/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" not in page and "a bug in the gallery" not in page
    monkeypatch.setattr("stories.selectors.story_list", bug)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(UserFactory())
    answer = api.get("/api/v1/stories/")
    assert answer.status_code == 500 and answer["Content-Type"] == "application/json"
    assert "a bug in the gallery" not in answer.content.decode()
    page += answer.content.decode()
    assert_clean(page, logs())
    assert "a bug in the gallery" in logs()  # the log has the traceback; it is only the secrets it must not have


@pytest.mark.django_db
def test_api_errors_show_no_secret(canaries, logs):
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)
    answers = [
        api.get("/api/v1/stories/999999/"),
        api.post("/api/v1/stories/", {"characters": "nonsense"}, format="json"),
        api.post("/api/v1/stories/", b"{not json", content_type="application/json"),
        api.patch("/api/v1/me/", {"language": "klingon"}, format="json"),
        APIClient().get("/api/v1/me/"),
        APIClient().post("/api/v1/auth/token/", {"username": "nobody", "password": KEY}, format="json"),
        APIClient(HTTP_AUTHORIZATION=f"Token {KEY}").get("/api/v1/me/"),
    ]
    for answer in answers:
        assert answer.status_code >= 400
        assert answer["Content-Type"] == "application/json"
    assert_clean(logs(), *(answer.content.decode() for answer in answers))
