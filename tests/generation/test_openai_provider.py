"""The OpenAI provider, with the real `openai` client talking HTTP to the fake server."""

import io
import time
from decimal import Decimal

import pytest
from django.conf import settings
from PIL import Image

from storyforge.core.errors import ErrorCode
from storyforge.core.reading import reading_grade, reading_level_fits
from storyforge.generation.providers import prompts, provider_get
from storyforge.generation.providers.base import (
    CharacterSheet,
    ProviderError,
    Scene,
    StoryBrief,
)
from storyforge.generation.providers.openai import OpenAIProvider
from tests.fakes.openai_server import Reply
from tests.servers import free_port

MIA = CharacterSheet(
    name="Mia",
    kind="child",
    pronouns="she/her",
    age=4,
    traits=("brave",),
    appearance="a child with curly ginger hair, green eyes, wearing a yellow raincoat",
)
PIP = CharacterSheet(name="Pip", kind="dragon", pronouns="it/its", appearance="a dragon with green scales")
HARD_TEXT = (
    "Notwithstanding considerable meteorological uncertainty, Mia deliberately investigated the "
    "extraordinarily complicated mechanism concealed underneath the abandoned observatory's foundations."
)


def brief(**overrides) -> StoryBrief:
    values = {
        "characters": (MIA,),
        "relationships": (),
        "age_group": "3-5",
        "page_count": 5,
        "tone": "gentle",
        "moral": "sharing is fun",
        "setting": "a garden",
        "language": "en",
        "art_style": "watercolour",
        "seed": 1,
    }
    values.update(overrides)
    return StoryBrief(**values)


def scene(*characters: CharacterSheet) -> Scene:
    return Scene(
        page_number=1,
        visual_description="Mia waves at Pip by the pond.",
        page_text="Hello, Pip!",
        characters=characters,
        setting="a garden",
        art_style="watercolour",
        seed=3,
    )


def png_file(path, colour="red"):
    Image.new("RGB", (32, 32), colour).save(path, "PNG")
    return str(path)


@pytest.fixture
def provider(openai_settings):
    provider = OpenAIProvider()
    yield provider
    provider.close()


def story_error(provider, story_brief=None) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        provider.story_write(story_brief or brief())
    return caught.value


# -- stories ------------------------------------------------------------------------


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
    settings.OPENAI_TEXT_MODEL = "story-model"

    provider.story_write(brief())

    (request,) = fake_openai.requests_for("chat")
    assert request.json["model"] == "story-model"
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


# -- faults ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "code", "transient", "retry_after"),
    [
        (Reply.rate_limited(7), ErrorCode.AI_RATE_LIMITED, True, 7.0),
        (Reply.rate_limited(None, retry_after_ms=1500), ErrorCode.AI_RATE_LIMITED, True, 1.5),
        (Reply.rate_limited(None), ErrorCode.AI_RATE_LIMITED, True, None),
        (Reply.server_error(500), ErrorCode.AI_SERVER_ERROR, True, None),
        (Reply.server_error(503), ErrorCode.AI_SERVER_ERROR, True, None),
        (Reply.error_status(409, "Conflict."), ErrorCode.AI_SERVER_ERROR, True, None),
        (Reply.error_status(408, "Request timeout."), ErrorCode.AI_TIMEOUT, True, None),
        (Reply.content_policy(), ErrorCode.CONTENT_FLAGGED, False, None),
        (Reply.bad_request(), ErrorCode.AI_BAD_REQUEST, False, None),
        (Reply.bad_request("Invalid type for 'safety_identifier'."), ErrorCode.AI_BAD_REQUEST, False, None),
        (
            Reply.error_status(400, "Flagged by moderation.", code="moderation_blocked"),
            ErrorCode.CONTENT_FLAGGED,
            False,
            None,
        ),
        (Reply.error_status(404, "The model `story-model` does not exist."), ErrorCode.AI_BAD_REQUEST, False, None),
        (Reply.unauthorized(), ErrorCode.AI_AUTH_FAILED, False, None),
        (Reply.error_status(403, "Project lacks access."), ErrorCode.AI_AUTH_FAILED, False, None),
        (Reply.stream_cut(), ErrorCode.AI_CONNECTION_ERROR, True, None),
        (Reply.stream_truncated(), ErrorCode.AI_SERVER_ERROR, True, None),
        (Reply.malformed(), ErrorCode.AI_SERVER_ERROR, True, None),
    ],
    ids=lambda value: value.label if isinstance(value, Reply) else None,
)
def test_fault_maps_to_its_code(provider, fake_openai, settings, reply, code, transient, retry_after):
    fake_openai.script("chat", reply)

    error = story_error(provider)

    assert (error.code, error.transient, error.retry_after) == (code, transient, retry_after)
    assert settings.OPENAI_API_KEY not in error.message
    assert settings.OPENAI_API_KEY not in str(error)


