import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from characters.models import Character, Relationship
from storyforge.operations.demo import DEMO_PASSWORD, DEMO_USERNAME
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_user_who_can_log_in_with_characters_and_relationships(capsys):
    call_command("seed_demo")
    user = authenticate(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert user is not None
    assert sorted(Character.objects.filter(owner=user).values_list("name", flat=True)) == ["Leo", "Mia", "Pip"]
    assert Relationship.objects.filter(from_character__owner=user).count() == 2
    assert "3 characters and 2 relationships added" in capsys.readouterr().out


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Character.objects.count() == 3 and Relationship.objects.count() == 2
    assert "already there" in capsys.readouterr().out


def test_seed_demo_if_empty_leaves_a_used_database_alone(capsys):
    UserFactory()
    call_command("seed_demo", "--if-empty")
    assert not Character.objects.exists()
    assert "nothing to do" in capsys.readouterr().out


def test_the_home_page_shows_the_landing_page_to_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Picture books starring" in response.content


def test_the_dashboard_lists_the_users_characters_and_stories_in_constant_queries(
    client, django_assert_max_num_queries
):
    from storyforge.core.pagecache import pagecache_invalidate
    from tests.factories import CharacterFactory, StoryCharacterFactory, StoryFactory

    user = UserFactory()
    for _ in range(3):
        StoryCharacterFactory(story=StoryFactory(owner=user), character=CharacterFactory(owner=user))
    client.force_login(user)
    with django_assert_max_num_queries(9) as few:  # one of them the stories' cover pictures
        client.get("/")
    for _ in range(6):
        StoryCharacterFactory(story=StoryFactory(owner=user), character=CharacterFactory(owner=user))
    pagecache_invalidate(user.pk)  # factories skip the services, which would do this
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.count(b'class="card"') == 16  # 8 recent characters, 8 recent stories


@pytest.mark.django_db(transaction=True)
def test_seed_demo_makes_a_finished_illustrated_story_with_the_offline_provider(settings, capsys):
    from stories.models import Story

    settings.STORYFORGE_AI_PROVIDER = "openai"  # configured, yet demo data must cost nothing
    settings.OPENAI_API_KEY = "sk-not-used-0123456789abcdefghij"
    call_command("seed_demo")
    story = Story.objects.get(owner__username=DEMO_USERNAME)
    assert story.status == "ready" and story.pages.count() == 6
    assert not story.pages.filter(selected_illustration__isnull=True).exists()
    assert {role.character.name for role in story.cast.all()} == {"Mia", "Leo", "Pip"}
    assert "and a finished story" in capsys.readouterr().out
    call_command("seed_demo")
    assert Story.objects.count() == 1
