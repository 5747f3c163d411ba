"""What the `openai` client raises, as StoryForge's ProviderError: which ErrorCode,
what to tell the reader (never the API key), whether trying again may help, and
how long the service asked us to wait. The one mapping, used around every call.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime

import openai
from django.conf import settings

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import ProviderError

_POLICY_WORDS = re.compile(r"\b(moderation|safety)\b", re.IGNORECASE)
_KEY_PATTERN = re.compile(r"\b(sk|rk|pk)-[A-Za-z0-9_\-*]{6,}")


@contextlib.contextmanager
def openai_errors_mapped(timeout: float | None = None) -> Iterator[None]:
    """Turn whatever the `openai` client raises inside the block into a ProviderError."""
    try:
        yield
    except openai.OpenAIError as error:
        raise provider_error(error, timeout=timeout) from error
    except json.JSONDecodeError as error:  # a 200 whose body is not JSON
        raise ProviderError(
            ErrorCode.AI_SERVER_ERROR,
            "The AI service sent an answer that could not be read; trying again may help.",
            transient=True,
        ) from error


def provider_error(error: openai.OpenAIError, *, timeout: float | None = None) -> ProviderError:
    """The one mapping from the `openai` client's errors to StoryForge's codes."""
    if isinstance(error, openai.APITimeoutError):
        timeout = settings.OPENAI_TIMEOUT if timeout is None else timeout
        return ProviderError(
            ErrorCode.AI_TIMEOUT, f"The AI service did not answer within {timeout:g} s.", transient=True
        )
    if isinstance(error, openai.APIConnectionError):
        return ProviderError(
            ErrorCode.AI_CONNECTION_ERROR, f"Could not reach the AI service: {error.message}", transient=True
        )
    if not isinstance(error, openai.APIStatusError):
        if isinstance(error, openai.APIError):  # an error event inside a stream
            return ProviderError(
                ErrorCode.AI_SERVER_ERROR, f"The AI service reported a problem: {_scrub(error.message)}", transient=True
            )
        return ProviderError(
            ErrorCode.AI_AUTH_FAILED, f"The AI client is not set up: {_scrub(str(error))}", transient=False
        )

    status = error.status_code
    detail = _scrub(_error_message(error))
    if status == 429:
        retry_after = _retry_after(error.response.headers)
        wait = f"; it asked us to wait {retry_after:g} s" if retry_after is not None else ""
        return ProviderError(
            ErrorCode.AI_RATE_LIMITED, f"The AI service is busy (429){wait}.", transient=True, retry_after=retry_after
        )
    if status == 408:
        return ProviderError(ErrorCode.AI_TIMEOUT, "The AI service timed out (408).", transient=True)
    if status == 409 or status >= 500:
        return ProviderError(
            ErrorCode.AI_SERVER_ERROR,
            f"The AI service had a problem ({status}): {detail}",
            transient=True,
            retry_after=_retry_after(error.response.headers),
        )
    if status in (401, 403):
        return ProviderError(
            ErrorCode.AI_AUTH_FAILED,
            f"The AI service refused the API key ({status}): {detail} Check OPENAI_API_KEY.",
            transient=False,
        )
    if status == 404 and "model" in detail.lower():
        # Ollama: `model "x" not found, try pulling it first`; OpenAI: model_not_found.
        return ProviderError(
            ErrorCode.AI_MODEL_MISSING,
            f"The AI server does not have the model asked for (404): {detail} "
            "Check the model setting (manage.py ai_check lists the models it has).",
            transient=False,
        )
    # Whole words only: "safety_identifier" in a message about a bad parameter is no refusal.
    if error.code == "content_policy_violation" or _POLICY_WORDS.search(f"{error.code or ''} {detail}"):
        return ProviderError(
            ErrorCode.CONTENT_FLAGGED, f"The AI service's safety system refused: {detail}", transient=False
        )
    return ProviderError(
        ErrorCode.AI_BAD_REQUEST, f"The AI service rejected the request ({status}): {detail}", transient=False
    )


def _error_message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    if isinstance(body, dict) and isinstance(body.get("detail"), str):  # FastAPI servers (vLLM)
        return body["detail"]
    if isinstance(body, str) and body.strip():  # a plain-text answer: Ollama's "404 page not found"
        return body.strip()[:300]
    return f"{error.response.reason_phrase or 'error'}."


def error_message(error: openai.APIStatusError) -> str:
    """What the server said, without any key."""
    return _scrub(_error_message(error))


def _scrub(text: str) -> str:
    """`text` without the API key, or anything shaped like one."""
    for key in (settings.OPENAI_API_KEY, settings.IMAGE_API_KEY):
        if key and len(key) >= 4:
            text = text.replace(key, "[key]")
    return _KEY_PATTERN.sub("[key]", text)


def _retry_after(headers) -> float | None:
    """Seconds to wait from retry-after-ms, or Retry-After in seconds or as an HTTP date."""
    with contextlib.suppress(TypeError, ValueError):
        return max(0.0, float(headers.get("retry-after-ms")) / 1000)
    value = headers.get("retry-after")
    if not value:
        return None
    with contextlib.suppress(ValueError):
        return max(0.0, float(value))
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return max(0.0, round(parsedate_to_datetime(value).timestamp() - time.time(), 1))
    return None
