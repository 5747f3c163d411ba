"""The AI providers. `provider_get()` returns the one the settings select; the rest
of StoryForge never asks which one it is."""

from django.conf import settings
from django.utils.module_loading import import_string

from storyforge.generation.providers.base import Provider

_providers: dict[tuple, Provider] = {}


def provider_get(name: str | None = None) -> Provider:
    """The provider the settings select, one per process and configuration, so that
    its HTTP connections are reused from call to call."""
    name = name or settings.STORYFORGE_AI_PROVIDER
    key = (
        name,
        settings.STORYFORGE_AI_PROVIDERS[name],
        settings.OPENAI_API_KEY,
        settings.OPENAI_BASE_URL,
        settings.OPENAI_TIMEOUT,
    )
    provider = _providers.get(key)
    if provider is None:
        # The configuration of this provider changed (tests do that): let the old one go.
        for stale_key in [k for k in _providers if k[0] == name]:
            _providers.pop(stale_key).close()
        provider = _providers[key] = import_string(settings.STORYFORGE_AI_PROVIDERS[name])()
    return provider
