"""The OpenAI provider: stories from a chat model with structured output, pictures
from an image model, and the moderation endpoint. Works with any server that
speaks the OpenAI API (OPENAI_BASE_URL), such as Ollama's.

This package is the only place that imports `openai`; errors.py turns what the
client raises into ProviderError. The client's own retries are off: the
pipeline's retry policy decides, from `ProviderError.transient` and
`retry_after`, whether and when to try again.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import io
import json
import logging
import re
from decimal import Decimal
from pathlib import Path

import openai
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from storyforge.core.errors import ErrorCode
from storyforge.core.reading import reading_grade, reading_level_fits
from storyforge.generation.providers import prompts
from storyforge.generation.providers.base import (
    CharacterSheet,
    DrawnImage,
    ModerationResult,
    PageDraft,
    PageRewrite,
    Provider,
    ProviderError,
    Scene,
    StoryBrief,
    StoryDraft,
    Usage,
)
from storyforge.generation.providers.openai.errors import openai_errors_mapped

logger = logging.getLogger(__name__)

PORTRAIT_SIZE = "1024x1024"
PAGE_SIZE = "1536x1024"  # landscape, like a picture-book spread
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class OpenAIProvider(Provider):
    name = "openai"

    def __init__(self):
        self._client: openai.OpenAI | None = None

    def close(self) -> None:
        """Close the HTTP connections; the provider opens new ones if used again."""
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            with openai_errors_mapped():  # a missing key is an OpenAIError here
                self._client = openai.OpenAI(
                    api_key=settings.OPENAI_API_KEY,
                    base_url=settings.OPENAI_BASE_URL or None,
                    max_retries=0,
                    timeout=openai.Timeout(settings.OPENAI_TIMEOUT, connect=min(5.0, settings.OPENAI_TIMEOUT)),
                )
        return self._client

    def cost_estimate(self, *, text_pages: int = 0, images: int = 0) -> Decimal:
        # A brief and its story: about 1,500 prompt tokens and 150 written per page.
        text = _text_usage(1500, 150 * text_pages).cost if text_pages else Decimal("0")
        return text + images * Decimal(settings.OPENAI_PRICE_IMAGE)

    # -- stories ----------------------------------------------------------------

    def story_write(self, brief: StoryBrief) -> StoryDraft:
        draft = self._story_attempt(brief)
        grade = reading_grade(_story_text(draft), brief.language)
        if not brief.stricter_reading_level and not reading_level_fits(brief.age_group, grade):
            logger.info("Story reads at grade %s, outside the %s range: writing it once more.", grade, brief.age_group)
            second = self._story_attempt(dataclasses.replace(brief, stricter_reading_level=True))
            draft = dataclasses.replace(second, usage=draft.usage + second.usage)
        return draft

    def _story_attempt(self, brief: StoryBrief) -> StoryDraft:
        """One story, with one repair when the reply is not a usable story."""
        messages = prompts.story_messages(brief)
        reply, usage = self._chat(messages)
        try:
            title, summary, pages = _story_parse(reply, brief.page_count)
        except ValueError as problem:
            logger.info("Story reply unusable (%s): asking once for a repair.", problem)
            reply, repair_usage = self._chat(prompts.repair_messages(messages, reply, str(problem)))
            usage = usage + repair_usage
            try:
                title, summary, pages = _story_parse(reply, brief.page_count)
            except ValueError as problem_again:
                raise ProviderError(
                    ErrorCode.AI_INVALID_OUTPUT,
                    f"The AI service did not write a usable story, even when asked again: {problem_again}.",
                    transient=False,
                ) from None
        return StoryDraft(title=title, summary=summary, pages=pages, usage=usage, model=settings.OPENAI_TEXT_MODEL)

    def page_rewrite(self, brief: StoryBrief, pages: tuple[PageDraft, ...], number: int) -> PageRewrite:
        messages = prompts.page_rewrite_messages(brief, pages, number)
        reply, usage = self._chat(messages, schema=prompts.PAGE_SCHEMA, schema_name="picture_book_page")
        try:
            data = json.loads(reply)
            page = PageDraft(data["text"].strip(), data["visual_description"].strip())
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ProviderError(
                ErrorCode.AI_INVALID_OUTPUT, "The AI service did not write a usable page.", transient=False
            ) from None
        if not page.text:
            raise ProviderError(ErrorCode.AI_INVALID_OUTPUT, "The AI service wrote an empty page.", transient=False)
        return PageRewrite(page=page, usage=usage, model=settings.OPENAI_TEXT_MODEL)

    def _chat(
        self, messages: list[dict], *, schema: dict = prompts.STORY_SCHEMA, schema_name: str = "picture_book"
    ) -> tuple[str, Usage]:
        """The streamed reply to `messages`, put together, and what it cost. A stream
        that ends without a finish reason was cut off, which may not happen again."""
        parts, finish_reason, refusal = [], None, ""
        prompt_tokens = completion_tokens = 0
        with openai_errors_mapped():
            stream = self.client.chat.completions.create(
                model=settings.OPENAI_TEXT_MODEL,
                messages=messages,
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": schema_name, "schema": schema, "strict": True},
                },
                stream=True,
                stream_options={"include_usage": True},
            )
            with stream:
                for chunk in stream:
                    if chunk.usage:
                        prompt_tokens, completion_tokens = chunk.usage.prompt_tokens, chunk.usage.completion_tokens
                    for choice in chunk.choices:
                        parts.append(choice.delta.content or "")
                        refusal += getattr(choice.delta, "refusal", None) or ""
                        finish_reason = choice.finish_reason or finish_reason
        usage = _text_usage(prompt_tokens, completion_tokens)
        if refusal or finish_reason == "content_filter":
            raise ProviderError(
                ErrorCode.CONTENT_FLAGGED,
                f"The AI service declined to write this story: {refusal or 'content filter'}.",
                transient=False,
            )
        if finish_reason is None:
            raise ProviderError(
                ErrorCode.AI_SERVER_ERROR,
                "The AI service's answer was incomplete; trying again may help.",
                transient=True,
            )
        reply = "".join(parts)
        if finish_reason == "length":
            reply += "\n[cut off: the reply reached the length limit]"
        return reply, usage

    # -- pictures ---------------------------------------------------------------

    def portrait_draw(self, character: CharacterSheet, *, count: int, art_style: str, seed: int) -> list[DrawnImage]:
        """`count` candidates from one request. A compatible server that draws fewer
        than asked gives fewer candidates; none at all is an error."""
        # OpenAI's image models take no seed: the seed picks the pose instead, so that
        # drawing again gives different candidates.
        prompt = prompts.portrait_prompt(character, art_style, seed)
        with openai_errors_mapped():
            response = self.client.images.generate(
                model=settings.OPENAI_IMAGE_MODEL, prompt=prompt, n=count, size=PORTRAIT_SIZE, **_b64_option()
            )
        pngs = _pngs(response)
        cost = Decimal(settings.OPENAI_PRICE_IMAGE)
        return [
            DrawnImage(png=png, prompt=prompt, model=settings.OPENAI_IMAGE_MODEL, usage=Usage(cost=cost))
            for png in pngs[:count]
        ]

    def page_illustrate(self, scene: Scene) -> DrawnImage:
        """The page's picture, drawn from the characters' selected portraits when they
        have them, so they look the same as on the portraits."""
        prompt = prompts.scene_prompt(scene)
        references = []
        for character in scene.characters:
            if character.portrait_path:
                try:
                    data = Path(character.portrait_path).read_bytes()
                except OSError:
                    logger.warning("Portrait of %s is missing at %s.", character.name, character.portrait_path)
                    continue
                references.append((Path(character.portrait_path).name, data, "image/png"))
        common = {"model": settings.OPENAI_IMAGE_MODEL, "prompt": prompt, "n": 1, "size": PAGE_SIZE, **_b64_option()}
        with openai_errors_mapped():
            if references:
                response = self.client.images.edit(image=references, **common)
            else:
                response = self.client.images.generate(**common)
        png = _pngs(response)[0]
        cost = Decimal(settings.OPENAI_PRICE_IMAGE)
        return DrawnImage(png=png, prompt=prompt, model=settings.OPENAI_IMAGE_MODEL, usage=Usage(cost=cost))

    # -- moderation -------------------------------------------------------------

    def moderate(self, texts: list[str]) -> ModerationResult:
        texts = [text for text in texts if text and text.strip()]
        if not texts:
            return ModerationResult(flagged=False)
        with openai_errors_mapped():
            response = self.client.moderations.create(model=settings.OPENAI_MODERATION_MODEL, input=texts)
        categories = set()
        for result in response.results:
            if result.flagged:
                flags = result.categories.model_dump(by_alias=True) if result.categories else {}
                categories.update(name for name, on in flags.items() if on)
        return ModerationResult(
            flagged=any(result.flagged for result in response.results), categories=tuple(sorted(categories))
        )


# -- reading answers -------------------------------------------------------------


def _story_parse(reply: str, page_count: int) -> tuple[str, str, tuple[PageDraft, ...]]:
    """Title, summary and pages from a story reply; ValueError says what is wrong with it."""
    text = reply.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", text, re.DOTALL)  # some compatible servers fence JSON
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"it is not valid JSON ({error.msg} at character {error.pos})") from None
    if not isinstance(data, dict):
        raise ValueError("it is not a JSON object")
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
        if not isinstance(page.get("text"), str) or not page["text"].strip():
            raise ValueError(f'page {number} has no "text"')
        if not isinstance(page.get("visual_description"), str):
            raise ValueError(f'page {number} has no "visual_description"')
        drafts.append(PageDraft(text=page["text"].strip(), visual_description=page["visual_description"].strip()))
    return data["title"].strip(), data["summary"].strip(), tuple(drafts)


def _story_text(draft: StoryDraft) -> str:
    return "\n".join(page.text for page in draft.pages)


def _text_usage(prompt_tokens: int, completion_tokens: int) -> Usage:
    cost = (
        Decimal(prompt_tokens) * Decimal(settings.OPENAI_PRICE_TEXT_INPUT)
        + Decimal(completion_tokens) * Decimal(settings.OPENAI_PRICE_TEXT_OUTPUT)
    ) / Decimal(1_000_000)
    return Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, cost=cost)


def _b64_option() -> dict:
    # DALL·E answers with URLs unless asked; GPT image models always send base64
    # and reject the parameter.
    return {"response_format": "b64_json"} if settings.OPENAI_IMAGE_MODEL.startswith("dall-e") else {}


def _pngs(response) -> list[bytes]:
    """The PNG bytes of every image in an images answer (converting other formats)."""
    pngs = []
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
        pngs.append(data)
    if not pngs:
        raise ProviderError(ErrorCode.AI_INVALID_OUTPUT, "The AI service sent no picture.", transient=False)
    return pngs
