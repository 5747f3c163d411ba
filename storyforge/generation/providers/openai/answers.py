"""Reading what an OpenAI-compatible server answered: the JSON object in a reply
(whatever a local model wrapped it in), stories, pages, moderation verdicts and
pictures. ValueError says what is wrong with a reply, for the one repair request."""

from __future__ import annotations

import base64
import binascii
import io
import json
import re

from PIL import Image, UnidentifiedImageError

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import ModerationResult, PageDraft, ProviderError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Reasoning models on Ollama and friends (deepseek-r1, qwen3) think aloud first.
_THINKING = re.compile(r"^\s*<think>.*?</think>\s*", re.DOTALL | re.IGNORECASE)
_FENCED = re.compile(r"```(?:json|JSON)?\s*(\{.*\})\s*```", re.DOTALL)


def thinking_dropped(reply: str) -> str:
    """The reply without a leading <think>...</think> block."""
    return _THINKING.sub("", reply, count=1)


def json_text(reply: str) -> str:
    """The JSON object in a reply: as sent, inside a ``` fence, or between the first
    "{" and the last "}" when a model put words around it."""
    text = thinking_dropped(reply).strip()
    if text.startswith("{") and text.endswith("}"):
        return text
    fenced = _FENCED.search(text)
    if fenced:
        return fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


def json_object(reply: str) -> dict:
    text = json_text(reply)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"it is not valid JSON ({error.msg} at character {error.pos})") from None
    if not isinstance(data, dict):
        raise ValueError("it is not a JSON object")
    return data


def story_parse(data: dict, page_count: int) -> tuple[str, str, tuple[PageDraft, ...]]:
    """Title, summary and pages from a story's JSON."""
    for name in ("title", "summary"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise ValueError(f'"{name}" is missing or empty')
    pages = data.get("pages")
    if not isinstance(pages, list):
        raise ValueError('"pages" is missing or not a list')
    if len(pages) != page_count:
        raise ValueError(f"it has {len(pages)} pages, but the book needs exactly {page_count}")
    drafts = []
    for number, page in enumerate(pages, 1):
        if not isinstance(page, dict):
            raise ValueError(f"page {number} is not an object")
        drafts.append(page_parse(page, f"page {number}"))
    return data["title"].strip(), data["summary"].strip(), tuple(drafts)


def page_parse(data: dict, what: str = "the page") -> PageDraft:
    if not isinstance(data.get("text"), str) or not data["text"].strip():
        raise ValueError(f'{what} has no "text"')
    if not isinstance(data.get("visual_description"), str):
        raise ValueError(f'{what} has no "visual_description"')
    return PageDraft(text=data["text"].strip(), visual_description=data["visual_description"].strip())


def verdict_parse(data: dict) -> ModerationResult:
    """A text model's moderation verdict: {"flagged": bool, "categories": [...]}."""
    flagged = data.get("flagged")
    if not isinstance(flagged, bool):
        raise ValueError('"flagged" is missing or not true/false')
    categories = data.get("categories") or []
    if not isinstance(categories, list):
        raise ValueError('"categories" is not a list')
    return ModerationResult(flagged=flagged, categories=tuple(sorted({str(c) for c in categories})) if flagged else ())


def pngs(response) -> list[bytes]:
    """The PNG bytes of every image in an images answer (converting other formats)."""
    found = []
    for item in response.data or []:
        if not item.b64_json:
            raise ProviderError(
                ErrorCode.AI_INVALID_OUTPUT,
                "The AI service sent a link instead of the picture; StoryForge needs base64 images.",
                transient=False,
            )
        try:
            data = base64.b64decode(item.b64_json, validate=True)
            if not data.startswith(PNG_SIGNATURE):
                buffer = io.BytesIO()
                Image.open(io.BytesIO(data)).save(buffer, "PNG")
                data = buffer.getvalue()
        except (binascii.Error, UnidentifiedImageError, OSError, ValueError):
            raise ProviderError(
                ErrorCode.AI_INVALID_OUTPUT, "The AI service sent a picture that could not be read.", transient=False
            ) from None
        found.append(data)
    if not found:
        raise ProviderError(ErrorCode.AI_INVALID_OUTPUT, "The AI service sent no picture.", transient=False)
    return found
