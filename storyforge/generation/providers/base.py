"""The provider interface: what StoryForge asks of an AI, whichever one it is.

Three capabilities, each of which can come from its own provider: text (a story
from a brief, a page rewritten), images (portrait candidates, page illustrations)
and moderation. Everything it needs comes in the plain data classes
below (never Django models), so providers can be tested, and swapped, on their own.
`storyforge.generation.providers.provider_get(capability)` returns the one the
settings select for a capability.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

# Error codes a provider reports. Transient ones are retried by the pipeline's
# retry policy; permanent ones fail the job at once.


class ProviderError(Exception):
    """An AI call that failed. `transient` says whether trying again may help;
    `retry_after` is the wait in seconds the service asked for, if it did; `usage`
    what the service charged for an answer that could not be used."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        transient: bool,
        retry_after: float | None = None,
        usage: Usage | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient
        self.retry_after = retry_after
        self.usage = usage or Usage()

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
    portrait_file: str | None = None  # stored name of the selected portrait, the reference image (references.py)


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


# The page number of a book's cover: a Scene with it is drawn as a cover (the cast
# together, the title's subject), its description and text the book's title.
COVER_PAGE = 0


@dataclass(frozen=True)
class Scene:
    """One picture to draw: a page of a story, or its cover (`COVER_PAGE`)."""

    page_number: int
    visual_description: str
    page_text: str
    characters: tuple[CharacterSheet, ...]
    setting: str
    art_style: str
    seed: int

    @property
    def is_cover(self) -> bool:
        return self.page_number == COVER_PAGE


@dataclass(frozen=True)
class DrawnImage:
    png: bytes
    prompt: str
    model: str = ""
    seed: int | None = None
    usage: Usage = Usage()
    provider: str = ""  # who drew it, which may be a fallback for the provider asked


@dataclass(frozen=True)
class SpokenClip:
    """One sentence read aloud, as StoryForge's MP3 (storyforge.core.audio)."""

    mp3: bytes
    duration_ms: int
    model: str = ""
    voice: str = ""
    provider: str = ""
    usage: Usage = Usage()


@dataclass(frozen=True)
class ModerationResult:
    flagged: bool
    categories: tuple[str, ...] = ()
    usage: Usage = Usage()
    judged: bool = True  # False: the provider cannot judge this kind of input (a word list and a picture)


class Capability(StrEnum):
    """What StoryForge asks of an AI; each can come from its own provider."""

    TEXT = "text"
    IMAGE = "image"
    MODERATION = "moderation"
    SPEECH = "speech"


class Status(StrEnum):
    OK = "ok"
    FALLBACK = "fallback"  # works, with something else standing in for what the server lacks
    FAILING = "failing"


@dataclass(frozen=True)
class CapabilityReport:
    """What a provider found out about one capability: `ai_check`'s row."""

    capability: str
    provider: str
    endpoint: str
    model: str
    status: Status
    why: str
    missing: bool = False  # the server lacks the endpoint altogether (so a fallback may stand in)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self) | {"status": str(self.status)}


@dataclass(frozen=True)
class Endpoint:
    """Where a provider's server is: its base URL (empty: the provider's own service),
    key and timeout for one call."""

    base_url: str = ""
    api_key: str = ""
    timeout: float = 60.0

    def __str__(self) -> str:  # never the key
        return self.base_url


class ProviderBase(ABC):
    """What every provider has: a name, connections to let go of, a price list and a probe."""

    name: str = ""

    def __init__(self, endpoint: Endpoint | None = None):
        self._endpoint = endpoint

    @property
    def endpoint(self) -> Endpoint:
        """The endpoint given, else the provider's default read from the settings now."""
        return self._endpoint or self.endpoint_default()

    def endpoint_default(self) -> Endpoint:
        return Endpoint()

    def close(self) -> None:
        """Let go of connections; a provider may be used again afterwards."""
        return None

    def cost_estimate(self, *, text_pages: int = 0, images: int = 0, characters: int = 0) -> Decimal:
        """What a request is expected to cost in US dollars, checked against the budget
        before anything is enqueued. Free unless a provider says otherwise."""
        return Decimal("0")

    def capability_missing(self, capability: str) -> bool:
        """Whether the server is known to lack `capability`'s endpoint altogether."""
        return False

    @abstractmethod
    def probe(self, capability: Capability) -> CapabilityReport:
        """Find out, by asking the server, whether `capability` works here and how."""


class TextProvider(ProviderBase):
    # The language codes this provider writes stories in; None: any language.
    languages: tuple[str, ...] | None = None

    @abstractmethod
    def story_write(self, brief: StoryBrief) -> StoryDraft:
        """Title, summary and exactly `brief.page_count` pages."""

    @abstractmethod
    def page_rewrite(self, brief: StoryBrief, pages: tuple[PageDraft, ...], number: int) -> PageRewrite:
        """A new version of page `number` (1-based) that still fits the pages around it."""


class ImageProvider(ProviderBase):
    @abstractmethod
    def portrait_draw(self, character: CharacterSheet, *, count: int, art_style: str, seed: int) -> list[DrawnImage]:
        """`count` portrait candidates of one character."""

    @abstractmethod
    def page_illustrate(self, scene: Scene) -> DrawnImage:
        """The illustration of one page."""


class ModerationProvider(ProviderBase):
    @abstractmethod
    def moderate(self, texts: list[str]) -> ModerationResult:
        """Whether any of the texts is unsuitable for a children's book."""

    def picture_moderate(self, png: bytes) -> ModerationResult:
        """Whether a picture is unsuitable for a children's book. A provider that cannot
        look at pictures says so (`judged=False`), and the picture passes unjudged."""
        return ModerationResult(flagged=False, judged=False)


class SpeechProvider(ProviderBase):
    @abstractmethod
    def speak(self, text: str, *, language: str) -> SpokenClip:
        """`text` (one sentence) read aloud in `language`."""


class Provider(TextProvider, ImageProvider, ModerationProvider, SpeechProvider):
    """A provider that does everything (OpenAI's API, the built-in one). Every
    method raises ProviderError on failure."""
