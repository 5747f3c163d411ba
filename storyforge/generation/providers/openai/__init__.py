"""The OpenAI provider: stories from a chat model with structured output, pictures
from an image model, and the moderation endpoint, from OpenAI or any server that
speaks its API (Ollama, LM Studio, vLLM, llama.cpp; docs/providers.md).

Servers differ, so what a server can do is probed, not assumed, and remembered in
its facts (facts.py): the models it lists (a configured model it lacks is a clear
error naming the ones it has), the structured-output mode it accepts (chat.py),
and whether it has moderation and images endpoints at all (if not, a 404 or 405
raises AI_CAPABILITY_MISSING and fallback.py lets a stand-in serve). Moderation
can also come from the text model itself (`moderation_by_text_model`).

This package is the only place that imports `openai`; errors.py turns what the
client raises into ProviderError. The client's own retries are off: the
pipeline's retry policy decides, from `ProviderError.transient` and
`retry_after`, whether and when to try again.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openai
from django.conf import settings

from storyforge.config import openai_official
from storyforge.core import audio
from storyforge.core.errors import ErrorCode
from storyforge.core.reading import reading_grade, reading_level_fits
from storyforge.generation.providers import prompts, wordlist
from storyforge.generation.providers.base import (
    CharacterSheet,
    DrawnImage,
    Endpoint,
    ModerationResult,
    PageDraft,
    PageRewrite,
    Provider,
    ProviderError,
    Scene,
    SpokenClip,
    StoryBrief,
    StoryDraft,
    Usage,
)
from storyforge.generation.providers.facts import facts_forget, facts_get, facts_learn
from storyforge.generation.providers.openai import answers, chat, pictures_moderation
from storyforge.generation.providers.openai.errors import error_message, openai_errors_mapped
from storyforge.generation.providers.openai.server import ServerFacts, endpoint_lacking
from storyforge.generation.providers.openai.story_stream import StoryPagesStream
from storyforge.generation.providers.references import portrait_read
from storyforge.generation.slots import image_slot

logger = logging.getLogger(__name__)

PORTRAIT_SIZE = "1024x1024"
PAGE_SIZE = "1536x1024"  # landscape, like a picture-book spread
OPENAI_API = "https://api.openai.com/v1"


class OpenAIProvider(ServerFacts, Provider):
    name = "openai"
    pages_stream = True  # story_write tells each page as it streams in (`on_page`)

    def __init__(self, endpoint: Endpoint | None = None, *, moderation_by_text_model: bool = False):
        super().__init__(endpoint)
        self.moderation_by_text_model = moderation_by_text_model
        self._client: openai.OpenAI | None = None

    def endpoint_default(self) -> Endpoint:
        return Endpoint(settings.OPENAI_BASE_URL, settings.OPENAI_API_KEY, settings.OPENAI_TIMEOUT)

    @property
    def server(self) -> str:
        """The server's address, as operators see it in ai_check and the facts."""
        return (self.endpoint.base_url or OPENAI_API).rstrip("/")

    def close(self) -> None:
        """Close the HTTP connections; the provider opens new ones if used again."""
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            timeout = self.endpoint.timeout
            # Local servers need no key, but the client insists on one.
            key = self.endpoint.api_key or ("" if openai_official(self.endpoint.base_url) else "not-needed")
            with openai_errors_mapped(timeout):  # a missing key is an OpenAIError here
                self._client = openai.OpenAI(
                    api_key=key,
                    base_url=self.endpoint.base_url or None,
                    max_retries=0,
                    timeout=openai.Timeout(timeout, connect=min(5.0, timeout)),
                )
        return self._client

    def cost_estimate(self, *, text_pages: int = 0, images: int = 0, characters: int = 0) -> Decimal:
        # A brief and its story: about 1,500 prompt tokens and 150 written per page.
        text = _text_usage(1500, 150 * text_pages).cost if text_pages else Decimal("0")
        return text + images * Decimal(settings.OPENAI_PRICE_IMAGE) + _speech_cost(characters)

    def probe(self, capability):
        from storyforge.generation.providers.openai.probe import capability_probe

        return capability_probe(self, capability)

    # -- stories ----------------------------------------------------------------

    def story_write(self, brief: StoryBrief, on_page: Callable | None = None) -> StoryDraft:
        """`on_page(number, page, title, summary)`: told each page once it has streamed in."""
        stream = StoryPagesStream(brief.page_count, on_page) if on_page else None
        draft = self._story_attempt(brief, stream)
        if stream is not None and stream.told:
            return draft  # pages already shown are not written again at another reading level
        grade = reading_grade(_story_text(draft), brief.language)
        if not brief.stricter_reading_level and not reading_level_fits(brief.age_group, grade):
            logger.info("Story reads at grade %s, outside the %s range: writing it once more.", grade, brief.age_group)
            second = self._story_attempt(dataclasses.replace(brief, stricter_reading_level=True))
            draft = dataclasses.replace(second, usage=draft.usage + second.usage)
        return draft

    def _story_attempt(self, brief: StoryBrief, stream: StoryPagesStream | None = None) -> StoryDraft:
        (title, summary, pages), usage = self.json_ask(
            prompts.story_messages(brief),
            prompts.STORY_SCHEMA,
            "picture_book",
            lambda data: answers.story_parse(data, brief.page_count),
            what="story",
            on_text=stream.feed if stream else None,
        )
        return StoryDraft(title=title, summary=summary, pages=pages, usage=usage, model=settings.OPENAI_TEXT_MODEL)

    def page_rewrite(self, brief: StoryBrief, pages: tuple[PageDraft, ...], number: int) -> PageRewrite:
        page, usage = self.json_ask(
            prompts.page_rewrite_messages(brief, pages, number),
            prompts.PAGE_SCHEMA,
            "picture_book_page",
            answers.page_parse,
            what="page",
        )
        return PageRewrite(page=page, usage=usage, model=settings.OPENAI_TEXT_MODEL)

    def json_ask(self, messages: list[dict], schema: dict, name: str, parse: Callable, *, what: str, on_text=None):
        """`parse`d JSON from the text model, and what it cost; when the reply cannot be
        used, the model is asked once to repair it. `on_text`: told the first reply's
        text as it streams in."""
        reply, usage = self._chat(messages, schema, name, on_text)
        try:
            return parse(answers.json_object(reply)), usage
        except ValueError as problem:
            logger.info("The %s reply was unusable (%s): asking once for a repair.", what, problem)
            reply, repair_usage = self._chat(prompts.repair_messages(messages, reply, str(problem), what), schema, name)
            usage = usage + repair_usage
        try:
            return parse(answers.json_object(reply)), usage
        except ValueError as problem_again:
            raise ProviderError(
                ErrorCode.AI_INVALID_OUTPUT,
                f"The AI service did not write a usable {what}, even when asked again: {problem_again}.",
                transient=False,
                usage=usage,
            ) from None

    def _chat(self, messages: list[dict], schema: dict, name: str, on_text=None) -> tuple[str, Usage]:
        """The reply, in the structured-output mode the server accepts."""
        self.model_check(settings.OPENAI_TEXT_MODEL, "OPENAI_TEXT_MODEL")
        mode = facts_get(self.server).get("structured_output", chat.MODES[0])
        while True:
            try:
                return self._chat_in_mode(messages, schema, name, mode, on_text)
            except chat.FormatRejected as rejected:
                following = chat.mode_after(mode)
                if following is None:
                    raise ProviderError(
                        ErrorCode.AI_BAD_REQUEST,
                        f"The AI server at {self.server} refused every way of asking for JSON: {rejected.detail}",
                        transient=False,
                    ) from None
                logger.warning(
                    "The AI server at %s refused response_format %s (%s); asking with %s from now on.",
                    self.server,
                    mode,
                    rejected.detail,
                    following,
                )
                facts_learn(self.server, structured_output=following)
                mode = following

    def _chat_in_mode(
        self, messages: list[dict], schema: dict, name: str, mode: str, on_text=None
    ) -> tuple[str, Usage]:
        """The streamed reply, put together, and what it cost. A stream that ends
        without a finish reason was cut off, which may not happen again."""
        shaped, extra = chat.request_shape(messages, mode, schema, name)
        parts, finish_reason, refusal = [], None, ""
        prompt_tokens = completion_tokens = 0
        with openai_errors_mapped(self.endpoint.timeout):
            try:
                stream = self.client.chat.completions.create(
                    model=settings.OPENAI_TEXT_MODEL,
                    messages=shaped,
                    stream=True,
                    stream_options={"include_usage": True},
                    **extra,
                )
            except openai.APIStatusError as error:
                if error.status_code == 404 and "model" in error_message(error).lower():
                    facts_forget(self.server, "models", "models_at")  # pulled since? ask again next time
                if extra and chat.format_rejected(error):
                    raise chat.FormatRejected(error_message(error)) from None
                raise
            with stream:
                for chunk in stream:
                    if chunk.usage:
                        prompt_tokens, completion_tokens = chunk.usage.prompt_tokens, chunk.usage.completion_tokens
                    for choice in chunk.choices:
                        parts.append(choice.delta.content or "")
                        if on_text and choice.delta.content:
                            on_text(choice.delta.content)
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
        with image_slot(), openai_errors_mapped(self.endpoint.timeout), self._endpoint_expected("image"):
            response = self.client.images.generate(
                model=settings.OPENAI_IMAGE_MODEL, prompt=prompt, n=count, size=PORTRAIT_SIZE, **_b64_option()
            )
        self._answered(response, "data", "image")
        return [self._drawn(png, prompt) for png in answers.pngs(response)[:count]]

    def page_illustrate(self, scene: Scene) -> DrawnImage:
        """The page's picture, drawn from the characters' selected portraits when they
        have them, so they look the same as on the portraits."""
        prompt = prompts.scene_prompt(scene)
        references = []
        for character in scene.characters:
            data = portrait_read(character)
            if data is not None:
                references.append((Path(character.portrait_file).name, data, "image/png"))
        common = {"model": settings.OPENAI_IMAGE_MODEL, "prompt": prompt, "n": 1, "size": PAGE_SIZE, **_b64_option()}
        with image_slot(), openai_errors_mapped(self.endpoint.timeout), self._endpoint_expected("image"):
            if references:
                response = self.client.images.edit(image=references, **common)
            else:
                response = self.client.images.generate(**common)
        self._answered(response, "data", "image")
        return self._drawn(answers.pngs(response)[0], prompt)

    def _drawn(self, png: bytes, prompt: str) -> DrawnImage:
        cost = Decimal(settings.OPENAI_PRICE_IMAGE)
        return DrawnImage(
            png=png, prompt=prompt, model=settings.OPENAI_IMAGE_MODEL, usage=Usage(cost=cost), provider=self.name
        )

    # -- moderation -------------------------------------------------------------

    def moderate(self, texts: list[str]) -> ModerationResult:
        texts = [text for text in texts if text and text.strip()]
        if not texts:
            return ModerationResult(flagged=False)
        if self.moderation_by_text_model:
            return self._moderate_by_text_model(texts)
        with openai_errors_mapped(self.endpoint.timeout), self._endpoint_expected("moderation"):
            response = self.client.moderations.create(model=settings.OPENAI_MODERATION_MODEL, input=texts)
        self._answered(response, "results", "moderation")
        return pictures_moderation.verdict_of(response)

    def picture_moderate(self, png: bytes) -> ModerationResult:
        """A picture judged by the moderation endpoint (pictures_moderation.py); the
        text model does not judge pictures, so with it they pass unjudged."""
        if self.moderation_by_text_model:
            return ModerationResult(flagged=False, judged=False)
        return pictures_moderation.picture_moderate(self, png)

    # -- speech ------------------------------------------------------------------

    def speak(self, text: str, *, language: str) -> SpokenClip:
        """One sentence from /v1/audio/speech (OpenAI, Kokoro-FastAPI, openedai-speech...),
        as StoryForge's MP3. The voice speaks whatever language the text is in."""
        with openai_errors_mapped(self.endpoint.timeout), self._endpoint_expected("speech"):
            response = self.client.audio.speech.create(
                model=settings.OPENAI_SPEECH_MODEL,
                voice=settings.OPENAI_SPEECH_VOICE,
                input=text,
                response_format="mp3",
            )
            data = response.content
        if data[:1] == b"{" and endpoint_lacking(data[:500].decode(errors="replace")):
            facts_learn(self.server, speech="missing")  # LM Studio: 200 with an error for a missing route
            raise self._missing_error("speech", "200 with an error")
        try:
            mp3, duration = audio.clip_normalized(data)
        except audio.AudioUnreadable:
            raise ProviderError(
                ErrorCode.AI_INVALID_OUTPUT, "The speech server sent sound that could not be played.", transient=False
            ) from None
        return SpokenClip(
            mp3=mp3,
            duration_ms=duration,
            model=settings.OPENAI_SPEECH_MODEL,
            voice=settings.OPENAI_SPEECH_VOICE,
            provider=self.name,
            usage=Usage(cost=_speech_cost(len(text))),
        )

    def _moderate_by_text_model(self, texts: list[str]) -> ModerationResult:
        """For servers with no moderation endpoint: the built-in word list first (free,
        and it cannot be talked round), then the text model's verdict."""
        listed = wordlist.moderate(texts)
        if listed.flagged:
            return listed
        verdict, usage = self.json_ask(
            prompts.moderation_messages(texts),
            prompts.MODERATION_SCHEMA,
            "moderation_verdict",
            answers.verdict_parse,
            what="moderation verdict",
        )
        return dataclasses.replace(verdict, usage=usage)


def _speech_cost(characters: int) -> Decimal:
    return Decimal(characters) * Decimal(settings.OPENAI_PRICE_SPEECH) / Decimal(1_000_000)


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
