"""Checkpoints are asked for, not assumed: the list is learnt on first use, kept a few
minutes, and a configured checkpoint the server lacks fails at once, naming those it has."""

import time

import pytest
import time_machine

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import ProviderError
from storyforge.generation.providers.facts import MODELS_SECONDS, facts_get
from tests.fakes.automatic1111_server import checkpoint
from tests.generation.automatic1111.sheets import MIA, scene


def draw_error(provider) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        provider.page_illustrate(scene(MIA))
    return caught.value


def test_checkpoints_are_learnt_on_first_use_and_remembered(provider_make, fake_a1111):
    provider_make().page_illustrate(scene(MIA))
    provider_make().page_illustrate(scene(MIA))  # another process would share the cache the same way

    assert len(fake_a1111.requests_for("sd-models")) == 1
    assert len(fake_a1111.requests_for("txt2img")) == 2
    facts = facts_get(fake_a1111.base_url)
    assert checkpoint("dreamshaper_8.safetensors")["title"] in facts["models"]
    assert "dreamshaper_8" in facts["models"]


def test_checkpoints_are_asked_for_again_once_stale(provider, fake_a1111):
    provider.page_illustrate(scene(MIA))

    with time_machine.travel(time.time() + MODELS_SECONDS + 1):
        provider.page_illustrate(scene(MIA))

    assert len(fake_a1111.requests_for("sd-models")) == 2


def test_missing_checkpoint_is_a_permanent_error_naming_those_there_are(provider, fake_a1111, settings):
    settings.OPENAI_IMAGE_MODEL = "anything-v5"

    error = draw_error(provider)

    assert (error.code, error.transient) == (ErrorCode.AI_MODEL_MISSING, False)
    assert "anything-v5" in error.message
    assert "OPENAI_IMAGE_MODEL" in error.message
    for name in ("v1-5-pruned-emaonly.safetensors", "sd_xl_base_1.0.safetensors", "dreamshaper_8.safetensors"):
        assert checkpoint(name)["title"] in error.message
    assert fake_a1111.requests_for("txt2img") == []  # the webui would have drawn with another one


def test_checkpoint_added_since_the_list_was_learnt_is_found(provider, fake_a1111, settings):
    provider.page_illustrate(scene(MIA))
    fake_a1111.checkpoints.append(checkpoint("anything-v5.safetensors"))
    settings.OPENAI_IMAGE_MODEL = "anything-v5"

    provider.page_illustrate(scene(MIA))

    assert len(fake_a1111.requests_for("sd-models")) == 2
    assert fake_a1111.requests_for("txt2img")[-1].json["override_settings"] == {"sd_model_checkpoint": "anything-v5"}
