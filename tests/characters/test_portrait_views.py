"""The wizard's portrait step through the test client: drawing candidates and
following their progress, choosing one, uploading an own picture, and what the
grown-up reads when drawing is refused. Real services, the offline provider."""

import re

import pytest

from characters.models import Portrait
from storyforge.generation.models import GenerationJob
from tests.characters.pages import field_error, html_of, png_bytes, upload, wizard
from tests.factories import CharacterFactory, PortraitFactory

pytestmark = pytest.mark.django_db


# Drawing candidates and following them


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_portraits_are_generated_and_one_is_chosen(user_client, settings):
    settings.STORYFORGE_PORTRAIT_CANDIDATES = 3
    character = CharacterFactory(owner=user_client.user, name="Mia")
    response = user_client.post(f"/characters/{character.pk}/portraits/generate/")
    job = GenerationJob.objects.get()
    assert response["Location"] == wizard(character, 5) + f"?job={job.pk}#portraits"
    job.refresh_from_db()
    assert job.status == "succeeded" and job.request_id == response["X-Request-ID"]
    page = html_of(user_client.get(wizard(character, 5) + f"?job={job.pk}"))
    candidates = re.findall(r'name="portrait" value="(\d+)"', page)
    assert len(candidates) == 3 and "New portraits are ready" in page
    assert page.count('alt="Portrait candidate') == 3

    chosen = candidates[1]
    response = user_client.post(f"/characters/{character.pk}/portraits/select/", {"portrait": chosen})
    assert response.status_code == 302
    character.refresh_from_db()
    assert character.selected_portrait_id == int(chosen)
    assert re.search(rf'value="{chosen}"[^>]*checked', html_of(user_client.get(wizard(character, 5))))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_with_htmx_the_portrait_area_is_answered_and_polled_until_done(user_client):
    character = CharacterFactory(owner=user_client.user, name="Mia")
    response = user_client.post(f"/characters/{character.pk}/portraits/generate/", headers={"HX-Request": "true"})
    html = html_of(response)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="portrait-area"')
    job = GenerationJob.objects.get()
    status = user_client.get(f"/characters/{character.pk}/portraits/status/?job={job.pk}")
    assert status.status_code == 200 and 'name="portrait"' in html_of(status)
    assert 'hx-trigger="every 1s"' not in html_of(status)  # done: no more polling


def test_the_portrait_job_carries_the_id_of_the_request_that_asked(user_client):
    character = CharacterFactory(owner=user_client.user)
    response = user_client.post(
        f"/characters/{character.pk}/portraits/generate/", HTTP_X_REQUEST_ID="web-portrait-0001"
    )
    assert response.status_code == 302 and response["X-Request-ID"] == "web-portrait-0001"
    assert GenerationJob.objects.get().request_id == "web-portrait-0001"


def test_a_job_being_drawn_shows_progress_and_a_refresh_link(user_client):
    character = CharacterFactory(owner=user_client.user)
    job = GenerationJob.objects.create(
        owner=user_client.user, kind="portrait", character=character, idempotency_key="portrait:test:1"
    )
    status = html_of(user_client.get(f"/characters/{character.pk}/portraits/status/?job={job.pk}"))
    assert "being drawn" in status and 'hx-trigger="every 1s"' in status
    page = html_of(user_client.get(wizard(character, 5) + f"?job={job.pk}"))
    assert "being drawn" in page and f'href="{wizard(character, 5)}?job={job.pk}#portraits">Refresh' in page


def test_another_users_job_is_not_found(user_client):
    character = CharacterFactory(owner=user_client.user)
    other = CharacterFactory()
    job = GenerationJob.objects.create(owner=other.owner, kind="portrait", character=other, idempotency_key="k:1")
    assert user_client.get(f"/characters/{character.pk}/portraits/status/?job={job.pk}").status_code == 404
    assert user_client.get(f"/characters/{character.pk}/portraits/status/?job=nope").status_code == 404


# Choosing one, or uploading an own picture


def test_choosing_without_a_portrait_says_so_beside_the_choice(user_client):
    character = CharacterFactory(owner=user_client.user)
    PortraitFactory(character=character)
    response = user_client.post(f"/characters/{character.pk}/portraits/select/", {})
    assert response.status_code == 400
    assert "Choose one of the portraits first." in field_error(html_of(response), "portrait-choice-error")


