"""What each capability is served by, and how well: asked of the servers by
`manage.py ai_check` (`capabilities_check`), or read from what earlier calls
learnt, with no network, for `/readyz` and the admin (`capabilities_known`)."""

from __future__ import annotations

from storyforge.generation.providers import endpoint_of, provider_get, provider_name
from storyforge.generation.providers.base import Capability, CapabilityReport, Status
from storyforge.generation.providers.facts import facts_get

OPENAI_API = "https://api.openai.com/v1"


def capabilities_check() -> list[CapabilityReport]:
    """Ask every capability's server what works, now (and remember it)."""
    return [provider_get(capability).probe(capability) for capability in Capability]


def capabilities_known() -> list[CapabilityReport]:
    """What earlier calls and checks learnt, without asking any server."""
    return [_known(capability) for capability in Capability]


def capabilities_summary() -> str:
    """One line for /readyz: each capability's provider and status, no addresses."""
    return "; ".join(f"{r.capability}: {r.provider} {r.status}" for r in capabilities_known())


def _known(capability: Capability) -> CapabilityReport:
    name, explicit = provider_name(capability)
    endpoint = endpoint_of(capability)
    if name == "offline":
        return CapabilityReport(str(capability), name, "built-in", "", Status.OK, "Built into StoryForge.")
    server = (endpoint.base_url or (OPENAI_API if name != "automatic1111" else "")).rstrip("/")
    facts = facts_get(server)
    if not facts:
        return CapabilityReport(str(capability), name, server, "", Status.OK, "Not asked yet (run manage.py ai_check).")
    if name == "text-model":
        return CapabilityReport(str(capability), name, server, "", Status.OK, "The text model judges each text.")
    if capability == Capability.TEXT:
        mode = facts.get("structured_output", "json_schema")
        if mode != "json_schema":
            return CapabilityReport(
                str(capability),
                name,
                server,
                "",
                Status.FALLBACK,
                f"The server refuses json_schema; asking with {mode}.",
            )
        return CapabilityReport(str(capability), name, server, "", Status.OK, "Structured output: json_schema.")
    if facts.get(str(capability)) == "missing":
        if explicit:
            return CapabilityReport(
                str(capability), name, server, "", Status.FAILING, "The server has no endpoint for this.", missing=True
            )
        stand_in = "text-model" if capability == Capability.MODERATION else "offline"
        return CapabilityReport(
            str(capability),
            stand_in,
            server,
            "",
            Status.FALLBACK,
            f"The server has no endpoint for this; {stand_in} stands in.",
        )
    return CapabilityReport(str(capability), name, server, "", Status.OK, "Answering.")


def speech_problem() -> str | None:
    """Why nothing can read aloud here, in words saying what to install or set; None
    when a voice is available (or may be: a server not asked yet)."""
    from storyforge.generation.providers.offline import voice

    report = _known(Capability.SPEECH)
    if report.provider == "offline" and not voice.espeak_anywhere():
        return (
            "Narration needs a voice: install espeak-ng on the machines running the workers "
            "(apt-get install espeak-ng), or set SPEECH_BASE_URL to a speech server (docs/narration.md)."
        )
    if report.status == Status.FAILING:
        return (
            f"The speech server at {report.endpoint} has no /v1/audio/speech endpoint: point SPEECH_BASE_URL "
            "at one that has, or leave STORYFORGE_SPEECH_PROVIDER unset to use espeak-ng (docs/narration.md)."
        )
    return None
