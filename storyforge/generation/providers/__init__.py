"""The AI providers, one per capability: `provider_get(capability)` returns the one
the settings select for text, images or moderation; the rest of StoryForge never
asks which one it is.

`STORYFORGE_AI_PROVIDER` is the default for every capability, and each can be set
on its own (`STORYFORGE_TEXT_PROVIDER`, `..._IMAGE_...`, `..._MODERATION_...`).
A capability left to the default on an OpenAI-compatible server that lacks its
endpoint falls back instead of failing: pictures to the built-in artist,
moderation to the text model (fallback.py). Named explicitly, it does not.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from storyforge.generation.providers.base import Capability, Endpoint, ProviderBase
from storyforge.generation.providers.fallback import WithFallback

_providers: dict[str, tuple[tuple, ProviderBase]] = {}

CAPABILITY_SETTINGS = {
    Capability.TEXT: "STORYFORGE_TEXT_PROVIDER",
    Capability.IMAGE: "STORYFORGE_IMAGE_PROVIDER",
    Capability.MODERATION: "STORYFORGE_MODERATION_PROVIDER",
    Capability.SPEECH: "STORYFORGE_SPEECH_PROVIDER",
}


def provider_name(capability: str) -> tuple[str, bool]:
    """The provider in force for `capability`, and whether it was named explicitly."""
    explicit = getattr(settings, CAPABILITY_SETTINGS[Capability(capability)])
    return explicit or settings.STORYFORGE_AI_PROVIDER, bool(explicit)


def endpoint_of(capability: str) -> Endpoint:
    """The server a capability's calls go to: pictures may have their own."""
    if capability == Capability.SPEECH:
        return Endpoint(
            settings.SPEECH_BASE_URL or settings.OPENAI_BASE_URL,
            settings.SPEECH_API_KEY or settings.OPENAI_API_KEY,
            settings.OPENAI_TIMEOUT,
        )
    if capability == Capability.IMAGE:
        return Endpoint(
            settings.IMAGE_BASE_URL or settings.OPENAI_BASE_URL,
            settings.IMAGE_API_KEY or settings.OPENAI_API_KEY,
            settings.IMAGE_TIMEOUT,
        )
    return Endpoint(settings.OPENAI_BASE_URL, settings.OPENAI_API_KEY, settings.OPENAI_TIMEOUT)


def provider_get(capability: str = Capability.TEXT) -> ProviderBase:
    """The provider for `capability`, one per process and configuration, so that its
    HTTP connections are reused from call to call."""
    capability = Capability(capability)
    name, explicit = provider_name(capability)
    key = (
        name,
        explicit,
        endpoint_of(capability),
        endpoint_of(Capability.TEXT),
        repr(settings.STORYFORGE_AI_PROVIDERS),
    )
    known = _providers.get(capability)
    if known is not None and known[0] == key:
        return known[1]
    if known is not None:  # the configuration changed (tests do that): let the old one go
        known[1].close()
    provider = _provider_build(capability, name, explicit)
    _providers[capability] = (key, provider)
    return provider


def _provider_build(capability: Capability, name: str, explicit: bool) -> ProviderBase:
    if name == "text-model":
        return _provider_new("openai", endpoint_of(Capability.TEXT), moderation_by_text_model=True)
    provider = _provider_new(name, endpoint_of(capability))
    if name != "openai" or explicit:
        return provider
    if capability == Capability.IMAGE:
        return WithFallback(
            capability, provider, _provider_new("offline", Endpoint()), "the built-in artist draws the pictures"
        )
    if capability == Capability.SPEECH:
        return WithFallback(capability, provider, _provider_new("offline", Endpoint()), "espeak-ng reads aloud")
    if capability == Capability.MODERATION:
        stand_in = _provider_new("openai", endpoint_of(Capability.TEXT), moderation_by_text_model=True)
        return WithFallback(capability, provider, stand_in, "the text model moderates, with the built-in word list")
    return provider


def _provider_new(name: str, endpoint: Endpoint, **options) -> ProviderBase:
    return import_string(settings.STORYFORGE_AI_PROVIDERS[name])(endpoint, **options)


def cost_estimate(*, text_pages: int = 0, images: int = 0, characters: int = 0):
    """What a request is expected to cost in US dollars, from the providers that will
    serve it (`characters`: text to read aloud)."""
    return (
        provider_get(Capability.TEXT).cost_estimate(text_pages=text_pages)
        + provider_get(Capability.IMAGE).cost_estimate(images=images)
        + (provider_get(Capability.SPEECH).cost_estimate(characters=characters) if characters else 0)
    )


def providers_close() -> None:
    """Let go of every provider's connections (tests, and processes that fork)."""
    for _, provider in _providers.values():
        provider.close()
    _providers.clear()
