"""A twelve-page illustrated book, end to end through a real Celery worker, for each
setup docs/providers.md gives: Ollama with the built-in artist, a 2024 llama.cpp
that refuses json_schema, and Ollama with AUTOMATIC1111 drawing from the portrait.
Then `ai_check --json` says what was used and what fell back."""

import json
import time
from io import StringIO

import pytest
from django.core.management import call_command

from stories import services
from stories.models import Illustration, Page, Story
from tests.factories import CharacterFactory, PortraitFactory, UserFactory
from tests.fakes.automatic1111_server import FakeAutomatic1111Server
from tests.workers import CeleryWorker, broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services, pytest.mark.slow]

PAGES = 12


def ai_setup(settings, **values) -> dict:
    """Apply the variables to this process's settings and return them for the worker."""
    values = {
        "STORYFORGE_AI_PROVIDER": "openai",
        "STORYFORGE_TEXT_PROVIDER": "",
        "STORYFORGE_IMAGE_PROVIDER": "",
        "STORYFORGE_MODERATION_PROVIDER": "",
        "OPENAI_API_KEY": "ollama",
        "OPENAI_TIMEOUT": "10",
        "IMAGE_BASE_URL": "",
        **values,
    }
    for name, value in values.items():
        setattr(settings, name, float(value) if name.endswith("TIMEOUT") else value)
    return values


def book_made(redis_server, tmp_path, worker_env: dict, *, with_portrait: bool = False) -> Story:
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    if with_portrait:
        mia.selected_portrait = PortraitFactory(character=mia, is_selected=True)
        mia.save(update_fields=["selected_portrait"])
    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log", env=worker_env).start()
    try:
        with broker(redis_server.url):
            story, _ = services.story_create(user=user, characters=[{"character": mia.pk}], page_count=PAGES)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = Story.objects.values_list("status", flat=True).get(pk=story.pk)
            if status in (Story.Status.READY, Story.Status.FAILED):
                break
            time.sleep(0.2)
    finally:
        worker.stop()
    story.refresh_from_db()
    assert story.status == Story.Status.READY, f"{story.error_code}: {story.error_message}\n{worker.log()[-4000:]}"
    assert Page.objects.filter(story=story, selected_illustration__isnull=False).count() == PAGES
    return story


def ai_check_rows() -> dict:
    out = StringIO()
    call_command("ai_check", "--json", stdout=out)
    return {row["capability"]: row for row in json.loads(out.getvalue())["capabilities"]}


def test_ollama_writes_and_the_built_in_artist_draws(settings, redis_server, tmp_path, fake_ollama):
    env = ai_setup(settings, OPENAI_BASE_URL=fake_ollama.base_url, OPENAI_TEXT_MODEL="llama3.2")

    story = book_made(redis_server, tmp_path, env)

    assert set(Illustration.objects.filter(page__story=story).values_list("provider", flat=True)) == {"offline"}
    assert fake_ollama.requests_for("images") and not fake_ollama.requests_for("edits")
    # The brief and the story were judged by the text model, not by a moderation endpoint.
    assert any("moderation_verdict" in str(r.json) for r in fake_ollama.requests_for("chat"))
    rows = ai_check_rows()
    assert (rows["text"]["status"], rows["image"]["provider"], rows["moderation"]["provider"]) == (
        "ok",
        "offline",
        "text-model",
    )


def test_a_server_that_refuses_json_schema_still_writes_the_book(
    settings, redis_server, redis_cache, tmp_path, fake_llamacpp_old
):
    env = ai_setup(
        settings,
        OPENAI_BASE_URL=fake_llamacpp_old.base_url,
        OPENAI_TEXT_MODEL="llama-3.2-3b",
        STORYFORGE_IMAGE_PROVIDER="offline",
    )

    book_made(redis_server, tmp_path, env)

    formats = [(r.json.get("response_format") or {}).get("type") for r in fake_llamacpp_old.requests_for("chat")]
    # Refused once, by whichever process asked first; the web process and the worker
    # share what was learnt through the cache, as they do in production.
    assert formats.count("json_schema") == 1
    rows = ai_check_rows()
    assert rows["text"]["status"] == "fallback" and "json_object" in rows["text"]["why"]
    assert rows["image"]["provider"] == "offline"


def test_automatic1111_draws_every_page_from_the_portrait_one_at_a_time(settings, redis_server, tmp_path, fake_ollama):
    with FakeAutomatic1111Server() as pictures:
        pictures.latency = 0.05
        env = ai_setup(
            settings,
            OPENAI_BASE_URL=fake_ollama.base_url,
            OPENAI_TEXT_MODEL="llama3.2",
            STORYFORGE_IMAGE_PROVIDER="automatic1111",
            IMAGE_BASE_URL=pictures.base_url,
            OPENAI_IMAGE_MODEL="",
        )
        env["WORKER_CONCURRENCY"] = "4"

        story = book_made(redis_server, tmp_path, env, with_portrait=True)

        drawings = pictures.requests_for("img2img")
        assert len(drawings) == PAGES + 1 and not pictures.requests_for("txt2img")  # every page and the cover
        assert all(request.init_images for request in drawings)  # the portrait went with every picture
        assert pictures.max_in_flight == 1  # four worker slots, one picture at a time
        rows = ai_check_rows()
    assert set(Illustration.objects.filter(page__story=story).values_list("provider", flat=True)) == {"automatic1111"}
    assert (rows["image"]["provider"], rows["image"]["status"]) == ("automatic1111", "ok")
