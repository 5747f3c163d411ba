"""A capability served by a stand-in when the server lacks it.

An OpenAI-compatible server without `/v1/images` or `/v1/moderations` (Ollama,
llama.cpp, vLLM, LM Studio) answers 404 or 405; the provider then raises
AI_CAPABILITY_MISSING (at once, on later calls: it remembers). `WithFallback`
catches exactly that and asks the stand-in, logging it once per process.
"""

from __future__ import annotations

import dataclasses

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import (
    CapabilityReport,
    ProviderBase,
    ProviderError,
    Status,
)
from storyforge.generation.providers.facts import fallback_note


class WithFallback(ProviderBase):
    def __init__(self, capability: str, primary: ProviderBase, stand_in: ProviderBase, why: str):
        super().__init__(primary.endpoint)
        self.capability = capability
        self.primary = primary
        self.stand_in = stand_in
        self.why = why
        self.name = primary.name

    def _call(self, method: str, *args, **kwargs):
        try:
            return getattr(self.primary, method)(*args, **kwargs)
        except ProviderError as error:
            if error.code != ErrorCode.AI_CAPABILITY_MISSING:
                raise
            fallback_note(str(self.primary.endpoint) or self.primary.name, self.capability, self.why)
        result = getattr(self.stand_in, method)(*args, **kwargs)
        if method == "portrait_draw":
            return [dataclasses.replace(image, provider=self.stand_in.name) for image in result]
        if method in ("page_illustrate", "speak"):
            return dataclasses.replace(result, provider=self.stand_in.name)
        return result

    def portrait_draw(self, *args, **kwargs):
        return self._call("portrait_draw", *args, **kwargs)

    def page_illustrate(self, *args, **kwargs):
        return self._call("page_illustrate", *args, **kwargs)

    def moderate(self, *args, **kwargs):
        return self._call("moderate", *args, **kwargs)

    def picture_moderate(self, *args, **kwargs):
        return self._call("picture_moderate", *args, **kwargs)

    def speak(self, *args, **kwargs):
        return self._call("speak", *args, **kwargs)

    def cost_estimate(self, **kwargs):
        if self.primary.capability_missing(self.capability):
            return self.stand_in.cost_estimate(**kwargs)
        return self.primary.cost_estimate(**kwargs)

    def probe(self, capability) -> CapabilityReport:
        report = self.primary.probe(capability)
        if not report.missing:
            return report
        stand_in = self.stand_in.probe(capability)
        return dataclasses.replace(
            stand_in,
            status=Status.FALLBACK if stand_in.status != Status.FAILING else Status.FAILING,
            why=f"{report.why} So {self.why}. {stand_in.why}".strip(),
        )

    def close(self) -> None:
        self.primary.close()
        self.stand_in.close()
