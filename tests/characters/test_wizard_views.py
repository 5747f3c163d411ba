"""The character wizard through the test client, without JavaScript: the start page,
the six steps with plain form posts, validation beside the fields, the live trait
check, autosave, the live preview and relationships on the background step. Real
services, the offline provider."""

import io
import re

import pytest
from PIL import Image

from characters.models import Character, Portrait, Relationship
from storyforge.generation.models import GenerationJob
from tests.characters.pages import field_error, html_of, wizard
from tests.factories import CharacterFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


# Starting


def test_a_wizard_step_that_does_not_exist_is_not_found(user_client, draft):
    assert user_client.get(wizard(draft, 7)).status_code == 404
    assert user_client.get(wizard(draft, 0)).status_code == 404


def test_the_start_page_lists_drafts_to_carry_on_with(user_client):
    CharacterFactory(owner=user_client.user, draft=True, name="Half Made")
    html = html_of(user_client.get("/characters/new/"))
    assert "Start a new character" in html and "Half Made" in html
    assert not Character.objects.filter(name="").exists()


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
