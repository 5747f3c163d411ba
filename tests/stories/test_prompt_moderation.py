"""Nothing reaches a prompt unchecked: asking for a story, for a page again or for a
retry moderates every word of the grown-ups' the prompts carry (clothing,
distinctive features and relationship notes included, even when saved before
moderation saw them), and the visual descriptions the model writes are moderated
before they become a picture's prompt."""

import json

import pytest

from stories import services
from stories.models import Illustration, Page, Story
from storyforge.core.errors import ContentFlagged
from storyforge.generation.models import GenerationJob
from tests.factories import CharacterFactory, RelationshipFactory, UserFactory
from tests.fakes.openai_server import Reply

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


def create(user, *characters, **brief):
    brief.setdefault("page_count", 3)
    members = [{"character": c.pk} for c in characters]
    return services.story_create(user=user, characters=members, **brief)


# Factories save straight to the database, as words saved before this check would be.
@pytest.mark.parametrize(
    "field", [{"clothing": "a holster with a gun"}, {"distinctive_features": "blood on her hands"}]
)
def test_a_story_is_refused_when_a_characters_looks_are_unsuitable(field):
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia", **field)

    with pytest.raises(ContentFlagged):
        create(user, mia)

    assert not Story.objects.exists() and not GenerationJob.objects.exists()


def test_a_story_is_refused_when_a_relationship_note_in_its_cast_is_unsuitable():
    user = UserFactory()
    mia, leo = CharacterFactory(owner=user, name="Mia"), CharacterFactory(owner=user, name="Leo")
    RelationshipFactory(from_character=mia, to_character=leo, kind="friend", note="they kill for fun")

    with pytest.raises(ContentFlagged):
        create(user, mia, leo)
    create(user, mia)  # without Leo the note is in no prompt

    assert Story.objects.count() == 1


def test_asking_for_a_page_again_checks_the_characters_as_they_are_now():
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    story, _ = create(user, mia)
    mia.clothing = "a belt of guns"  # edited since, by a door that did not check
    mia.save()

    for what in ("illustration", "text"):
        with pytest.raises(ContentFlagged):
            services.page_regenerate(user=user, story_id=story.pk, number=1, what=what)

    assert GenerationJob.objects.filter(story=story).count() == 1 + 3 + 1  # the text, the first pictures and the cover


def test_a_retry_checks_the_characters_as_they_are_now(openai_settings, fake_openai):
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    fake_openai.script("chat", Reply.unauthorized())
    story, _ = create(user, mia)
    story.refresh_from_db()
    assert story.status == Story.Status.FAILED
    mia.distinctive_features = "a FLAGME tattoo"
    mia.save()

    with pytest.raises(ContentFlagged):
        services.story_retry(user=user, story_id=story.pk)

    assert GenerationJob.objects.filter(story=story).count() == 1


def test_a_story_whose_visual_description_is_unsuitable_is_thrown_away(openai_settings, fake_openai):
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    pages = [
        {"text": "Mia finds a red ball.", "visual_description": "Mia in a sunny garden."},
        {"text": "The ball rolls away.", "visual_description": "A FLAGME scene by the pond."},
        {"text": "A duck brings it back.", "visual_description": "A duck and Mia."},
    ]
    fake_openai.script("chat", Reply.content(json.dumps({"title": "Ball", "summary": "A ball.", "pages": pages})))

    story, job = create(user, mia)

    job.refresh_from_db()
    story.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "CONTENT_FLAGGED")
    assert story.status == Story.Status.FAILED
    # Pages are saved as they stream in: the one before stays, the flagged one and
    # those after it are never saved, and nothing of them is drawn.
    assert list(Page.objects.filter(story=story).values_list("number", flat=True)) == [1]
    drawn = fake_openai.requests_for("images") + fake_openai.requests_for("edits")
    prompts = [str((request.json or request.form or {}).get("prompt", "")) for request in drawn]
    assert not any("FLAGME" in prompt or "duck" in prompt.lower() for prompt in prompts)


def test_a_rewritten_page_whose_visual_description_is_unsuitable_changes_nothing(openai_settings, fake_openai):
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    story, _ = create(user, mia)
    page = Page.objects.get(story=story, number=2)
    rewrite = {"text": "The wind turned.", "visual_description": "A FLAGME storm over the sea."}
    fake_openai.script("chat", Reply.content(json.dumps(rewrite)))

    job = services.page_regenerate(user=user, story_id=story.pk, number=2, what="text")

    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "CONTENT_FLAGGED")
    after = Page.objects.get(pk=page.pk)
    assert (after.text, after.visual_description, after.version) == (page.text, page.visual_description, page.version)
    assert Illustration.objects.filter(page__story=story).count() == 3
