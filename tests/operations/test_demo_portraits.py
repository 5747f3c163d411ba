"""The demo account's characters come with portraits, drawn by the built-in artist
through the portrait step's own service, whatever provider is configured."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from characters.models import Character, Portrait
from storyforge.generation.models import GenerationJob
from storyforge.operations.demo import DEMO_USERNAME

pytestmark = pytest.mark.django_db(transaction=True)  # the drawing starts when the request commits


def test_seed_demo_gives_every_demo_character_a_portrait_by_the_offline_artist(settings, capsys):
    settings.STORYFORGE_AI_PROVIDER = "openai"  # configured, yet demo data must cost nothing
    settings.OPENAI_API_KEY = "sk-not-used-0123456789abcdefghij"
    call_command("seed_demo")
    characters = Character.objects.filter(owner__username=DEMO_USERNAME).select_related("selected_portrait")
    assert len(characters) == 3
    for character in characters:
        portrait = character.selected_portrait
        assert portrait is not None and portrait.provider == "offline", character.name
        assert portrait.is_selected and default_storage.exists(portrait.image.name)
        assert portrait.image.width and portrait.image.height
        # The portrait step shows the other candidates too, as if the grown-up had asked.
        assert Portrait.objects.filter(character=character).count() == settings.STORYFORGE_PORTRAIT_CANDIDATES
    jobs = GenerationJob.objects.filter(owner__username=DEMO_USERNAME, kind="portrait")
    assert sorted(jobs.values_list("status", flat=True)) == ["succeeded"] * 3
    assert "3 portraits drawn" in capsys.readouterr().out


def test_seeding_again_draws_no_new_portraits(capsys):
    call_command("seed_demo")
    chosen = set(Character.objects.values_list("selected_portrait_id", flat=True))
    count = Portrait.objects.count()
    call_command("seed_demo")
    assert set(Character.objects.values_list("selected_portrait_id", flat=True)) == chosen
    assert Portrait.objects.count() == count
    assert "portraits drawn" not in capsys.readouterr().out.splitlines()[-1]


def test_the_demo_books_pictures_are_drawn_after_the_portraits(capsys):
    from stories.models import Story

    call_command("seed_demo")
    story = Story.objects.get(owner__username=DEMO_USERNAME)
    first_picture = min(page.selected_illustration.created_at for page in story.pages.all())
    last_portrait = max(Portrait.objects.values_list("created_at", flat=True))
    assert last_portrait <= first_picture
