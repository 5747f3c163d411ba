"""What an OpenAI-compatible server has, found out by asking and kept in its facts
(facts.py): the models it lists, and whether it has an endpoint at all."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import openai

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import ProviderError
from storyforge.generation.providers.facts import facts_get, facts_learn, models_fresh
from storyforge.generation.providers.openai.errors import error_message, openai_errors_mapped

ENDPOINT_PATHS = {"image": "/v1/images", "moderation": "/v1/moderations", "speech": "/v1/audio/speech"}


class ServerFacts:
    """For OpenAIProvider: `server`, `client` and `endpoint` come from it."""

    def capability_missing(self, capability: str) -> bool:
        return facts_get(self.server).get(capability) == "missing"

    def models_learn(self) -> dict:
        """Ask the server which models it has, and remember. A server without a model
        list is not held to one; one that cannot be reached is asked again next time."""
        try:
            with openai_errors_mapped(self.endpoint.timeout):
                listed = list(self.client.models.list())
        except ProviderError as error:
            if error.code in (ErrorCode.AI_BAD_REQUEST, ErrorCode.AI_MODEL_MISSING):  # 404/405: no list here
                return facts_learn(self.server, models=None, models_at=time.time())
            raise
        # llama.cpp lists the one model it loaded and answers to any name.
        any_name = any(getattr(model, "owned_by", "") == "llamacpp" for model in listed)
        return facts_learn(
            self.server, models=sorted(model.id for model in listed), models_any=any_name, models_at=time.time()
        )

    def model_check(self, model: str, variable: str) -> None:
        """A permanent AI_MODEL_MISSING when the server lists its models and `model` is not one."""
        facts = facts_get(self.server)
        if not models_fresh(facts):
            try:
                facts = self.models_learn()
            except ProviderError:
                return  # the call itself will say what is wrong with the server
        models = facts.get("models")
        if models is None or facts.get("models_any") or model_listed(model, models):
            return
        available = ", ".join(models[:20]) or "none"
        raise ProviderError(
            ErrorCode.AI_MODEL_MISSING,
            f"The AI server at {self.server} has no model '{model}'; it has: {available}. Set {variable} to one "
            f"of them, or fetch '{model}' on the server (for Ollama: ollama pull {model}).",
            transient=False,
        )

    @contextlib.contextmanager
    def _endpoint_expected(self, capability: str) -> Iterator[None]:
        """Learn, from a 404 or 405 that is not about a model, that the server has no
        endpoint for `capability`: AI_CAPABILITY_MISSING now and on later calls."""
        if self.capability_missing(capability):
            raise self._missing_error(capability, "known")
        try:
            yield
        except openai.APIStatusError as error:
            if error.status_code not in (404, 405) or "model" in error_message(error).lower():
                raise
            facts_learn(self.server, **{capability: "missing"})
            raise self._missing_error(capability, str(error.status_code)) from None

    def _answered(self, response, field: str, capability: str) -> None:
        """An answer without `field` is no answer. LM Studio answers a route it lacks
        with 200 and {"error": "Unexpected endpoint or method. (...)"}: that is a
        missing endpoint like any 404."""
        if getattr(response, field, None) is not None:
            return
        error = str((response.model_extra or {}).get("error") or "")
        if endpoint_lacking(error):
            facts_learn(self.server, **{capability: "missing"})
            raise self._missing_error(capability, "200 with an error")
        raise ProviderError(
            ErrorCode.AI_INVALID_OUTPUT,
            f"The AI service answered without {field}: {error[:200] or 'an empty answer'}.",
            transient=False,
        )

    def _missing_error(self, capability: str, status: str) -> ProviderError:
        answer = "as learnt earlier" if status == "known" else f"it answered {status}"
        return ProviderError(
            ErrorCode.AI_CAPABILITY_MISSING,
            f"The AI server at {self.server} has no {ENDPOINT_PATHS[capability]} endpoint ({answer}).",
            transient=False,
        )


def model_listed(model: str, models: list[str]) -> bool:
    """Whether `model` is in the list; Ollama answers to "llama3.2" (in any case) for
    "llama3.2:latest"."""
    listed = {name.lower().removesuffix(":latest") for name in models}
    return model.lower().removesuffix(":latest") in listed


def endpoint_lacking(error: str) -> bool:
    """Whether an error in a 200 answer says the route does not exist (LM Studio)."""
    return "unexpected endpoint" in error.lower()
