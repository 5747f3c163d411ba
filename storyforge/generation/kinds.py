"""The kinds of generation job, registered by the apps that ask for them.

The generation layer knows no story and no character. Each app says, when Django
starts (its AppConfig.ready), which Celery task runs each of its kinds and what
happens to its own objects when such a job succeeds or fails for good:

    job_kind_register(JobKind(
        name="story_text", label="Story text", task="stories.tasks.story_text_write",
        on_fail=story_fail_with_job,
    ))

`job_request` refuses a kind nobody registered, so a typo is an error at once and
not a job that no worker will ever run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storyforge.generation.models import GenerationJob
    from storyforge.generation.providers.base import Usage


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    task: str  # the dotted path of the Celery task that runs it, given the job's id
    # Inside the transaction that records the outcome, with the job locked:
    on_succeed: Callable[[GenerationJob, Usage], None] | None = None
    on_fail: Callable[[GenerationJob, str, str], None] | None = None  # (job, code, message)


_KINDS: dict[str, JobKind] = {}


def job_kind_register(kind: JobKind) -> None:
    """Make `kind` known. Registering the same kind again replaces it (a reloaded
    app); two different apps claiming one name is a mistake, refused."""
    existing = _KINDS.get(kind.name)
    if existing and existing.task != kind.task:
        raise ValueError(f"The job kind {kind.name!r} is already registered for {existing.task}.")
    _KINDS[kind.name] = kind


def job_kind_get(name: str) -> JobKind:
    """The registered kind called `name`; LookupError when no app registered it."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No app registered a generation job kind called {name!r}.") from None


def job_kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def job_kind_choices() -> list[tuple[str, str]]:
    """(name, label) of every registered kind: choices for filters and the admin."""
    return [(kind.name, kind.label) for kind in job_kinds()]


def job_kind_label(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.label if kind else name
