import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from characters.models import Character
from stories.models import Illustration, Page, Story, StoryCharacter
from storyforge.core.reading import AgeGroup
from storyforge.generation.models import GenerationJob
from tests.factories import (
    CharacterFactory,
    GenerationJobFactory,
    IllustrationFactory,
    PageFactory,
    SeriesFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@contextmanager
def duplicate_rejected(constraint: str, *columns: str):
    """Expect a unique constraint to refuse a row: PostgreSQL names the constraint, SQLite its columns."""
    with pytest.raises(IntegrityError, match=f"{constraint}|{re.escape(', '.join(columns))}"), transaction.atomic():
        yield


@pytest.mark.parametrize(
    "factory",
    [
        SeriesFactory,
        StoryFactory,
        StoryCharacterFactory,
        PageFactory,
        IllustrationFactory,
        GenerationJobFactory,
    ],
)
def test_every_story_factory_saves_a_valid_object(factory):
    made = factory()

    made.full_clean()
    assert type(made).objects.filter(pk=made.pk).exists()


def test_a_cast_member_belongs_to_the_storys_owner():
    role = StoryCharacterFactory()

    assert role.character.owner == role.story.owner


def test_a_job_belongs_to_its_storys_owner():
    job = GenerationJobFactory()

    assert job.story.owner == job.owner


def test_the_page_factory_numbers_pages_from_1_within_each_story():
    story, other = StoryFactory(pages=3), StoryFactory(pages=1)

    assert list(story.pages.values_list("number", flat=True)) == [1, 2, 3]
    assert list(other.pages.values_list("number", flat=True)) == [1]


def test_the_page_factory_cannot_make_a_21st_page():
    story = StoryFactory(page_count=20, pages=20)

    with pytest.raises(IntegrityError, match="page_number_1_to_20"), transaction.atomic():
        PageFactory(story=story)


def test_the_illustration_factory_stores_a_real_png():
    illustration = IllustrationFactory()

    assert illustration.image.name.startswith("illustrations/")
    assert (illustration.width, illustration.height) == (32, 24)


# Series


def test_a_series_must_have_a_title():
    with pytest.raises(IntegrityError, match="series_has_title"), transaction.atomic():
        SeriesFactory(title="")


def test_a_series_reads_as_its_title():
    assert str(SeriesFactory(title="Leo and the Sea")) == "Leo and the Sea"


# Story


@pytest.mark.parametrize("page_count", [0, 21])
def test_a_story_cannot_have_fewer_than_1_or_more_than_20_pages(page_count):
    with pytest.raises(IntegrityError, match="story_page_count_1_to_20"), transaction.atomic():
        StoryFactory(page_count=page_count)


@pytest.mark.parametrize("page_count", [1, 20])
def test_a_story_can_have_1_to_20_pages(page_count):
    assert StoryFactory(page_count=page_count).page_count == page_count


def test_a_story_cannot_have_an_unknown_status():
    with pytest.raises(IntegrityError, match="story_status_known"), transaction.atomic():
        StoryFactory(status="published")


def test_a_story_cannot_be_for_an_unknown_age_group():
    with pytest.raises(IntegrityError, match="story_age_group_known"), transaction.atomic():
        StoryFactory(age_group="13+")


@pytest.mark.parametrize("age_group", AgeGroup.values)
def test_a_story_can_be_for_every_known_age_group(age_group):
    assert StoryFactory(age_group=age_group).age_group == age_group


def test_a_story_cannot_cost_less_than_nothing():
    with pytest.raises(IntegrityError, match="story_cost_not_negative"), transaction.atomic():
        StoryFactory(cost=Decimal("-0.000001"))


def test_a_failed_story_must_say_why():
    with pytest.raises(IntegrityError, match="story_failure_has_code"), transaction.atomic():
        StoryFactory(status=Story.Status.FAILED, error_code="")


def test_a_failed_story_with_an_error_code_is_saved():
    story = StoryFactory(failed=True)

    assert (story.status, story.error_code) == (Story.Status.FAILED, "provider_unavailable")


def test_a_story_cannot_be_at_position_0_of_a_series():
    with pytest.raises(IntegrityError, match="story_series_position_from_1"), transaction.atomic():
        StoryFactory(in_series=True, series_position=0)


def test_two_stories_cannot_share_a_position_in_a_series():
    first = StoryFactory(in_series=True, series_position=1)

    with duplicate_rejected(
        "story_one_per_series_position", "stories_story.series_id", "stories_story.series_position"
    ):
        StoryFactory(owner=first.owner, series=first.series, series_position=1)


def test_stories_follow_each_other_in_a_series():
    first = StoryFactory(in_series=True, series_position=1)
    second = StoryFactory(owner=first.owner, series=first.series, series_position=2)

    assert list(first.series.stories.order_by("series_position")) == [first, second]


def test_stories_in_different_series_can_share_a_position():
    StoryFactory(in_series=True, series_position=1)
    StoryFactory(in_series=True, series_position=1)

    assert Story.objects.filter(series_position=1).count() == 2


def test_many_stories_can_be_outside_any_series():
    StoryFactory.create_batch(2, series=None, series_position=None)

    assert Story.objects.filter(series=None).count() == 2


def test_deleting_a_series_keeps_its_stories():
    story = StoryFactory(in_series=True)

    story.series.delete()

    story.refresh_from_db()
    assert story.series is None


def test_a_story_reads_as_its_title():
    assert str(StoryFactory(title="The Puddle Expedition")) == "The Puddle Expedition"


def test_an_untitled_story_reads_as_its_number():
    story = StoryFactory(title="")

    assert str(story) == f"Untitled story #{story.pk}"


def test_a_storys_total_tokens_add_prompt_and_completion():
    assert StoryFactory.build(prompt_tokens=1200, completion_tokens=800).total_tokens == 2000


def test_deleting_a_story_keeps_its_jobs_so_usage_still_counts():
    owner = UserFactory()
    story = StoryFactory(owner=owner)
    job = GenerationJobFactory(owner=owner, story=story, succeeded=True)

    story.delete()

    job.refresh_from_db()
    assert job.story is None
    assert GenerationJob.objects.filter(owner=owner).aggregate(spent=Sum("cost"))["spent"] == Decimal("0.001250")


def test_deleting_a_story_removes_its_cast_and_pages_but_not_its_characters():
    role = StoryCharacterFactory()
    IllustrationFactory(page__story=role.story)

    role.story.delete()

    assert not StoryCharacter.objects.exists()
    assert not Page.objects.exists()
    assert not Illustration.objects.exists()
    assert Character.objects.filter(pk=role.character_id).exists()


# Story character


def test_a_character_cannot_join_a_storys_cast_twice():
    role = StoryCharacterFactory()

    with duplicate_rejected(
        "story_character_once", "stories_storycharacter.story_id", "stories_storycharacter.character_id"
    ):
        StoryCharacterFactory(story=role.story, character=role.character, role=StoryCharacter.Role.SUPPORTING)


def test_a_character_can_star_in_several_stories():
    character = CharacterFactory()
    StoryCharacterFactory(character=character, story__owner=character.owner)
    StoryCharacterFactory(character=character, story__owner=character.owner)

    assert character.stories.count() == 2


def test_a_cast_member_cannot_have_an_unknown_role():
    with pytest.raises(IntegrityError, match="story_character_role_known"), transaction.atomic():
        StoryCharacterFactory(role="villain")


def test_a_cast_member_reads_as_the_character_and_role():
    role = StoryCharacterFactory(character__name="Mia", role=StoryCharacter.Role.SUPPORTING)

    assert str(role) == "Mia (Supporting character)"


# Page


def test_a_story_cannot_have_two_pages_with_one_number():
    page = PageFactory()

    with duplicate_rejected("page_number_unique_per_story", "stories_page.story_id", "stories_page.number"):
        PageFactory(story=page.story, number=page.number)


def test_pages_of_different_stories_can_share_a_number():
    PageFactory(number=1)
    PageFactory(number=1)

    assert Page.objects.filter(number=1).count() == 2


@pytest.mark.parametrize("number", [0, 21, 1000, 1021])  # 1001 to 1020: parked while renumbering
def test_a_page_cannot_be_numbered_outside_1_to_20(number):
    with pytest.raises(IntegrityError, match="page_number_1_to_20"), transaction.atomic():
        PageFactory(number=number)


@pytest.mark.parametrize("number", [1, 20])
def test_a_page_can_be_numbered_1_to_20(number):
    assert PageFactory(number=number).number == number


def test_a_page_reads_as_its_number_and_story():
    page = PageFactory(number=3)

    assert str(page) == f"Page 3 of story {page.story_id}"


# Illustration


def test_a_page_cannot_have_two_selected_illustrations():
    page = PageFactory()
    IllustrationFactory(page=page, is_selected=True)

    with duplicate_rejected("illustration_one_selected_per_page", "stories_illustration.page_id"):
        IllustrationFactory(page=page, is_selected=True)


def test_a_page_can_have_many_unselected_illustrations_beside_the_selected_one():
    page = PageFactory()
    IllustrationFactory(page=page, is_selected=True)
    IllustrationFactory.create_batch(2, page=page)

    assert page.illustrations.count() == 3


def test_two_pages_can_each_have_a_selected_illustration():
    story = StoryFactory(pages=2)
    for page in story.pages.all():
        IllustrationFactory(page=page, is_selected=True)

    assert Illustration.objects.filter(is_selected=True).count() == 2


def test_an_illustration_cannot_cost_less_than_nothing():
    with pytest.raises(IntegrityError, match="illustration_cost_not_negative"), transaction.atomic():
        IllustrationFactory(cost=Decimal("-0.01"))


def test_an_illustration_reads_as_its_page_and_provider():
    illustration = IllustrationFactory(provider="offline")

    assert str(illustration) == f"Illustration for page {illustration.page_id} (offline)"