def test_rate_limit_message_says_how_long_to_wait(provider, fake_openai):
    fake_openai.script("chat", Reply.rate_limited(3))

    assert story_error(provider).message == "The AI service is busy (429); it asked us to wait 3 s."


def test_retry_after_as_an_http_date_becomes_seconds(provider, fake_openai):
    fake_openai.script("chat", Reply.rate_limited(30, http_date=True))

    assert 27 <= story_error(provider).retry_after <= 30


def test_rejected_api_key_is_not_repeated_in_the_error(provider, fake_openai, settings):
    fake_openai.script("chat", Reply.unauthorized())

    error = story_error(provider)

    assert "Incorrect API key provided" in error.message
    assert settings.OPENAI_API_KEY not in error.message
    assert "sk-test" not in error.message


def test_slow_answer_is_a_timeout(provider, fake_openai, settings):
    settings.OPENAI_TIMEOUT = 0.5
    fake_openai.script("chat", Reply.slow(3))
    started = time.monotonic()

    error = story_error(provider)

    assert (error.code, error.transient) == (ErrorCode.AI_TIMEOUT, True)
    assert time.monotonic() - started < 2
    assert "0.5 s" in error.message


def test_unreachable_service_is_a_connection_error(openai_settings):
    openai_settings.OPENAI_BASE_URL = f"http://127.0.0.1:{free_port()}/v1"
    provider = OpenAIProvider()

    error = story_error(provider)
    provider.close()

    assert (error.code, error.transient) == (ErrorCode.AI_CONNECTION_ERROR, True)
    assert openai_settings.OPENAI_API_KEY not in error.message


def test_content_filter_stop_is_flagged(provider, fake_openai):
    fake_openai.script("chat", Reply.content("", finish_reason="content_filter"))

    error = story_error(provider)

    assert (error.code, error.transient) == (ErrorCode.CONTENT_FLAGGED, False)


def test_image_and_moderation_faults_use_the_same_mapping(provider, fake_openai):
    fake_openai.script("images", Reply.rate_limited(2))
    fake_openai.script("moderations", Reply.server_error(502))

    with pytest.raises(ProviderError) as drawing:
        provider.portrait_draw(MIA, count=1, art_style="crayon", seed=1)
    with pytest.raises(ProviderError) as moderating:
        provider.moderate(["hello"])

    assert (drawing.value.code, drawing.value.retry_after) == (ErrorCode.AI_RATE_LIMITED, 2.0)
    assert (moderating.value.code, moderating.value.transient) == (ErrorCode.AI_SERVER_ERROR, True)


# -- pictures ------------------------------------------------------------------------


def test_portrait_candidates_are_pngs(provider, fake_openai, settings):
    settings.OPENAI_PRICE_IMAGE = Decimal("0.05")

    images = provider.portrait_draw(MIA, count=3, art_style="crayon", seed=4)

    assert len(images) == 3
    assert len({image.png for image in images}) == 3
    for image in images:
        assert Image.open(io.BytesIO(image.png)).format == "PNG"
        assert MIA.appearance in image.prompt
        assert image.usage.cost == Decimal("0.05")
    (request,) = fake_openai.requests_for("images")
    assert request.json["n"] == 3
    assert request.json["size"] == "1024x1024"
    assert request.json["model"] == settings.OPENAI_IMAGE_MODEL
    assert "response_format" not in request.json  # GPT image models reject it


