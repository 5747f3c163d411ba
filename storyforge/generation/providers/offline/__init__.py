"""The built-in provider: writes, draws and moderates on this machine, with no
network, no API key and no model download, and the same book for the same seed.

It is what StoryForge uses when no OpenAI key is configured. The storyteller writes
English and Spanish (storyteller.py, es/) and refuses other languages; the artist draws with Pillow (artist.py);
moderation is the shared word list (../wordlist.py), which cannot judge pictures: they
pass unjudged (base.py's `picture_moderate`). Every call is free: its usage is zero.
"""

from __future__ import annotations

import dataclasses

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers import wordlist
from storyforge.generation.providers.base import (
    Capability,
    CapabilityReport,
    CharacterSheet,
    DrawnImage,
    ModerationResult,
    PageDraft,
    PageRewrite,
    Provider,
    ProviderError,
    Scene,
    SpokenClip,
    Status,
    StoryBrief,
    StoryDraft,
)
from storyforge.generation.providers.offline import artist, storyteller, voice

MAX_PAGES = 20
MAX_PORTRAITS = 12


class OfflineProvider(Provider):
    name = "offline"
    languages = storyteller.LANGUAGES

    def story_write(self, brief: StoryBrief) -> StoryDraft:
        if not 1 <= brief.page_count <= MAX_PAGES:
            raise ProviderError(
                ErrorCode.AI_BAD_REQUEST,
                f"A story has 1 to {MAX_PAGES} pages, not {brief.page_count}.",
                transient=False,
            )
        if brief.age_group not in storyteller.AGE_GROUPS:
            raise ProviderError(ErrorCode.AI_BAD_REQUEST, f"Unknown age group {brief.age_group!r}.", transient=False)
        self._language_check(brief.language)
        return storyteller.story_write(brief)

    def _language_check(self, language: str) -> None:
        if language not in self.languages:
            raise ProviderError(
                ErrorCode.LANGUAGE_UNSUPPORTED,
                f"The built-in storyteller writes {', '.join(self.languages)}, not {language!r}.",
                transient=False,
            )

    def page_rewrite(self, brief: StoryBrief, pages: tuple[PageDraft, ...], number: int) -> PageRewrite:
        if not 1 <= number <= max(len(pages), brief.page_count):
            raise ProviderError(ErrorCode.AI_BAD_REQUEST, f"The story has no page {number}.", transient=False)
        self._language_check(brief.language)
        return PageRewrite(page=storyteller.page_rewrite(brief, pages, number), model=storyteller.MODEL)

    def portrait_draw(self, character: CharacterSheet, *, count: int, art_style: str, seed: int) -> list[DrawnImage]:
        if not 1 <= count <= MAX_PORTRAITS:
            raise ProviderError(
                ErrorCode.AI_BAD_REQUEST, f"Draw 1 to {MAX_PORTRAITS} portraits, not {count}.", transient=False
            )
        return [
            dataclasses.replace(image, provider=self.name)
            for image in artist.portrait_draw(character, count, art_style, seed)
        ]

    def page_illustrate(self, scene: Scene) -> DrawnImage:
        return dataclasses.replace(artist.page_illustrate(scene), provider=self.name)

    def moderate(self, texts: list[str]) -> ModerationResult:
        return wordlist.moderate(texts)

    def speak(self, text: str, *, language: str) -> SpokenClip:
        return voice.speak(text, language)

    def probe(self, capability) -> CapabilityReport:
        if capability == Capability.SPEECH:
            if voice.espeak_path() is None:
                return CapabilityReport(
                    str(capability),
                    self.name,
                    "built-in",
                    voice.MODEL,
                    Status.FAILING,
                    voice.INSTALL_HINT,
                    missing=True,
                )
            return CapabilityReport(
                str(capability), self.name, "built-in", voice.MODEL, Status.OK, "espeak-ng reads aloud on this machine."
            )
        what = {
            Capability.TEXT: (
                storyteller.MODEL,
                "The built-in storyteller writes on this machine (English and Spanish).",
            ),
            Capability.IMAGE: (artist.MODEL, "The built-in artist draws on this machine."),
            Capability.MODERATION: ("word list", "The built-in word list checks every text; pictures pass unjudged."),
        }
        model, why = what[Capability(capability)]
        return CapabilityReport(str(capability), self.name, "built-in", model, Status.OK, why)
