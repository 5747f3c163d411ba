"""The provider interface: what StoryForge asks of an AI, whichever one it is.

A provider writes a story from a brief, draws portrait candidates, illustrates a
page and moderates text. Everything it needs comes in the plain data classes
below (never Django models), so providers can be tested, and swapped, on their own.
`storyforge.generation.providers.provider_get()` returns the one the settings select.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal

# Error codes a provider reports. Transient ones are retried by the pipeline's
# retry policy; permanent ones fail the job at once.


class ProviderError(Exception):
    """An AI call that failed. `transient` says whether trying again may help;
    `retry_after` is the wait in seconds the service asked for, if it did."""

    def __init__(self, code: str, message: str, *, transient: bool, retry_after: float | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient
        self.retry_after = retry_after

    def __repr__(self):
        return f"ProviderError({self.code!r}, transient={self.transient}, retry_after={self.retry_after})"


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: Decimal = Decimal("0")

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cost + other.cost,
        )


@dataclass(frozen=True)
class CharacterSheet:
    """One character as the AI sees it."""

    name: str
    kind: str  # a key of characters.catalogue.Kind: child, animal, dragon...
    pronouns: str  # "she/her", "he/him", "they/them", "it/its"
    age: int | None = None
    traits: tuple[str, ...] = ()  # readable labels: "brave", "afraid of the dark"
    hair_colour: str = ""  # palette keys (characters.catalogue), may be empty
    hair_style: str = ""
    eye_colour: str = ""
    skin_tone: str = ""
    clothing: str = ""
    distinctive_features: str = ""
    backstory: str = ""
    likes: str = ""
    role: str = "main"  # "main" or "supporting"
    appearance: str = ""  # the canonical appearance description used in every picture prompt
    colours: dict[str, str] = field(default_factory=dict)  # "hair", "skin", "eyes", "clothing" -> "#rrggbb"
    portrait_path: str | None = None  # file of the selected portrait, the reference image


@dataclass(frozen=True)
class StoryBrief:
    """Everything a story is written from."""

    characters: tuple[CharacterSheet, ...]
    relationships: tuple[str, ...]  # sentences: "Mia is Leo's big sister."
    age_group: str  # "1-2", "3-5", "6-8", "9-12"
    page_count: int
    tone: str
    moral: str
    setting: str
    language: str  # "en", "de", ...
    art_style: str
    seed: int
    earlier_summaries: tuple[str, ...] = ()  # the series so far, oldest first
    stricter_reading_level: bool = False  # set on the one retry after an out-of-range reading level


@dataclass(frozen=True)
class PageDraft:
    text: str
    visual_description: str


@dataclass(frozen=True)
class PageRewrite:
    page: PageDraft
    usage: Usage = Usage()
    model: str = ""


@dataclass(frozen=True)
class StoryDraft:
    title: str
    summary: str
    pages: tuple[PageDraft, ...]
    usage: Usage = Usage()
    model: str = ""


@dataclass(frozen=True)
class Scene:
    """One picture to draw: a page of a story."""

    page_number: int
    visual_description: str
    page_text: str
    characters: tuple[CharacterSheet, ...]
    setting: str
    art_style: str
    seed: int


@dataclass(frozen=True)
class DrawnImage:
    png: bytes
    prompt: str
    model: str = ""
    seed: int | None = None
    usage: Usage = Usage()


@dataclass(frozen=True)
class ModerationResult:
    flagged: bool
    categories: tuple[str, ...] = ()
    usage: Usage = Usage()


class Provider(ABC):
    """An AI that can make picture books. Every method raises ProviderError on failure."""

    name: str = ""

    @abstractmethod
    def story_write(self, brief: StoryBrief) -> StoryDraft:
        """Title, summary and exactly `brief.page_count` pages."""

    def page_rewrite(self, brief: StoryBrief, pages: tuple[PageDraft, ...], number: int) -> PageRewrite:
        """A new version of page `number` (1-based) that still fits the pages around it."""
        raise NotImplementedError

    @abstractmethod
    def portrait_draw(self, character: CharacterSheet, *, count: int, art_style: str, seed: int) -> list[DrawnImage]:
        """`count` portrait candidates of one character."""

    @abstractmethod
    def page_illustrate(self, scene: Scene) -> DrawnImage:
        """The illustration of one page."""

    @abstractmethod
    def moderate(self, texts: list[str]) -> ModerationResult:
        """Whether any of the texts is unsuitable for a children's book."""

    def close(self) -> None:
        """Let go of connections; a provider may be used again afterwards."""
        return None

    def cost_estimate(self, *, text_pages: int = 0, images: int = 0) -> Decimal:
        """What a request is expected to cost in US dollars, checked against the budget
        before anything is enqueued. Free unless a provider says otherwise."""
        return Decimal("0")