def test_dall_e_is_asked_for_base64(provider, fake_openai, settings):
    settings.OPENAI_IMAGE_MODEL = "dall-e-2"

    provider.portrait_draw(MIA, count=1, art_style="crayon", seed=4)

    assert fake_openai.requests_for("images")[0].json["response_format"] == "b64_json"


def test_picture_sent_as_a_link_is_invalid_output(provider, fake_openai):
    fake_openai.script("images", Reply.url_only())

    with pytest.raises(ProviderError) as caught:
        provider.portrait_draw(MIA, count=2, art_style="crayon", seed=4)

    assert (caught.value.code, caught.value.transient) == (ErrorCode.AI_INVALID_OUTPUT, False)


def test_page_with_portraits_is_drawn_from_them(provider, fake_openai, tmp_path, settings):
    mia = CharacterSheet(**{**MIA.__dict__, "portrait_path": png_file(tmp_path / "mia.png")})
    pip = CharacterSheet(**{**PIP.__dict__, "portrait_path": png_file(tmp_path / "pip.png", "green")})

    image = provider.page_illustrate(scene(mia, pip))

    assert fake_openai.requests_for("images") == []
    (request,) = fake_openai.requests_for("edits")
    assert sorted(file["filename"] for file in request.files) == ["mia.png", "pip.png"]
    assert all(file["size"] > 0 for file in request.files)
    assert request.form["prompt"] == prompts.scene_prompt(scene(mia, pip))
    assert request.form["model"] == settings.OPENAI_IMAGE_MODEL
    assert Image.open(io.BytesIO(image.png)).size == (96, 64)  # the fake draws 1536x1024 at 1/16
    assert image.usage.cost == settings.OPENAI_PRICE_IMAGE


def test_page_without_portraits_is_drawn_from_the_prompt(provider, fake_openai):
    image = provider.page_illustrate(scene(MIA, PIP))

    assert fake_openai.requests_for("edits") == []
    (request,) = fake_openai.requests_for("images")
    assert request.json["prompt"] == image.prompt
    assert MIA.appearance in image.prompt
    assert Image.open(io.BytesIO(image.png)).format == "PNG"


def test_missing_portrait_file_falls_back_to_the_prompt(provider, fake_openai, tmp_path):
    mia = CharacterSheet(**{**MIA.__dict__, "portrait_path": str(tmp_path / "gone.png")})

    provider.page_illustrate(scene(mia))

    assert len(fake_openai.requests_for("images")) == 1


# -- moderation --------------------------------------------------------------------


def test_flagged_text_is_reported_with_its_categories(provider, fake_openai, settings):
    settings.OPENAI_MODERATION_MODEL = "moderation-model"
    fake_openai.flag_categories = ("violence", "harassment")

    result = provider.moderate(["A nice day.", "Something FLAGME here."])

    assert result.flagged
    assert result.categories == ("harassment", "violence")
    (request,) = fake_openai.requests_for("moderations")
    assert request.json == {"model": "moderation-model", "input": ["A nice day.", "Something FLAGME here."]}


def test_harmless_text_is_not_flagged(provider):
    result = provider.moderate(["Mia and Pip share a picnic."])

    assert not result.flagged
    assert result.categories == ()


def test_nothing_to_moderate_asks_nothing(provider, fake_openai):
    assert not provider.moderate(["", "   "]).flagged
    assert fake_openai.requests == []


def test_missing_api_key_is_an_auth_failure(openai_settings, fake_openai):
    openai_settings.OPENAI_API_KEY = ""
    provider = OpenAIProvider()

    error = story_error(provider)
    provider.close()

    assert (error.code, error.transient) == (ErrorCode.AI_AUTH_FAILED, False)
