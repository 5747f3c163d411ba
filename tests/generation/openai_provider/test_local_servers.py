"""The real `openai` client against the servers self-hosters run (fakes modelled on
Ollama, a 2024 llama.cpp, a plain-text server, LM Studio and vLLM): stories get
written, what a server lacks is stood in for and remembered, and nothing
unsuitable slips through moderation on any of them."""

import pytest

from storyforge.core.errors import ContentFlagged, ErrorCode
from storyforge.generation.moderation import text_moderate
from storyforge.generation.providers import provider_get
from storyforge.generation.providers.base import ProviderError
from storyforge.generation.providers.facts import facts_get
from tests.fakes.openai_server import Reply
from tests.generation.openai_provider.briefs import brief

LOCAL_SERVERS = {
    "fake_ollama": "llama3.2",
    "fake_ollama_reasoning": "qwen3:8b",
    "fake_llamacpp_old": "whatever-it-loaded",
    "fake_textgen_plain": "plain-text-model",
    "fake_lmstudio": "qwen2.5-7b-instruct",
    "fake_vllm": "meta-llama/Llama-3.1-8B-Instruct",
}


@pytest.fixture(params=sorted(LOCAL_SERVERS))
def local_server(request, settings):
    """Each local server in turn, as the README's recipes configure it."""
    server = request.getfixturevalue(request.param)
    settings.STORYFORGE_AI_PROVIDER = "openai"
    settings.STORYFORGE_TEXT_PROVIDER = settings.STORYFORGE_IMAGE_PROVIDER = ""
    settings.STORYFORGE_MODERATION_PROVIDER = ""
    settings.OPENAI_API_KEY = "ollama"  # what Ollama's documentation says to set
    settings.OPENAI_BASE_URL = server.base_url
    settings.OPENAI_TEXT_MODEL = LOCAL_SERVERS[request.param]
    settings.OPENAI_TIMEOUT = 5.0
    return server


def test_every_local_server_writes_a_twelve_page_story(local_server):
    draft = provider_get("text").story_write(brief(page_count=12))

    assert len(draft.pages) == 12 and draft.title
    assert all("<think>" not in page.text for page in draft.pages)


def test_what_a_local_server_lacks_is_stood_in_for(local_server):
    """No moderation endpoint: the text model judges. No images: the built-in artist draws."""
    harmless = provider_get("moderation").moderate(["Mia shares her picnic with Pip."])
    flagged = provider_get("moderation").moderate(["Mia meets a FLAGME stranger."])

    assert not harmless.flagged
    assert flagged.flagged and flagged.categories
    facts = facts_get(local_server.base_url.rstrip("/"))
    assert facts["moderation"] == "missing"
    # The text model answered, asked with the schema named, once for each verdict.
    verdicts = [r for r in local_server.requests_for("chat") if "moderation_verdict" in str(r.json) and r.reply == "ok"]
    assert len(verdicts) == 2


def test_a_flagged_brief_is_refused_on_every_local_server(local_server):
    with pytest.raises(ContentFlagged):
        text_moderate(["A story about a FLAGME dragon."])


def test_the_built_in_word_list_refuses_before_the_model_is_asked(local_server):
    with pytest.raises(ContentFlagged):
        text_moderate(["The pirate took out a gun and shot him."])

    assert not [r for r in local_server.requests_for("chat") if "moderation_verdict" in str(r.json)]


def test_a_missing_endpoint_is_learnt_once(fake_ollama, local_settings):
    moderation = provider_get("moderation")
    moderation.moderate(["One."])
    moderation.moderate(["Two."])

    assert len(fake_ollama.requests_for("moderations")) == 1


@pytest.fixture
def local_settings(settings, fake_ollama):
    settings.STORYFORGE_AI_PROVIDER = "openai"
    settings.STORYFORGE_TEXT_PROVIDER = settings.STORYFORGE_IMAGE_PROVIDER = ""
    settings.STORYFORGE_MODERATION_PROVIDER = ""
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = fake_ollama.base_url
    settings.OPENAI_TEXT_MODEL = "llama3.2"
    settings.OPENAI_TIMEOUT = 5.0
    return settings


