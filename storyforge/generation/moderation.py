"""Checking people's own words before anything is generated from them, and the
pictures that come back before anyone sees them.

Words: `text_moderate` in the web request, for what a grown-up typed;
`sheet_texts` and `brief_texts` list every word of theirs a prompt carries, so
that no field reaches a prompt unchecked. Pictures: `picture_moderate` for an
upload (in the web request), `drawn_pictures_moderate` in the worker for what the
AI drew. A provider that cannot judge pictures (the word list, the text model)
lets them pass unjudged.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

from storyforge.core.errors import AIUnavailable, ContentFlagged, ErrorCode, GenerationFailed
from storyforge.core.queues import database_connections_release
from storyforge.generation import breaker
from storyforge.generation.calls import provider_call
from storyforge.generation.providers import provider_get
from storyforge.generation.providers.base import (
    Capability,
    CharacterSheet,
    DrawnImage,
    ModerationResult,
    ProviderError,
    StoryBrief,
)
from storyforge.generation.retry import retry_delay

logger = logging.getLogger(__name__)


def text_moderate(texts: list[str]) -> None:
    """ContentFlagged when any text is unsuitable for a children's book.

    Runs in the web request, so a transient AI failure answers AI_UNAVAILABLE at
    once rather than waiting for retries.
    """
    texts = [text for text in texts if text and text.strip()]
    if not texts:
        return
    result = _asked_in_request(lambda provider: provider.moderate(texts))
    if result.flagged:
        raise ContentFlagged(
            "Some of the words are not suitable for a children's book; please change them and try again.",
            details={"categories": list(result.categories)},
        )


def sheet_texts(sheet: CharacterSheet) -> list[str]:
    """Every word of a character that goes into a prompt and that a grown-up may have
    typed: the name, the traits of their own, clothing, distinctive features,
    backstory and likes (the palettes are fixed choices)."""
    return [
        sheet.name,
        *sheet.traits,
        sheet.clothing,
        sheet.distinctive_features,
        sheet.backstory,
        sheet.likes,
    ]


def brief_texts(brief: StoryBrief) -> list[str]:
    """Every word of a brief that a grown-up may have typed, as the prompts carry them:
    the characters, the relationships with their notes, the moral and the setting."""
    texts = [brief.moral, brief.setting, *brief.relationships]
    for sheet in brief.characters:
        texts += sheet_texts(sheet)
    return texts


PICTURE_FLAGGED = "This picture does not look suitable for a children's book, so it was not kept. Choose another one."


def picture_moderate(png: bytes) -> None:
    """ContentFlagged when a picture a grown-up uploaded is unsuitable for a children's
    book; like text_moderate, it runs in the web request."""
    result = _asked_in_request(lambda provider: provider.picture_moderate(png))
    if result.flagged:
        raise ContentFlagged(PICTURE_FLAGGED, details={"categories": list(result.categories)})


def _asked_in_request(ask) -> ModerationResult:
    breaker.breaker_check()
    database_connections_release()  # a web worker waiting on the AI holds no connection either
    try:
        return ask(provider_get(Capability.MODERATION))
    except ProviderError as error:
        if error.transient:
            breaker.breaker_record_failure()
            raise AIUnavailable(error.message) from None
        raise GenerationFailed(error.message, details={"provider_code": error.code}) from None


def drawn_pictures_moderate(images: list[DrawnImage], *, refusal: str) -> None:
    """In the worker, before anything drawn is saved: a permanent CONTENT_FLAGGED
    ProviderError saying `refusal` (with `{flagged}` and `{drawn}` filled in) when
    any picture is unsuitable, so that none of them is ever shown.

    The pictures are paid for already, so a transient failure of the (free)
    moderation call is tried again here, with the pipeline's backoff and limit,
    rather than failing the job and drawing everything again."""
    provider = provider_get(Capability.MODERATION)
    flagged = [image for image in images if _picture_judged(provider, image.png).flagged]
    if flagged:
        raise ProviderError(
            ErrorCode.CONTENT_FLAGGED,
            refusal.format(flagged=len(flagged), drawn=len(images)),
            transient=False,
        )


def _picture_judged(provider, png: bytes) -> ModerationResult:
    attempt = 0
    while True:
        try:
            return provider_call(provider.picture_moderate, png)
        except ProviderError as error:
            if not error.transient or attempt >= settings.STORYFORGE_RETRY_LIMIT:
                raise
            logger.info("Picture moderation failed (%s); asking again, attempt %s.", error.code, attempt + 2)
            time.sleep(retry_delay(attempt, error.retry_after))
            attempt += 1
