"""Pictures judged by the moderation endpoint, for OpenAIProvider.picture_moderate.

OpenAI's `omni-moderation` models take a picture as a multi-modal input item,
`{"type": "image_url", "image_url": {"url": "data:image/png;base64,..."}}`, and
answer one result for the request (its `category_applied_input_types` say which
categories looked at the image). Older text-only models, and compatible servers
whose moderation reads text only, refuse the item with a 400 (422 from FastAPI
servers): that model then cannot judge pictures, which is remembered in the
server's facts so it is not asked again, and pictures pass unjudged, as they do
with the word list.
"""

from __future__ import annotations

import base64
import logging

import openai
from django.conf import settings

from storyforge.generation.providers.base import ModerationResult
from storyforge.generation.providers.facts import facts_get, facts_learn
from storyforge.generation.providers.openai.errors import error_message, openai_errors_mapped

logger = logging.getLogger(__name__)

UNJUDGED = ModerationResult(flagged=False, judged=False)
# The fact naming the moderation model that refused a picture; another model is asked afresh.
FACT = "pictures_refused_by"


def picture_moderate(provider, png: bytes) -> ModerationResult:
    """One picture judged by `provider`'s moderation endpoint (an OpenAIProvider)."""
    model = settings.OPENAI_MODERATION_MODEL
    if facts_get(provider.server).get(FACT) == model:
        return UNJUDGED
    item = {"type": "image_url", "image_url": {"url": "data:image/png;base64," + base64.b64encode(png).decode()}}
    with openai_errors_mapped(provider.endpoint.timeout), provider._endpoint_expected("moderation"):
        try:
            response = provider.client.moderations.create(model=model, input=[item])
        except openai.APIStatusError as error:
            # Mapped by hand: the words of such a refusal ("moderation") would read as a flag.
            if error.status_code not in (400, 422):
                raise
            logger.warning(
                "The moderation model %s at %s cannot judge pictures (%s: %s); pictures pass unjudged.",
                model,
                provider.server,
                error.status_code,
                error_message(error),
            )
            facts_learn(provider.server, **{FACT: model})
            return UNJUDGED
    provider._answered(response, "results", "moderation")
    return verdict_of(response)


def verdict_of(response) -> ModerationResult:
    """A moderation answer as a ModerationResult: flagged when any result is, with the
    categories of the flagged results (texts and pictures read alike)."""
    categories = set()
    for result in response.results:
        if result.flagged:
            flags = result.categories.model_dump(by_alias=True) if result.categories else {}
            categories.update(name for name, on in flags.items() if on)
    return ModerationResult(
        flagged=any(result.flagged for result in response.results), categories=tuple(sorted(categories))
    )