def test_a_model_the_server_lacks_is_named_with_the_ones_it_has(fake_ollama, local_settings):
    local_settings.OPENAI_TEXT_MODEL = "mistral"

    with pytest.raises(ProviderError) as caught:
        provider_get("text").story_write(brief())

    assert (caught.value.code, caught.value.transient) == (ErrorCode.AI_MODEL_MISSING, False)
    assert "'mistral'" in caught.value.message and "llama3.2:latest" in caught.value.message
    assert "ollama pull mistral" in caught.value.message
    assert fake_ollama.requests_for("chat") == []  # nothing was asked of a model that is not there


def test_ollamas_short_model_names_are_its_latest_tags(fake_ollama, local_settings):
    local_settings.OPENAI_TEXT_MODEL = "Llama3.2"

    assert len(provider_get("text").story_write(brief()).pages) == brief().page_count


def test_the_refused_structured_output_mode_is_remembered(fake_llamacpp_old, local_settings):
    local_settings.OPENAI_BASE_URL = fake_llamacpp_old.base_url
    text = provider_get("text")

    text.story_write(brief())
    first = len(fake_llamacpp_old.requests_for("chat"))
    text.story_write(brief())

    assert first == 2  # json_schema refused, then json_object
    assert len(fake_llamacpp_old.requests_for("chat")) == 3  # the second story asked once
    assert facts_get(fake_llamacpp_old.base_url.rstrip("/"))["structured_output"] == "json_object"
    sent = fake_llamacpp_old.requests_for("chat")[-1].json
    assert sent["response_format"] == {"type": "json_object"}
    assert 'JSON schema named "picture_book"' in sent["messages"][0]["content"]


def test_a_server_that_takes_no_json_mode_gets_the_schema_in_words(fake_textgen_plain, local_settings):
    local_settings.OPENAI_BASE_URL = fake_textgen_plain.base_url
    local_settings.OPENAI_TEXT_MODEL = "plain-text-model"

    draft = provider_get("text").story_write(brief())

    assert len(draft.pages) == brief().page_count
    modes = [r.json.get("response_format", {}).get("type") for r in fake_textgen_plain.requests_for("chat")]
    assert modes == ["json_schema", "json_object", None]


def test_other_refusals_stay_permanent_failures(fake_ollama, local_settings):
    from tests.fakes.openai_server import Reply

    fake_ollama.script("chat", Reply.error_status(400, "messages: too many tokens"))

    with pytest.raises(ProviderError) as caught:
        provider_get("text").story_write(brief())

    assert caught.value.code == ErrorCode.AI_BAD_REQUEST
    assert len(fake_ollama.requests_for("chat")) == 1


@pytest.mark.django_db
def test_an_unsuitable_story_from_a_local_model_is_thrown_away_and_the_brief_kept(
    fake_ollama, local_settings, eager_tasks, django_capture_on_commit_callbacks
):
    """The text model judges what it wrote itself, and the story fails with CONTENT_FLAGGED."""
    import json

    from stories import services
    from stories.models import Story
    from tests.factories import CharacterFactory

    mia = CharacterFactory(name="Mia")
    pages = [{"text": f"Page {n}: Mia meets a FLAGME.", "visual_description": "Mia."} for n in range(4)]
    story_json = json.dumps({"title": "Mia", "summary": "Mia meets a FLAGME.", "pages": pages})
    fake_ollama.script("chat", Reply.ok(), Reply.content(story_json))  # the brief's verdict, then the story

    with django_capture_on_commit_callbacks(execute=True):
        story, _ = services.story_create(user=mia.owner, characters=[{"character": mia.pk}], page_count=4)

    story.refresh_from_db()
    assert (story.status, story.error_code) == (Story.Status.FAILED, "CONTENT_FLAGGED")
    assert story.pages.count() == 0 and story.characters.get() == mia  # nothing of it saved; the cast kept
