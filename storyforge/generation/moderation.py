"""Checking people's own words before anything is generated from them."""

from __future__ import annotations

from storyforge.core.errors import AIUnavailable, ContentFlagged, GenerationFailed
from storyforge.generation import breaker
from storyforge.generation.providers import provider_get
from storyforge.generation.providers.base import Capability, ProviderError


def text_moderate(texts: list[str]) -> None:
    """ContentFlagged when any text is unsuitable for a children's book.

    Runs in the web request, so a transient AI failure answers AI_UNAVAILABLE at
    once rather than waiting for retries.
    """
    texts = [text for text in texts if text and text.strip()]
    if not texts:
        return
    breaker.breaker_check()
    try:
        result = provider_get(Capability.MODERATION).moderate(texts)
    except ProviderError as error:
        if error.transient:
            breaker.breaker_record_failure()
            raise AIUnavailable(error.message) from None
        raise GenerationFailed(error.message, details={"provider_code": error.code}) from None
    if result.flagged:
        raise ContentFlagged(
            "Some of the words are not suitable for a children's book; please change them and try again.",
            details={"categories": list(result.categories)},
        )
