"""What the AI calls of the job running in this thread have cost so far.

A job records its cost when it succeeds, from its results. When it fails after the
provider already charged (the story it wrote flagged by moderation, an answer that
could not be read, an error while saving), that cost would be lost; so every call
through `provider_call` notes its charge here, and the job's failure or retry
records what was noted (storyforge.generation.jobs). A job begun while another one
runs in the same thread (tasks run inline) gets its own meter, on top.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from storyforge.generation.providers.base import Usage

# Meters left behind by a task that ended without success or failure (a duplicate
# delivery) are dropped past this depth.
MAX_DEPTH = 8


@dataclass
class _Meter:
    job_id: int
    usage: Usage


_meters: ContextVar[tuple[_Meter, ...]] = ContextVar("storyforge_charge_meters", default=())


def charges_start(job_id: int) -> None:
    """A new attempt of the job begins in this thread: its calls are noted from now on."""
    others = tuple(meter for meter in _meters.get() if meter.job_id != job_id)
    _meters.set((*others[-(MAX_DEPTH - 1) :], _Meter(job_id, Usage())))


def charge_note(usage: Usage) -> None:
    """A call of the running job was charged `usage` (nothing when no job runs here)."""
    meters = _meters.get()
    if meters and (usage.cost or usage.prompt_tokens or usage.completion_tokens):
        meters[-1].usage += usage


def charges_noted(job_id: int) -> Usage:
    """What the job's calls were charged since it began here, its meter still running."""
    return sum((meter.usage for meter in _meters.get() if meter.job_id == job_id), Usage())


def charges_take(job_id: int) -> Usage:
    """What the job's calls were charged since it began here, its meter stopped."""
    noted = charges_noted(job_id)
    _meters.set(tuple(meter for meter in _meters.get() if meter.job_id != job_id))
    return noted


def usage_of(result) -> Usage:
    """The usage a provider's answer carries: one result, or a list of them (portraits)."""
    usage = getattr(result, "usage", None)
    if isinstance(usage, Usage):
        return usage
    if isinstance(result, list | tuple):
        return sum((usage_of(item) for item in result), Usage())
    return Usage()
