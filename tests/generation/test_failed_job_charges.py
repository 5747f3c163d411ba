"""What the provider charged is recorded on the job even when the job then fails (the
story it wrote was flagged, its answer could not be read) or is tried again, and
counts against the day's budget; the job holds nothing once it has ended."""

from decimal import Decimal

import pytest

from stories import services
from stories.models import Story
from storyforge.generation.models import GenerationJob
from storyforge.generation.selectors import usage_summary
from tests.factories import CharacterFactory, UserFactory
from tests.fakes.openai_server import Reply

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def priced(openai_settings):
    openai_settings.OPENAI_PRICE_TEXT_INPUT = Decimal("0.15")
    openai_settings.OPENAI_PRICE_TEXT_OUTPUT = Decimal("0.60")
    openai_settings.OPENAI_PRICE_IMAGE = Decimal("0.04")
    return openai_settings


def create(page_count=3):
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    story, job = services.story_create(
        user=user, characters=[{"character": mia.pk, "role": "main"}], page_count=page_count
    )
    job.refresh_from_db()
    return user, story, job


def chat_tokens(fake_openai) -> tuple[int, int]:
    """The tokens the fake server charged for its chat answers (a quarter of the characters)."""
    requests = fake_openai.requests_for("chat")
    return sum(max(1, len(r.prompt_text) // 4) for r in requests), len(requests)


def test_a_story_the_moderation_flags_is_charged_for_what_the_provider_wrote(priced, fake_openai):
    fake_openai.flag_word = "dragonfire"
    flagged = Reply.story(texts=["Mia breathes dragonfire at the ducks."] * 3)
    fake_openai.script("chat", flagged, flagged)  # the second in case it is rewritten for its reading level

    user, story, job = create()

    assert (job.status, job.error_code, job.reserved) == ("failed", "CONTENT_FLAGGED", 0)
    prompt_tokens, calls = chat_tokens(fake_openai)
    assert calls >= 1 and job.prompt_tokens == prompt_tokens and job.completion_tokens > 0
    assert job.cost > 0  # recorded as $0 before: the provider was paid all the same
    assert usage_summary(user=user).cost_today == job.cost
    story.refresh_from_db()
    assert story.status == Story.Status.FAILED and story.cost == job.cost  # the book adds up its jobs


def test_an_answer_that_could_not_be_read_is_charged_for_both_tries(priced, fake_openai):
    fake_openai.script("chat", Reply.content("not a story"), Reply.content('{"title": "Half'))

    user, story, job = create()

    assert (job.status, job.error_code) == ("failed", "AI_INVALID_OUTPUT")
    prompt_tokens, calls = chat_tokens(fake_openai)
    assert calls == 2 and job.prompt_tokens == prompt_tokens
    assert job.cost > 0 and job.reserved == 0
    story.refresh_from_db()
    assert story.status == Story.Status.FAILED


def test_an_attempt_that_is_tried_again_is_charged_once_for_each_answer(priced, fake_openai, settings):
    settings.STORYFORGE_BREAKER_FAILURES = 100
    # The story is written, then moderation fails for a moment: for the first page as it
    # streams (the rest waits for the end) and for the rest at the end: the second
    # attempt writes it again.
    fake_openai.script("moderations", Reply.ok(), Reply.server_error(503), Reply.server_error(503))

    user, story, job = create()

    assert job.status == "succeeded" and job.attempts == 2 and job.reserved == 0
    prompt_tokens, calls = chat_tokens(fake_openai)
    assert calls >= 2 and job.prompt_tokens == prompt_tokens  # every answer of both attempts, each once
    spent = sum(GenerationJob.objects.filter(owner=user).values_list("cost", flat=True))
    assert usage_summary(user=user).cost_today == spent
    story.refresh_from_db()
    assert story.status == Story.Status.READY and story.cost == spent  # the book adds up all its jobs
