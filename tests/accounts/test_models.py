import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from accounts.models import User
from characters.models import Character
from stories.models import Series, Story
from storyforge.core.reading import AgeGroup, TextSize
from storyforge.generation.models import GenerationJob
from tests.factories import (
    USER_PASSWORD,
    CharacterFactory,
    GenerationJobFactory,
    SeriesFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def test_the_user_model_is_the_storyforge_user():
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert get_user_model() is User


def test_the_user_factory_makes_a_valid_user_who_can_sign_in():
    user = UserFactory()

    user.full_clean()
    assert user.check_password(USER_PASSWORD)
    assert User.objects.get(pk=user.pk).has_usable_password()


def test_a_new_user_reads_preschool_stories_in_english_at_medium_size():
    user = User.objects.create_user(username="sam", password=USER_PASSWORD)

    assert (user.default_age_group, user.language, user.text_size) == ("3-5", "en", "medium")


def test_a_user_cannot_have_an_unknown_age_group():
    with pytest.raises(IntegrityError, match="user_age_group_known"), transaction.atomic():
        UserFactory(default_age_group="13+")


@pytest.mark.parametrize("age_group", AgeGroup.values)
def test_a_user_can_have_every_known_age_group(age_group):
    assert UserFactory(default_age_group=age_group).default_age_group == age_group


def test_a_user_cannot_have_an_unknown_text_size():
    with pytest.raises(IntegrityError, match="user_text_size_known"), transaction.atomic():
        UserFactory(text_size="huge")


@pytest.mark.parametrize("text_size", TextSize.values)
def test_a_user_can_have_every_known_text_size(text_size):
    assert UserFactory(text_size=text_size).text_size == text_size


def test_the_author_name_is_the_users_full_name():
    assert UserFactory(first_name="Ada", last_name="Lovelace").author_name == "Ada Lovelace"


def test_the_author_name_falls_back_to_the_username():
    assert UserFactory(username="mum-of-two", first_name="", last_name="").author_name == "mum-of-two"


def test_a_user_reads_as_their_username():
    assert str(UserFactory(username="grandpa-joe")) == "grandpa-joe"


def test_deleting_a_user_removes_their_characters_series_stories_and_jobs():
    user, other = UserFactory(), UserFactory()
    CharacterFactory(owner=user)
    SeriesFactory(owner=user)
    StoryFactory(owner=user, pages=2)
    GenerationJobFactory(owner=user)
    kept = GenerationJobFactory(owner=other)

    user.delete()

    assert not Character.objects.filter(owner_id=user.pk).exists()
    assert not Series.objects.filter(owner_id=user.pk).exists()
    assert not Story.objects.filter(owner_id=user.pk).exists()
    assert list(GenerationJob.objects.all()) == [kept]
    assert Story.objects.get() == kept.story
