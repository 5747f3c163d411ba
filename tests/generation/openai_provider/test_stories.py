"""Stories: the pages asked for, their cost, how they are asked for, repairs of
unusable replies, and a second, stricter try at the wrong reading level."""

from decimal import Decimal

from django.conf import settings

from storyforge.core.errors import ErrorCode
from storyforge.core.reading import reading_grade, reading_level_fits
from storyforge.generation.providers import prompts, provider_get
from storyforge.generation.providers.openai import OpenAIProvider
from tests.fakes.openai_server import Reply
from tests.generation.openai_provider.briefs import brief, story_error

HARD_TEXT = (
    "Notwithstanding considerable meteorological uncertainty, Mia deliberately investigated the "
    "extraordinarily complicated mechanism concealed underneath the abandoned observatory's foundations."
)


def test_provider_get_returns_the_openai_provider(openai_settings):
    assert isinstance(provider_get(), OpenAIProvider)


def test_story_has_the_pages_asked_for(provider):
    draft = provider.story_write(brief(page_count=6))

    assert len(draft.pages) == 6
    assert draft.title == "Mia and the Red Ball"
    assert draft.summary
    assert all(page.text and page.visual_description for page in draft.pages)
    assert draft.model == settings.OPENAI_TEXT_MODEL


def test_story_cost_comes_from_the_tokens_and_the_prices(provider, settings, fake_openai):
    settings.OPENAI_PRICE_TEXT_INPUT = Decimal("2")
    settings.OPENAI_PRICE_TEXT_OUTPUT = Decimal("8")

    usage = provider.story_write(brief()).usage

    (request,) = fake_openai.requests_for("chat")
    assert usage.prompt_tokens == len(request.prompt_text) // 4  # what the fake reports
    assert usage.completion_tokens > 0
    assert usage.cost == (usage.prompt_tokens * 2 + usage.completion_tokens * 8) / Decimal(1_000_000)


def test_story_is_asked_for_as_a_stream_with_a_strict_json_schema(provider, fake_openai, settings):
    settings.OPENAI_TEXT_MODEL = "gpt-4o-mini"

    provider.story_write(brief())

    (request,) = fake_openai.requests_for("chat")
    assert request.json["model"] == "gpt-4o-mini"
    assert request.json["stream"] is True
    assert request.json["stream_options"] == {"include_usage": True}
    assert request.json["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "picture_book", "schema": prompts.STORY_SCHEMA, "strict": True},
    }
    assert request.json["messages"] == prompts.story_messages(brief())
    assert request.headers["authorization"] == f"Bearer {settings.OPENAI_API_KEY}"


def test_client_does_not_retry_by_itself(provider, fake_openai):
    fake_openai.script("chat", Reply.server_error(500))

    error = story_error(provider)

    assert error.transient
    assert len(fake_openai.requests) == 1


def test_reply_that_is_not_json_is_repaired(provider, fake_openai):
    fake_openai.script("chat", Reply.content("Once upon a time, Mia..."))

    draft = provider.story_write(brief())

    assert len(draft.pages) == 5
    first, repair = fake_openai.requests_for("chat")
    assert repair.json["messages"][-2] == {"role": "assistant", "content": "Once upon a time, Mia..."}
    assert "it is not valid JSON" in repair.json["messages"][-1]["content"]


def test_repair_tokens_are_counted(provider, fake_openai):
    fake_openai.script("chat", Reply.content("{"))

    draft = provider.story_write(brief())

    assert draft.usage.prompt_tokens == sum(len(r.prompt_text) // 4 for r in fake_openai.requests_for("chat"))


def test_reply_still_unusable_after_the_repair_is_a_permanent_failure(provider, fake_openai):
    fake_openai.script("chat", Reply.content("not a story"), Reply.content('{"title": "Half'))

    error = story_error(provider)

    assert error.code == ErrorCode.AI_INVALID_OUTPUT
    assert not error.transient
    assert "not valid JSON" in error.message
    assert len(fake_openai.requests) == 2


def test_wrong_page_count_is_repaired(provider, fake_openai):
    fake_openai.script("chat", Reply.story(page_count=3))

    draft = provider.story_write(brief(page_count=5))

    assert len(draft.pages) == 5
    repair = fake_openai.requests_for("chat")[1]
    assert "it has 3 pages, but the book needs exactly 5" in repair.json["messages"][-1]["content"]


def test_missing_fields_and_empty_pages_are_repaired(provider, fake_openai):
    fake_openai.script(
        "chat",
        Reply.content('{"title": "T", "pages": []}'),
        Reply.story(texts=["One.", "  ", "Three.", "Four.", "Five."]),
    )

    error = story_error(provider)

    assert error.code == ErrorCode.AI_INVALID_OUTPUT
    assert '"summary" is missing' in fake_openai.requests_for("chat")[1].json["messages"][-1]["content"]
    assert 'page 2 has no "text"' in error.message


def test_story_at_the_wrong_reading_level_is_written_again_more_strictly(provider, fake_openai):
    fake_openai.script("chat", Reply.story(texts=[HARD_TEXT] * 5))
    assert not reading_level_fits("3-5", reading_grade(HARD_TEXT))

    draft = provider.story_write(brief(age_group="3-5"))

    first, second = fake_openai.requests_for("chat")
    assert "Reading level (important)" not in first.prompt_text
    assert "Reading level (important): aim for a Flesch-Kincaid grade of at most 2.5" in second.prompt_text
    assert HARD_TEXT not in draft.pages[0].text
    assert draft.usage.prompt_tokens == len(first.prompt_text) // 4 + len(second.prompt_text) // 4


def test_second_story_is_kept_whatever_its_reading_level(provider, fake_openai):
    fake_openai.script("chat", Reply.story(texts=[HARD_TEXT] * 5), Reply.story(texts=[HARD_TEXT] * 5))

    draft = provider.story_write(brief(age_group="3-5"))

    assert draft.pages[0].text == HARD_TEXT
    assert len(fake_openai.requests) == 2


def test_story_at_the_right_reading_level_is_written_once(provider, fake_openai):
    for age_group in ("1-2", "3-5", "6-8", "9-12"):
        provider.story_write(brief(age_group=age_group))

    assert len(fake_openai.requests) == 4
