"""Every free-text field of a character has its cap in the service, whichever door
the words come in by: the API, the service called directly (as the wizard, a card
import and the commands do)."""

import pytest

from characters import catalogue
from characters.models import Character
from characters.services import BACKSTORY_MAX_LENGTH, CHARACTER_TEXT_CAPS, character_create, character_update
from storyforge.core.errors import InvalidInput
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.factories import CharacterFactory, UserFactory

pytestmark = pytest.mark.django_db

CHARACTERS = "/api/v1/characters/"
HUGE = "a" * 2_000_000
# The free-text fields (the palettes and hair styles are choices, held to their lists).
TEXT_FIELDS = ("name", "clothing", "distinctive_features", "likes", "backstory")
READY = {"name": "Mia", "traits": ["brave"]}


def test_a_two_million_character_backstory_is_refused_by_the_api_and_nothing_is_saved(api):
    error = assert_error(api.post(CHARACTERS, {**READY, "backstory": HUGE}, format="json"), 400, "VALIDATION_ERROR")
    assert list(error["details"]["fields"]) == ["backstory"]
    assert not Character.objects.exists()


def test_a_two_million_character_backstory_is_refused_when_patching_and_the_old_one_stays(api, owner):
    mia = CharacterFactory(owner=owner, backstory="Lives by the sea.")
    error = assert_error(
        api.patch(f"{CHARACTERS}{mia.pk}/", {"backstory": HUGE}, format="json"), 400, "VALIDATION_ERROR"
    )
    assert list(error["details"]["fields"]) == ["backstory"]
    mia.refresh_from_db()
    assert mia.backstory == "Lives by the sea."


@pytest.mark.parametrize("status", [Character.Status.READY, Character.Status.DRAFT])
def test_the_service_refuses_a_two_million_character_backstory_whatever_the_status(status):
    user = UserFactory()
    with pytest.raises(InvalidInput) as refused:
        character_create(user=user, status=status, backstory=HUGE, **READY)
    assert list(refused.value.details["fields"]) == ["backstory"]
    assert str(BACKSTORY_MAX_LENGTH) in refused.value.message
    assert not Character.objects.exists()


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_the_service_refuses_one_character_over_each_cap_with_a_message_naming_the_cap(field):
    cap = CHARACTER_TEXT_CAPS[field]
    mia = CharacterFactory(name="Mia")
    with pytest.raises(InvalidInput) as refused:
        character_update(user=mia.owner, character_id=mia.pk, **{field: "b" * (cap + 1)})
    assert refused.value.details["fields"] == {field: [refused.value.message]}
    assert f"{cap} characters" in refused.value.message
    mia.refresh_from_db()
    assert getattr(mia, field) != "b" * (cap + 1)


def test_values_at_exactly_their_caps_are_accepted():
    at_cap = {field: "c" * CHARACTER_TEXT_CAPS[field] for field in TEXT_FIELDS}
    at_cap["custom_traits"] = ["d" * catalogue.CUSTOM_TRAIT_MAX_LENGTH]
    mia = character_create(user=UserFactory(), traits=["brave"], **at_cap)
    mia.refresh_from_db()
    assert {field: len(getattr(mia, field)) for field in TEXT_FIELDS} == {
        field: CHARACTER_TEXT_CAPS[field] for field in TEXT_FIELDS
    }
    assert mia.status == Character.Status.READY and mia.custom_traits == at_cap["custom_traits"]


def test_a_draft_is_held_to_the_caps_on_traits_of_your_own():
    """A draft skips the 1-5 traits rule, not the length of the grown-up's words."""
    user = UserFactory()
    with pytest.raises(InvalidInput) as too_long:
        character_create(user=user, status=Character.Status.DRAFT, custom_traits=[HUGE])
    with pytest.raises(InvalidInput) as too_many:
        character_create(user=user, status=Character.Status.DRAFT, custom_traits=["shy"] * 1000)
    assert list(too_long.value.details["fields"]) == list(too_many.value.details["fields"]) == ["custom_traits"]
    assert not Character.objects.exists()
