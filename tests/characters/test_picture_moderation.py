"""Portraits, drawn and uploaded, are judged by the moderation endpoint where it can
look at pictures (the fake OpenAI server, as OpenAI's omni-moderation): a flagged
picture is never stored nor offered, and the page says why. The built-in word list
cannot judge pictures, so with it they pass unjudged."""

import pytest

from characters.models import Portrait
from characters.services import portrait_generate
from storyforge.generation.models import GenerationJob
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.characters.pages import field_error, html_of, png_bytes, upload, wizard
from tests.factories import CharacterFactory
from tests.fakes.openai_server import Reply
from tests.fakes.openai_server.content import UNSAFE_PICTURE_COLOUR

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

CHARACTERS = "/api/v1/characters/"


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def test_drawn_portraits_that_moderation_flags_are_never_kept(openai_settings, fake_openai, media_root, client):
    openai_settings.STORYFORGE_PORTRAIT_CANDIDATES = 3
    character = CharacterFactory(name="Mia", clothing="an UNSAFEPICTURE cape")

    job = portrait_generate(user=character.owner, character_id=character.pk)

    job.refresh_from_db()
    assert (job.status, job.error_code) == (GenerationJob.Status.FAILED, "CONTENT_FLAGGED")
    assert "3 of the 3 portraits drawn did not look suitable for a children's book" in job.error_message
    assert not Portrait.objects.filter(character=character).exists()
    assert stored_files(media_root) == []
    assert len(fake_openai.requests_for("moderations")) == 1 + 3  # the words, then each picture
    client.force_login(character.owner)
    html = html_of(client.get(wizard(character, 5) + f"?job={job.pk}"))
    assert "The portraits could not be drawn." in html and "did not look suitable" in html


def test_drawn_portraits_that_pass_moderation_are_offered(openai_settings, fake_openai):
    openai_settings.STORYFORGE_PORTRAIT_CANDIDATES = 2
    character = CharacterFactory(name="Mia", clothing="a yellow raincoat")

    job = portrait_generate(user=character.owner, character_id=character.pk)

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED
    assert Portrait.objects.filter(character=character).count() == 2
    pictures = [r for r in fake_openai.requests_for("moderations") if isinstance(r.json["input"][0], dict)]
    assert len(pictures) == 2


def test_a_moderation_hiccup_after_drawing_asks_again_without_drawing_again(openai_settings, fake_openai):
    openai_settings.STORYFORGE_PORTRAIT_CANDIDATES = 1
    character = CharacterFactory(name="Mia")
    fake_openai.script("moderations", Reply.ok(), Reply.server_error(503))  # the words pass, the picture's call fails

    job = portrait_generate(user=character.owner, character_id=character.pk)

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED
    assert len(fake_openai.requests_for("images")) == 1
    assert [r.reply for r in fake_openai.requests_for("moderations")] == ["ok", "503", "ok"]
    assert Portrait.objects.filter(character=character).count() == 1


def test_an_unsafe_upload_is_refused_and_not_stored(api, owner, openai_settings, fake_openai, media_root):
    character = CharacterFactory(owner=owner)
    unsafe = upload("me.png", png_bytes(colour=UNSAFE_PICTURE_COLOUR), "image/png")

    response = api.post(f"{CHARACTERS}{character.pk}/portraits/upload/", {"file": unsafe}, format="multipart")

    error = assert_error(response, 422, "CONTENT_FLAGGED")
    assert "picture does not look suitable" in error["message"]
    assert not Portrait.objects.exists() and stored_files(media_root) == []
    character.refresh_from_db()
    assert character.selected_portrait is None


def test_the_upload_form_says_why_an_unsafe_picture_was_refused(client, owner, openai_settings, fake_openai):
    client.force_login(owner)
    character = CharacterFactory(owner=owner)
    unsafe = upload("me.png", png_bytes(colour=UNSAFE_PICTURE_COLOUR), "image/png")

    response = client.post(f"/characters/{character.pk}/portraits/upload/", {"file": unsafe})

    assert response.status_code == 400
    assert "does not look suitable for a children" in field_error(html_of(response), "id_file_error")
    assert not Portrait.objects.exists()


def test_a_safe_upload_is_judged_and_kept(api, owner, openai_settings, fake_openai):
    character = CharacterFactory(owner=owner)
    safe = upload("me.png", png_bytes(), "image/png")

    response = api.post(f"{CHARACTERS}{character.pk}/portraits/upload/", {"file": safe}, format="multipart")

    assert response.status_code == 201
    (request,) = fake_openai.requests_for("moderations")
    assert request.json["input"][0]["type"] == "image_url"


def test_with_the_word_list_pictures_pass_unjudged(api, owner):
    """The built-in moderation cannot look at pictures (docs/security.md says so)."""
    character = CharacterFactory(owner=owner)
    unsafe = upload("me.png", png_bytes(colour=UNSAFE_PICTURE_COLOUR), "image/png")

    response = api.post(f"{CHARACTERS}{character.pk}/portraits/upload/", {"file": unsafe}, format="multipart")

    assert response.status_code == 201
