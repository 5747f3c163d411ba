"""The kind of generation job the characters app asks for: a set of portrait
candidates. Registered when Django starts (CharactersConfig.ready)."""

from django.utils import timezone

from characters.models import PORTRAIT_JOB, Character
from storyforge.generation.kinds import JobKind, job_kind_register
from storyforge.generation.routing import task_computes_register


def character_touch_on_fail(job, code: str, message: str) -> None:
    """The character page asks again for its portraits' state when it changes."""
    if job.character_id:
        Character.objects.filter(pk=job.character_id).update(updated_at=timezone.now())


def character_job_kinds_register() -> None:
    job_kind_register(
        JobKind(
            name=PORTRAIT_JOB,
            label="Portrait candidates",
            task="characters.tasks.portrait_candidates_draw",
            on_fail=character_touch_on_fail,
        )
    )
    # The offline artist draws on this machine: CPU work (storyforge.generation.routing).
    task_computes_register("characters.tasks.portrait_candidates_draw", capability="image")
