"""What `manage.py ai_check` asks an OpenAI-compatible server, one capability at a
time: cheap requests that find out what works, remembered in the server's facts.

- text: the model list (is the configured model there?), then a tiny JSON request
  that walks the structured-output modes until one is accepted;
- image: a POST with an empty body to the images endpoint. A server that has it
  refuses the body (400/422) and draws nothing, so nothing is paid; one without
  it answers 404 or 405;
- moderation: one short harmless text (or, for the text model, one verdict);
- speech: an empty POST to /v1/audio/speech, refused without speaking.
"""

from __future__ import annotations

import openai
from django.conf import settings

from storyforge.generation.providers import prompts
from storyforge.generation.providers.base import Capability, CapabilityReport, ProviderError, Status
from storyforge.generation.providers.facts import facts_forget, facts_get, facts_learn
from storyforge.generation.providers.openai import chat
from storyforge.generation.providers.openai.errors import error_message, provider_error
from storyforge.generation.providers.openai.server import endpoint_lacking

HARMLESS = "A friendly dragon shares a picnic with two rabbits."


def capability_probe(provider, capability: str) -> CapabilityReport:
    if capability == Capability.TEXT:
        return _text(provider)
    if capability == Capability.IMAGE:
        return _image(provider)
    if capability == Capability.SPEECH:
        return _speech(provider)
    return _moderation(provider)


def _report(provider, capability, model, status, why, *, missing=False, name=None) -> CapabilityReport:
    return CapabilityReport(
        capability=str(capability),
        provider=name or provider.name,
        endpoint=provider.server,
        model=model,
        status=status,
        why=why,
        missing=missing,
    )


def _text(provider) -> CapabilityReport:
    model = settings.OPENAI_TEXT_MODEL
    try:
        facts = provider.models_learn()
        provider.model_check(model, "OPENAI_TEXT_MODEL")
        facts_forget(provider.server, "structured_output")  # ask afresh, from the best mode
        provider.json_ask(prompts.PROBE_MESSAGES, prompts.PROBE_SCHEMA, "probe", dict, what="answer")
    except ProviderError as error:
        return _report(provider, Capability.TEXT, model, Status.FAILING, error.message)
    mode = facts_get(provider.server).get("structured_output", chat.MODES[0])
    listed = facts.get("models")
    models = f"The server lists {len(listed)} model(s). " if listed is not None else "The server lists no models. "
    if mode == chat.MODES[0]:
        return _report(provider, Capability.TEXT, model, Status.OK, f"{models}Structured output: json_schema.")
    return _report(
        provider,
        Capability.TEXT,
        model,
        Status.FALLBACK,
        f"{models}The server refuses json_schema; the schema goes in the prompt ({mode}).",
    )


def _image(provider) -> CapabilityReport:
    return _endpoint_probe(provider, Capability.IMAGE, "/images/generations", settings.OPENAI_IMAGE_MODEL)


def _speech(provider) -> CapabilityReport:
    model = f"{settings.OPENAI_SPEECH_MODEL} ({settings.OPENAI_SPEECH_VOICE})"
    return _endpoint_probe(provider, Capability.SPEECH, "/audio/speech", model)


def _endpoint_probe(provider, capability, path: str, model: str) -> CapabilityReport:
    """Whether the server has `path`: a POST with an empty body, which a server that
    has it refuses (400/422) without drawing or speaking anything."""
    shown = f"/v1{path.rsplit('/', 1)[0] if capability == Capability.IMAGE else path}"
    facts_forget(provider.server, str(capability))
    try:
        answer = provider.client.post(path, body={}, cast_to=object)
        if isinstance(answer, dict) and endpoint_lacking(str(answer.get("error") or "")):
            facts_learn(provider.server, **{str(capability): "missing"})
            why = f"The server has no {shown} endpoint (it answered 200 with an error)."
            return _report(provider, capability, model, Status.FAILING, why, missing=True)
    except openai.APIStatusError as error:
        status = error.status_code
        if status in (404, 405) and "model" not in error_message(error).lower():
            facts_learn(provider.server, **{str(capability): "missing"})
            why = f"The server has no {shown} endpoint (it answered {status})."
            return _report(provider, capability, model, Status.FAILING, why, missing=True)
        if status not in (400, 422):
            return _report(provider, capability, model, Status.FAILING, error_message(error))
    except openai.OpenAIError as error:
        failure = provider_error(error, timeout=provider.endpoint.timeout)
        return _report(provider, capability, model, Status.FAILING, failure.message)
    except ProviderError as error:  # the client could not be set up (no key for OpenAI's service)
        return _report(provider, capability, model, Status.FAILING, error.message)
    facts_learn(provider.server, **{str(capability): "present"})
    return _report(provider, capability, model, Status.OK, f"The server has a {shown} endpoint.")


def _moderation(provider) -> CapabilityReport:
    if provider.moderation_by_text_model:
        model = settings.OPENAI_TEXT_MODEL
        try:
            provider.moderate([HARMLESS])
        except ProviderError as error:
            return _report(provider, Capability.MODERATION, model, Status.FAILING, error.message, name="text-model")
        return _report(
            provider,
            Capability.MODERATION,
            model,
            Status.OK,
            "The text model judges each text, after the built-in word list.",
            name="text-model",
        )
    model = settings.OPENAI_MODERATION_MODEL
    facts_forget(provider.server, "moderation")
    try:
        provider.moderate([HARMLESS])
    except ProviderError as error:
        missing = facts_get(provider.server).get("moderation") == "missing"
        return _report(provider, Capability.MODERATION, model, Status.FAILING, error.message, missing=missing)
    facts_learn(provider.server, moderation="present")
    return _report(provider, Capability.MODERATION, model, Status.OK, "The server has a moderation endpoint.")