def test_a_portrait_of_another_character_cannot_be_chosen(user_client):
    character = CharacterFactory(owner=user_client.user)
    foreign = PortraitFactory(character=CharacterFactory(owner=user_client.user))
    response = user_client.post(f"/characters/{character.pk}/portraits/select/", {"portrait": foreign.pk})
    assert response.status_code == 404
    character.refresh_from_db()
    assert character.selected_portrait is None


def test_an_uploaded_picture_becomes_the_portrait(user_client):
    character = CharacterFactory(owner=user_client.user)
    response = user_client.post(
        f"/characters/{character.pk}/portraits/upload/", {"file": upload("me.png", png_bytes(), "image/png")}
    )
    assert response.status_code == 302
    character.refresh_from_db()
    portrait = character.selected_portrait
    assert portrait.source == "uploaded" and (portrait.width, portrait.height) == (40, 30)
    assert "Your uploaded picture" in html_of(user_client.get(wizard(character, 5)))


def test_a_text_file_named_png_is_refused_beside_the_upload_field(user_client):
    character = CharacterFactory(owner=user_client.user)
    response = user_client.post(
        f"/characters/{character.pk}/portraits/upload/",
        {"file": upload("notes.png", b"just some words, not a picture", "image/png")},
    )
    assert response.status_code == 400
    assert field_error(html_of(response), "id_file_error") == "That file is not a picture StoryForge can read."
    assert not Portrait.objects.exists()


def test_an_upload_without_a_file_says_so(user_client):
    character = CharacterFactory(owner=user_client.user)
    response = user_client.post(f"/characters/{character.pk}/portraits/upload/", {})
    assert field_error(html_of(response), "id_file_error") == "Choose a picture to upload."


# When drawing is refused: explained in place, with what to do instead


def test_a_used_up_budget_is_explained_in_place(user_client, settings):
    settings.STORYFORGE_DAILY_GENERATIONS = 0
    character = CharacterFactory(owner=user_client.user)
    response = user_client.post(f"/characters/{character.pk}/portraits/generate/")
    html = html_of(response)
    assert response.status_code == 429
    assert "resets at midnight UTC" in html and "upload your own picture" in html
    assert "Step 5 of 6: Portrait" in html  # the step, not an error page
    assert not GenerationJob.objects.exists()


def test_a_used_up_budget_is_explained_in_the_portrait_area_with_htmx(user_client, settings):
    settings.STORYFORGE_DAILY_GENERATIONS = 0
    character = CharacterFactory(owner=user_client.user)
    response = user_client.post(f"/characters/{character.pk}/portraits/generate/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "resets at midnight UTC" in html_of(response)


def test_too_many_generations_in_a_short_time_are_explained_in_place(user_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "generation_user": "1/h"}
    character = CharacterFactory(owner=user_client.user)
    assert user_client.post(f"/characters/{character.pk}/portraits/generate/").status_code == 302
    response = user_client.post(f"/characters/{character.pk}/portraits/generate/")
    html = html_of(response)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Try again in" in html and "Step 5 of 6: Portrait" in html
    assert GenerationJob.objects.count() == 1


def test_unsuitable_words_stop_a_portrait_with_links_to_change_them(user_client):
    character = CharacterFactory(owner=user_client.user, distinctive_features="covered in blood")
    response = user_client.post(f"/characters/{character.pk}/portraits/generate/")
    html = html_of(response)
    assert response.status_code == 422 and "not suitable" in html
    assert f'href="{wizard(character, 3)}">Appearance' in html
    assert not GenerationJob.objects.exists()


def test_a_busy_ai_service_says_when_to_try_again(user_client, monkeypatch):
    from storyforge.core.errors import AIUnavailable
    from storyforge.generation import breaker

    def busy():
        raise AIUnavailable(details={"retry_after": 30})

    monkeypatch.setattr(breaker, "breaker_check", busy)
    character = CharacterFactory(owner=user_client.user)
    response = user_client.post(f"/characters/{character.pk}/portraits/generate/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "The AI service is busy; try again in 30 seconds." in html_of(response)
