"""The character pages through the test client, without JavaScript: the gallery,
the wizard step by step, its live checks, autosave and preview, portraits, the
character page and deleting. Real services, the offline provider."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from characters.models import Character, Portrait, Relationship
from storyforge.generation.models import GenerationJob
from tests.factories import (
    CharacterFactory,
    PortraitFactory,
    RelationshipFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks(settings):
    """Celery tasks run inline when enqueued (as in tests/stories/conftest.py)."""
    from storyforge.celery import app

    settings.STORYFORGE_RETRY_BACKOFF_MAX = 0.01
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = False


@pytest.fixture
def user_client(client):
    client.user = UserFactory()
    client.force_login(client.user)
    return client


@pytest.fixture
def draft(user_client):
    return CharacterFactory(owner=user_client.user, draft=True, traits=[], hair_colour="", eye_colour="")


def wizard(character, step, *parts):
    return "/".join([f"/characters/{character.pk}/wizard/{step}", *parts, ""])


def html_of(response) -> str:
    return response.content.decode()


def field_error(html: str, field_id: str) -> str:
    """The text of the error shown beside a field (its `<id>_error` element)."""
    match = re.search(rf'id="{re.escape(field_id)}"[^>]*>(.*?)</(span|div)>', html, re.S)
    assert match, f"no error element {field_id}"
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip()


def png_bytes(size=(40, 30), colour="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


# Logging in and other people's characters


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/characters/"),
        ("get", "/characters/new/"),
        ("post", "/characters/new/"),
        ("get", "/characters/{id}/"),
        ("get", "/characters/{id}/delete/"),
        ("get", "/characters/{id}/wizard/1/"),
        ("post", "/characters/{id}/wizard/1/autosave/"),
        ("post", "/characters/{id}/wizard/traits/check/"),
        ("get", "/characters/{id}/preview.png"),
        ("post", "/characters/{id}/portraits/generate/"),
        ("get", "/characters/{id}/portraits/status/?job=1"),
        ("post", "/characters/{id}/portraits/select/"),
        ("post", "/characters/{id}/portraits/upload/"),
    ],
)
def test_every_character_page_asks_to_log_in_first(client, method, path):
    character = CharacterFactory()
    path = path.format(id=character.pk)
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert Character.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/characters/{id}/"),
        ("get", "/characters/{id}/delete/"),
        ("post", "/characters/{id}/delete/"),
        ("get", "/characters/{id}/wizard/1/"),
        ("post", "/characters/{id}/wizard/1/"),
        ("get", "/characters/{id}/wizard/6/"),
        ("post", "/characters/{id}/wizard/1/autosave/"),
        ("post", "/characters/{id}/wizard/traits/check/"),
        ("get", "/characters/{id}/preview.png"),
        ("post", "/characters/{id}/portraits/generate/"),
        ("post", "/characters/{id}/portraits/upload/"),
    ],
)
def test_another_users_character_is_not_found(user_client, method, path):
    theirs = CharacterFactory(name="Theirs")
    response = getattr(user_client, method)(path.format(id=theirs.pk), {"name": "Mine now"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs" and Character.objects.filter(pk=theirs.pk).exists()
    assert not GenerationJob.objects.exists()


def test_a_wizard_step_that_does_not_exist_is_not_found(user_client, draft):
    assert user_client.get(wizard(draft, 7)).status_code == 404
    assert user_client.get(wizard(draft, 0)).status_code == 404


# The wizard, step by step, with plain form posts


def test_the_whole_wizard_from_a_new_draft_to_a_ready_character(user_client):
    response = user_client.post("/characters/new/")
    character = Character.objects.get(owner=user_client.user)
    assert character.status == "draft"
    assert response["Location"] == wizard(character, 1)

    page = html_of(user_client.get(wizard(character, 1)))
    assert 'aria-current="step"' in page and "Step 1 of 6: Basics" in page

    basics = {"name": "Mia", "kind": "child", "age": "6", "pronouns": "she/her", "go": "next"}
    assert user_client.post(wizard(character, 1), basics)["Location"] == wizard(character, 2)
    personality = {"traits": ["brave", "curious"], "custom_traits": ["loves maps", "", ""], "go": "next"}
    assert user_client.post(wizard(character, 2), personality)["Location"] == wizard(character, 3)
    appearance = {
        "hair_colour": "auburn",
        "eye_colour": "green",
        "skin_tone": "light",
        "hair_style": "curly",
        "clothing": "a yellow raincoat",
        "distinctive_features": "freckles",
        "go": "next",
    }
    assert user_client.post(wizard(character, 3), appearance)["Location"] == wizard(character, 4)
    background = {"backstory": "Lives by the sea.", "likes": "puddles", "go": "next"}
    assert user_client.post(wizard(character, 4), background)["Location"] == wizard(character, 5)
    assert user_client.post(wizard(character, 5), {"go": "next"})["Location"] == wizard(character, 6)

    review = html_of(user_client.get(wizard(character, 6)))
    for text in ("Mia", "Brave", "Curious", "loves maps", "auburn hair", "Lives by the sea.", "puddles"):
        assert text in review
    for step in range(1, 6):
        assert f'href="{wizard(character, step)}"' in review  # an Edit link to every step

    response = user_client.post(wizard(character, 6), {"go": "confirm"})
    assert response["Location"] == f"/characters/{character.pk}/"
    character.refresh_from_db()
    assert character.status == "ready"
    assert character.traits == ["brave", "curious"] and character.custom_traits == ["loves maps"]
    assert (character.hair_colour, character.hair_style, character.clothing) == ("auburn", "curly", "a yellow raincoat")
    assert "Mia is ready to star in stories." in html_of(user_client.get(response["Location"]))


def test_back_saves_and_the_step_shows_what_was_entered(user_client, draft):
    response = user_client.post(
        wizard(draft, 2), {"traits": ["kind", "funny"], "custom_traits": ["hums a lot"], "go": "back"}
    )
    assert response["Location"] == wizard(draft, 1)
    draft.refresh_from_db()
    assert draft.traits == ["kind", "funny"] and draft.custom_traits == ["hums a lot"]
    page = html_of(user_client.get(wizard(draft, 2)))
    assert re.search(r'value="kind"[^>]*checked', page) and re.search(r'value="funny"[^>]*checked', page)
    assert not re.search(r'value="brave"[^>]*checked', page)
    assert 'value="hums a lot"' in page


def test_back_keeps_an_unfinished_step_that_next_would_refuse(user_client, draft):
    seven = ["kind", "funny", "brave", "shy", "calm", "clever", "messy"]
    assert user_client.post(wizard(draft, 2), {"traits": seven, "go": "back"})["Location"] == wizard(draft, 1)
    draft.refresh_from_db()
    assert draft.traits == seven


def test_the_step_buttons_save_and_jump(user_client, draft):
    response = user_client.post(wizard(draft, 1), {"name": "Leo", "kind": "child", "pronouns": "he/him", "go": "4"})
    assert response["Location"] == wizard(draft, 4)
    draft.refresh_from_db()
    assert draft.name == "Leo"


def test_a_draft_is_resumed_later_from_the_gallery(client, user_client, draft):
    user_client.post(wizard(draft, 1), {"name": "Half Made", "kind": "robot", "pronouns": "it/its", "go": "next"})
    user_client.logout()
    client.force_login(user_client.user)  # another day, another session
    gallery = html_of(client.get("/characters/"))
    assert "Drafts" in gallery and "Half Made" in gallery
    resume = re.search(r'href="(/characters/\d+/wizard/\d+/)">Resume', gallery).group(1)
    assert resume == wizard(draft, 2)  # the first step it still needs
    basics = html_of(client.get(wizard(draft, 1)))
    assert 'value="Half Made"' in basics and re.search(r'<option value="robot" selected>', basics)


def test_editing_a_ready_character_keeps_it_ready_and_checks_every_save(user_client):
    character = CharacterFactory(owner=user_client.user, name="Mia", traits=["brave"])
    page = html_of(user_client.get(f"/characters/{character.pk}/"))
    assert f'href="{wizard(character, 1)}"' in page
    response = user_client.post(wizard(character, 2), {"traits": [], "custom_traits": [""], "go": "back"})
    assert response.status_code == 400
    assert "Choose between 1 and 5 traits" in field_error(html_of(response), "traits-errors")
    character.refresh_from_db()
    assert character.traits == ["brave"] and character.status == "ready"
    user_client.post(wizard(character, 1), {"name": "Mia Rose", "kind": "child", "pronouns": "she/her", "go": "next"})
    character.refresh_from_db()
    assert character.name == "Mia Rose" and character.status == "ready"


# Validation beside the fields, with what was entered kept


def test_basics_errors_appear_beside_the_fields_and_keep_the_input(user_client, draft):
    response = user_client.post(
        wizard(draft, 1), {"name": "", "kind": "child", "age": "5000", "pronouns": "she/her", "go": "next"}
    )
    html = html_of(response)
    assert response.status_code == 400
    assert field_error(html, "id_name_error") == "Give the character a name."
    assert "1000" in field_error(html, "id_age_error")
    assert 'value="5000"' in html and '<option value="she/her" selected>' in html
    assert 'aria-describedby="id_age_hint id_age_error"' in html


def test_too_many_traits_are_refused_beside_the_cards_with_the_choice_kept(user_client, draft):
    six = ["kind", "funny", "brave", "shy", "calm", "clever"]
    response = user_client.post(wizard(draft, 2), {"traits": six, "custom_traits": ["hums"], "go": "next"})
    html = html_of(response)
    assert response.status_code == 400
    assert "you have 7" in field_error(html, "traits-errors")
    assert all(re.search(rf'value="{key}"[^>]*checked', html) for key in six)
    assert 'value="hums"' in html
    draft.refresh_from_db()
    assert draft.traits == []


def test_next_from_personality_needs_at_least_one_trait(user_client, draft):
    response = user_client.post(wizard(draft, 2), {"custom_traits": ["", "", ""], "go": "next"})
    assert response.status_code == 400
    assert "you have 0" in field_error(html_of(response), "traits-errors")


def test_unsuitable_words_of_ones_own_are_refused_beside_them(user_client, draft):
    response = user_client.post(wizard(draft, 2), {"traits": ["brave"], "custom_traits": ["has a gun"], "go": "next"})
    html = html_of(response)
    assert response.status_code == 400
    assert "not suitable" in field_error(html, "custom-traits-errors")
    assert 'value="has a gun"' in html


def test_appearance_errors_appear_beside_the_field_and_keep_the_rest(user_client, draft):
    response = user_client.post(
        wizard(draft, 3), {"hair_colour": "tartan", "hair_style": "curly", "clothing": "a red scarf", "go": "next"}
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Select a valid choice" in field_error(html, "hair_colour-errors")
    assert 'value="a red scarf"' in html and '<option value="curly" selected>' in html


def test_too_long_a_backstory_is_refused_beside_it(user_client, draft):
    response = user_client.post(wizard(draft, 4), {"backstory": "x" * 2001, "likes": "kites", "go": "next"})
    html = html_of(response)
    assert response.status_code == 400
    assert "at most 2000 characters" in field_error(html, "id_backstory_error")
    assert 'value="kites"' in html


def test_confirming_an_incomplete_draft_sends_the_grown_up_to_the_step_with_the_message(user_client, draft):
    user_client.post(wizard(draft, 1), {"name": "Mia", "kind": "child", "pronouns": "she/her", "go": "next"})
    response = user_client.post(wizard(draft, 6), {"go": "confirm"})
    assert response["Location"] == wizard(draft, 2)
    user_client.get(wizard(draft, 1))  # a look at another step first: the message waits for its own
    html = html_of(user_client.get(response["Location"]))
    assert "Choose between 1 and 5 traits (you have 0)." in field_error(html, "traits-errors")
    draft.refresh_from_db()
    assert draft.status == "draft"
    # The message is shown once.
    assert "you have 0" not in html_of(user_client.get(wizard(draft, 2)))


def test_a_nameless_draft_is_sent_to_the_basics(user_client, draft):
    response = user_client.post(wizard(draft, 6), {"go": "confirm"})
    assert response["Location"] == wizard(draft, 1)
    assert field_error(html_of(user_client.get(wizard(draft, 1))), "id_name_error") == "Give the character a name."


# The live trait check


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"traits": ["kind", "funny", "brave", "shy", "calm", "clever"]}, "traits-errors", "you have 6"),
        ({"traits": ["brave"], "custom_traits": ["Brave"]}, "custom-traits-errors", "That trait is already chosen."),
        ({"traits": ["brave"], "custom_traits": ["maps", "Maps"]}, "custom-traits-errors", "already chosen"),
        ({"traits": ["brave"], "custom_traits": ["a" * 31]}, "custom-traits-errors", "under 30 characters"),
        ({"traits": ["brave"], "custom_traits": ["likes his gun"]}, "custom-traits-errors", "not suitable"),
        ({"custom_traits": [""]}, "traits-errors", "you have 0"),
    ],
)
def test_the_trait_check_says_what_is_wrong_beside_the_right_field(user_client, draft, data, field, message):
    response = user_client.post(f"/characters/{draft.pk}/wizard/traits/check/", data, headers={"HX-Request": "true"})
    html = html_of(response)
    assert response.status_code == 200
    assert message in field_error(html, field)
    assert 'hx-swap-oob="innerHTML"' in html
    draft.refresh_from_db()
    assert draft.traits == [] and draft.custom_traits == []  # checking saves nothing


def test_the_trait_check_counts_and_clears_the_messages_when_all_is_well(user_client, draft):
    response = user_client.post(
        f"/characters/{draft.pk}/wizard/traits/check/", {"traits": ["brave", "kind"], "custom_traits": ["maps", ""]}
    )
    html = html_of(response)
    assert html.split("<div")[0].strip() == "3 of 5 chosen"
    assert field_error(html, "traits-errors") == "" and field_error(html, "custom-traits-errors") == ""


# Autosave and the live preview


def test_autosave_saves_what_has_been_typed_so_far(user_client, draft):
    response = user_client.post(wizard(draft, 1, "autosave"), {"name": "Mi"})
    assert response.status_code == 204
    draft.refresh_from_db()
    assert draft.name == "Mi" and draft.kind == "child"  # fields not sent are left alone
    assert user_client.post(wizard(draft, 3, "autosave"), {"clothing": "a blue"}).status_code == 204
    draft.refresh_from_db()
    assert draft.clothing == "a blue" and draft.name == "Mi"


def test_autosave_answers_what_is_wrong_in_json(user_client, draft):
    response = user_client.post(wizard(draft, 3, "autosave"), {"eye_colour": "plaid"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "VALIDATION_ERROR" and "eye_colour" in body["error"]["details"]["fields"]
    ready = CharacterFactory(owner=user_client.user)
    response = user_client.post(wizard(ready, 1, "autosave"), {"name": "  "})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["fields"] == {"name": ["Give the character a name."]}


def test_autosave_refuses_another_users_draft(user_client):
    theirs = CharacterFactory(draft=True)
    assert user_client.post(wizard(theirs, 1, "autosave"), {"name": "Hijacked"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == ""


def test_the_preview_is_a_png_of_the_look_asked_for_and_saves_nothing(user_client, draft, media_root):
    before = Character.objects.values().get(pk=draft.pk)
    first = user_client.get(f"/characters/{draft.pk}/preview.png?hair_colour=ginger&skin_tone=olive&clothing=a+red+hat")
    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    assert "max-age=60" in first["Cache-Control"] and "private" in first["Cache-Control"]
    with Image.open(io.BytesIO(first.content)) as image:
        assert image.format == "PNG" and image.size[0] > 100
    other = user_client.get(f"/characters/{draft.pk}/preview.png?hair_colour=blue&skin_tone=metal")
    assert other.content != first.content
    assert Character.objects.values().get(pk=draft.pk) == before
    assert not Portrait.objects.exists() and not GenerationJob.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.png"))


def test_the_appearance_step_shows_the_sketch_of_the_saved_look(user_client, draft):
    html = html_of(user_client.get(wizard(draft, 3)))
    assert f'src="/characters/{draft.pk}/preview.png?v=' in html
    assert 'type="radio" name="hair_colour" value="auburn"' in html and "Auburn" in html


# Relationships on the story background step


def test_relationships_are_added_and_removed_on_the_background_step(user_client, draft):
    user_client.post(wizard(draft, 1), {"name": "Mia", "kind": "child", "pronouns": "she/her", "go": "4"})
    leo = CharacterFactory(owner=user_client.user, name="Leo")
    response = user_client.post(
        wizard(draft, 4),
        {
            "backstory": "Lives by the sea.",
            "likes": "",
            "relationship-to_character": leo.pk,
            "relationship-kind": "sibling",
            "relationship-note": "big sister",
            "go": "add_relationship",
        },
    )
    assert response["Location"] == wizard(draft, 4) + "#relationships"
    relationship = Relationship.objects.get()
    assert (relationship.from_character, relationship.to_character, relationship.kind) == (draft, leo, "sibling")
    draft.refresh_from_db()
    assert draft.backstory == "Lives by the sea."  # what was typed is saved too
    html = html_of(user_client.get(wizard(draft, 4)))
    assert "Mia is <strong>Leo</strong>’s sibling" in html and "(big sister)" in html

    response = user_client.post(
        wizard(draft, 4), {"backstory": "Lives by the sea.", "remove_relationship": relationship.pk}
    )
    assert response.status_code == 302 and not Relationship.objects.exists()


def test_a_relationship_without_a_character_is_refused_beside_the_field(user_client, draft):
    CharacterFactory(owner=user_client.user, name="Leo")
    response = user_client.post(
        wizard(draft, 4),
        {"backstory": "Lives by the sea.", "relationship-kind": "friend", "go": "add_relationship"},
    )
    html = html_of(response)
    assert response.status_code == 400
    assert field_error(html, "id_relationship-to_character_error") == "Choose the other character."
    assert "Lives by the sea." in html


def test_a_second_relationship_between_the_same_pair_is_refused(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    leo = CharacterFactory(owner=user_client.user, name="Leo")
    RelationshipFactory(from_character=leo, to_character=mia)
    response = user_client.post(
        wizard(mia, 4), {"relationship-to_character": leo.pk, "relationship-kind": "friend", "go": "next"}
    )
    assert response.status_code == 400
    assert "already have a relationship" in html_of(response)
    assert Relationship.objects.count() == 1


# Portraits


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


# The gallery


def test_the_gallery_shows_ready_characters_and_drafts_apart(user_client):
    CharacterFactory(owner=user_client.user, name="Mia")
    PortraitFactory(character=CharacterFactory(owner=user_client.user, name="Leo"), is_selected=True)
    leo = Character.objects.get(name="Leo")
    leo.selected_portrait = leo.portraits.get()
    leo.save()
    CharacterFactory(owner=user_client.user, draft=True)
    CharacterFactory(name="Not mine")
    html = html_of(user_client.get("/characters/"))
    ready, drafts = html.split('id="drafts-heading"')
    assert "Mia" in ready and "Leo" in ready and 'alt="Portrait of Leo"' in ready
    assert "Unnamed character" in drafts and "Resume" in drafts
    assert "Not mine" not in html


def test_the_gallery_searches_by_name_and_filters_by_kind_and_status(user_client):
    CharacterFactory(owner=user_client.user, name="Mia", kind="child")
    CharacterFactory(owner=user_client.user, name="Rex", kind="dragon")
    CharacterFactory(owner=user_client.user, name="Mina", kind="child", status="draft")

    def names_shown(query):
        html = html_of(user_client.get(f"/characters/?{query}"))
        return [name for name in ("Mia", "Rex", "Mina") if name in html]

    assert names_shown("q=mi") == ["Mia", "Mina"]
    assert names_shown("kind=dragon") == ["Rex"]
    assert names_shown("status=draft") == ["Mina"]
    assert names_shown("status=ready&kind=child") == ["Mia"]
    assert "No characters match" in html_of(user_client.get("/characters/?q=zzz"))


def test_with_htmx_the_gallery_answers_only_its_results(user_client):
    CharacterFactory(owner=user_client.user, name="Mia")
    html = html_of(user_client.get("/characters/?q=mi", headers={"HX-Request": "true"}))
    assert html.lstrip().startswith('<div id="gallery-results"') and "Mia" in html


def test_an_empty_gallery_invites_to_create_the_first_character(user_client):
    html = html_of(user_client.get("/characters/"))
    assert "Create your first character" in html and 'href="/characters/new/"' in html


def _queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_gallery_costs_the_same_queries_for_3_and_30_characters(user_client):
    def add(count):
        for _ in range(count):
            character = CharacterFactory(owner=user_client.user)
            portrait = PortraitFactory(character=character, is_selected=True)
            Character.objects.filter(pk=character.pk).update(selected_portrait=portrait)
            CharacterFactory(owner=user_client.user, draft=True)

    add(3)
    few = _queries_for(user_client, "/characters/")
    add(27)
    assert _queries_for(user_client, "/characters/") == few


# The character page and deleting


def test_the_character_page_phrases_relationships_from_both_sides(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    leo = CharacterFactory(owner=user_client.user, name="Leo")
    grandma = CharacterFactory(owner=user_client.user, name="Grandma", kind="grown-up")
    RelationshipFactory(from_character=mia, to_character=leo, kind="sibling", note="big sister")
    RelationshipFactory(from_character=grandma, to_character=leo, kind="grandparent")
    mia_page = html_of(user_client.get(f"/characters/{mia.pk}/"))
    leo_page = html_of(user_client.get(f"/characters/{leo.pk}/"))
    assert re.search(r"Mia is <a [^>]+>Leo</a>’s sibling <span class=\"muted\">\(big sister\)", mia_page)
    assert re.search(r"Leo is <a [^>]+>Mia</a>’s sibling", leo_page)
    assert re.search(r"Leo is <a [^>]+>Grandma</a>’s grandchild", leo_page)


def test_the_character_page_shows_everything_with_actions_and_breadcrumbs(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia", traits=["brave"], custom_traits=["loves maps"])
    story = StoryFactory(owner=user_client.user, title="The Puddle Expedition")
    StoryCharacterFactory(story=story, character=mia)
    html = html_of(user_client.get(f"/characters/{mia.pk}/"))
    for text in ("🦁", "Brave", "loves maps", "a yellow raincoat", "puddles and dinosaurs", "The Puddle Expedition"):
        assert text in html
    assert f'href="/stories/new/?characters={mia.pk}">New story with Mia' in html
    assert f'href="/characters/{mia.pk}/delete/"' in html and f'href="{wizard(mia, 1)}"' in html
    assert re.search(r'<a href="/characters/">Characters</a>.*aria-current="page">Mia<', html, re.S)


def test_the_character_page_costs_the_same_queries_for_3_and_30_relationships_and_stories(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia")

    def add(count):
        for index in range(count):
            other = CharacterFactory(owner=user_client.user)
            if index % 2:
                RelationshipFactory(from_character=mia, to_character=other)
            else:
                RelationshipFactory(from_character=other, to_character=mia, kind="parent")
            StoryCharacterFactory(story=StoryFactory(owner=user_client.user), character=mia)

    add(3)
    few = _queries_for(user_client, f"/characters/{mia.pk}/")
    add(27)
    assert _queries_for(user_client, f"/characters/{mia.pk}/") == few


def test_deleting_asks_first_then_deletes(user_client):
    mia = CharacterFactory(owner=user_client.user, name="Mia")
    confirm = html_of(user_client.get(f"/characters/{mia.pk}/delete/"))
    assert "Delete Mia?" in confirm and Character.objects.filter(pk=mia.pk).exists()
    response = user_client.post(f"/characters/{mia.pk}/delete/")
    assert response["Location"] == "/characters/"
    assert not Character.objects.filter(pk=mia.pk).exists()
    assert "Mia was deleted." in html_of(user_client.get("/characters/"))


def test_the_start_page_lists_drafts_to_carry_on_with(user_client):
    CharacterFactory(owner=user_client.user, draft=True, name="Half Made")
    html = html_of(user_client.get("/characters/new/"))
    assert "Start a new character" in html and "Half Made" in html
    assert not Character.objects.filter(name="").exists()


def test_the_gallery_is_paged_and_keeps_its_filters(client):
    from characters.views.pages import GALLERY_PAGE

    user = UserFactory()
    for number in range(GALLERY_PAGE + 2):
        CharacterFactory(owner=user, name=f"Robot {number:03}", kind="robot")
    client.force_login(user)
    first = client.get("/characters/?kind=robot").content.decode()
    assert f"({GALLERY_PAGE + 2})" in first and "Page 1 of 2" in first
    assert first.count('class="character-card"') == GALLERY_PAGE
    assert "?kind=robot&amp;page=2" in first
    second = client.get("/characters/?kind=robot&page=2").content.decode()
    assert second.count('class="character-card"') == 2
