"""Every AI call goes through `provider_call`: the circuit breaker, and the latency
and error metrics."""

from storyforge.core import metrics
from storyforge.generation import breaker
from storyforge.generation.providers.base import ProviderError


def provider_call(call, *args, **kwargs):
    """One AI call through the circuit breaker: transient failures count against it."""
    breaker.breaker_allow()
    try:
        with metrics.ai_call_measured(call):
            result = call(*args, **kwargs)
    except ProviderError as error:
        if error.transient:
            breaker.breaker_record_failure()
        raise
    breaker.breaker_record_success()
    return result
