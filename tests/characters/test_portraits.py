from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from PIL import Image

from characters.models import Portrait
from characters.services import portrait_generate, portrait_select
from storyforge.core.errors import ContentFlagged, NotFound
from storyforge.generation.models import GenerationJob
from tests.factories import CharacterFactory, PortraitFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


def test_portrait_candidates_are_drawn_and_stored_as_files(settings):
    settings.STORYFORGE_PORTRAIT_CANDIDATES = 3
    character = CharacterFactory(name="Mia", hair_colour="auburn", skin_tone="light")
    job = portrait_generate(user=character.owner, character_id=character.pk)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED and job.kind == "portrait"
    portraits = list(Portrait.objects.filter(character=character))
    assert len(portraits) == 3
    for portrait in portraits:
        assert portrait.provider == "offline" and not portrait.is_selected
        with Image.open(Path(portrait.image.path)) as image:
            assert image.size == (portrait.width, portrait.height)
    assert len({Path(p.image.path).read_bytes() for p in portraits}) == 3  # three different candidates


def test_portraits_of_another_users_character_are_not_found():
    with pytest.raises(NotFound):
        portrait_generate(user=UserFactory(), character_id=CharacterFactory().pk)
    assert not GenerationJob.objects.exists()


def test_a_character_with_unsuitable_words_gets_no_portrait():
    character = CharacterFactory(distinctive_features="covered in blood")
    with pytest.raises(ContentFlagged):
        portrait_generate(user=character.owner, character_id=character.pk)
    assert not GenerationJob.objects.exists()


def test_selecting_a_portrait_makes_it_the_only_selected_one():
    character = CharacterFactory()
    first, second = PortraitFactory(character=character), PortraitFactory(character=character)
    portrait_select(user=character.owner, character_id=character.pk, portrait_id=first.pk)
    portrait_select(user=character.owner, character_id=character.pk, portrait_id=second.pk)
    character.refresh_from_db()
    assert character.selected_portrait == second
    assert list(Portrait.objects.filter(character=character, is_selected=True)) == [second]


def test_another_characters_portrait_cannot_be_selected():
    character = CharacterFactory()
    foreign = PortraitFactory(character=CharacterFactory(owner=character.owner))
    with pytest.raises(NotFound):
        portrait_select(user=character.owner, character_id=character.pk, portrait_id=foreign.pk)
    with pytest.raises(NotFound):
        portrait_select(user=UserFactory(), character_id=character.pk, portrait_id=foreign.pk)


def test_the_database_refuses_two_selected_portraits_for_one_character():
    character = CharacterFactory()
    PortraitFactory(character=character, is_selected=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PortraitFactory(character=character, is_selected=True)
