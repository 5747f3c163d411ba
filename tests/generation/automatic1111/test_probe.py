"""`probe`: what `ai_check` shows about the webui, asked afresh, with nothing drawn."""

from storyforge.generation.providers.base import Capability, Status
from storyforge.generation.providers.facts import facts_get
from tests.fakes.automatic1111_server import Reply, checkpoint

LOADED = checkpoint("v1-5-pruned-emaonly.safetensors")["title"]


def test_probe_reports_the_loaded_checkpoint(provider, fake_a1111):
    report = provider.probe(Capability.IMAGE)

    assert (report.capability, report.provider, report.endpoint) == ("image", "automatic1111", fake_a1111.base_url)
    assert (report.status, report.model, report.missing) == (Status.OK, LOADED, False)
    assert report.why == f"3 checkpoints; draws with {LOADED}"
    assert [request.endpoint for request in fake_a1111.requests] == ["sd-models", "options"]


def test_probe_reports_the_configured_checkpoint(provider, fake_a1111, settings):
    settings.OPENAI_IMAGE_MODEL = "dreamshaper_8"

    report = provider.probe(Capability.IMAGE)

    assert (report.status, report.model) == (Status.OK, "dreamshaper_8")
    assert fake_a1111.requests_for("options") == []


def test_probe_fails_for_a_checkpoint_the_server_lacks(provider, fake_a1111, settings):
    settings.OPENAI_IMAGE_MODEL = "anything-v5"

    report = provider.probe(Capability.IMAGE)

    assert (report.status, report.model, report.missing) == (Status.FAILING, "anything-v5", False)
    assert LOADED in report.why and "OPENAI_IMAGE_MODEL" in report.why


def test_probe_says_the_api_is_missing(provider, fake_a1111):
    fake_a1111.api_enabled = False

    report = provider.probe(Capability.IMAGE)

    assert (report.status, report.missing) == (Status.FAILING, True)
    assert "--api" in report.why


def test_probe_reports_a_server_that_is_down(provider, fake_a1111):
    fake_a1111.script("sd-models", Reply.error(502, "Bad Gateway"))

    report = provider.probe(Capability.IMAGE)

    assert (report.status, report.missing) == (Status.FAILING, False)
    assert "502" in report.why


def test_probe_asks_afresh_and_updates_what_is_known(provider, fake_a1111):
    provider.probe(Capability.IMAGE)
    fake_a1111.checkpoints.append(checkpoint("anything-v5.safetensors"))

    report = provider.probe(Capability.IMAGE)

    assert report.why.startswith("4 checkpoints")
    assert "anything-v5" in facts_get(fake_a1111.base_url)["models"]
    assert len(fake_a1111.requests_for("sd-models")) == 2
    assert fake_a1111.requests_for("txt2img") == fake_a1111.requests_for("img2img") == []


def test_probe_after_the_api_was_added_clears_the_missing_fact(provider, fake_a1111):
    fake_a1111.api_enabled = False
    provider.probe(Capability.IMAGE)
    fake_a1111.api_enabled = True

    report = provider.probe(Capability.IMAGE)

    assert report.status == Status.OK
    assert not provider.capability_missing("image")


def test_other_capabilities_are_missing(provider, fake_a1111):
    report = provider.probe(Capability.TEXT)

    assert (report.capability, report.status, report.missing) == ("text", Status.FAILING, True)
    assert fake_a1111.requests == []
