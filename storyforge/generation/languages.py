"""Which languages the configured text provider writes stories in, and the check
every story request passes before anything is saved."""

from __future__ import annotations

from storyforge.core.errors import LanguageUnsupported
from storyforge.core.reading import Language
from storyforge.generation.providers import provider_get
from storyforge.generation.providers.base import Capability


def text_languages() -> tuple[str, ...] | None:
    """The language codes the configured text provider writes; None when it writes any."""
    return getattr(provider_get(Capability.TEXT), "languages", None)


def text_language_check(language: str) -> None:
    """Raise LanguageUnsupported when the configured text provider does not write `language`,
    so nobody gets a book in one language under another language's label."""
    languages = text_languages()
    if languages is not None and language not in languages:
        raise LanguageUnsupported(
            f"The storyteller configured here writes {', '.join(languages)}, not {language!r}. "
            "Choose one of those, or configure an AI provider that writes this language.",
            details={"language": language, "languages": list(languages)},
        )


def text_language_names() -> list[str]:
    """The names of the languages the configured text provider writes ("English",
    "Español"), for the studio; empty when it writes any."""
    languages = text_languages()
    if languages is None:
        return []
    names = dict(Language.choices)
    return [str(names.get(code, code)) for code in languages]
