"""Every AI call goes through `provider_call`: the circuit breaker, the latency
and error metrics, the running job's charges (storyforge.generation.charges), and
no database connection held while the AI answers (a worker thread waiting on a
picture for a minute must not keep a PostgreSQL connection from everyone else)."""

from storyforge.core import metrics
from storyforge.core.errors import ErrorCode
from storyforge.core.queues import database_connections_release
from storyforge.generation import breaker
from storyforge.generation.charges import charge_note, usage_of
from storyforge.generation.providers import provider_get
from storyforge.generation.providers.base import Capability, ProviderError


def provider_call(call, *args, **kwargs):
    """One AI call through the circuit breaker: transient failures count against it."""
    breaker.breaker_allow()
    database_connections_release()  # the next query takes one again
    try:
        with metrics.ai_call_measured(call):
            result = call(*args, **kwargs)
    except ProviderError as error:
        charge_note(error.usage)  # an answer that was paid for, then could not be used
        if error.transient:
            breaker.breaker_record_failure()
        raise
    breaker.breaker_record_success()
    charge_note(usage_of(result))
    return result


def generated_text_moderate(texts: list[str], *, refusal: str):
    """Moderate what the AI wrote, before anything of it is saved: the moderation's
    result (for its usage), or a permanent CONTENT_FLAGGED ProviderError saying
    `refusal` when any of `texts` is unsuitable for children."""
    moderation = provider_call(provider_get(Capability.MODERATION).moderate, texts)
    if moderation.flagged:
        raise ProviderError(ErrorCode.CONTENT_FLAGGED, refusal, transient=False)
    return moderation
