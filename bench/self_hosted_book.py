"""What a 12-page book costs on each kind of server self-hosters run: the requests
sent (and how many of them were refused or asked for what the server lacks), and
the seconds, for the first book on a server StoryForge knows nothing about and for
the second, once it has learnt what the server can do.

    .venv/bin/python bench/self_hosted_book.py [--pages 12] [--latency 0.05]

Each book is what the pipeline asks of the providers: the brief moderated, the story
written and moderated, and every page illustrated. The servers are the test suite's
fakes (tests/fakes/), on loopback, each call delayed by --latency seconds to stand
for a real server's round trip; pictures that fall back are drawn by the built-in
artist. No database is needed; the facts live in a local-memory cache.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storyforge.settings")
os.environ.setdefault("STORYFORGE_READ_DOT_ENV", "0")
os.environ.setdefault("STORYFORGE_VAR_DIR", tempfile.mkdtemp(prefix="sf-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402

from storyforge.generation.providers import provider_get, providers_close  # noqa: E402
from storyforge.generation.providers.base import CharacterSheet, Scene, StoryBrief  # noqa: E402
from tests.fakes.automatic1111_server import FakeAutomatic1111Server  # noqa: E402
from tests.fakes.openai_server import FakeOpenAIServer, profiles  # noqa: E402

MIA = CharacterSheet("Mia", "child", "she/her", 6, ("brave",), appearance="a child in a yellow raincoat")
SERVERS = {
    "openai": (profiles.OPENAI, "gpt-5.4-mini"),
    "ollama": (profiles.OLLAMA, "llama3.2"),
    "ollama-reasoning": (profiles.OLLAMA_REASONING, "qwen3:8b"),
    "llamacpp-2024": (profiles.LLAMACPP_OLD, "any"),
    "plain-text": (profiles.TEXTGEN_PLAIN, "plain-text-model"),
    "lmstudio": (profiles.LMSTUDIO, "qwen2.5-7b-instruct"),
    "vllm": (profiles.VLLM, "meta-llama/Llama-3.1-8B-Instruct"),
}


def book(pages: int, seed: int) -> None:
    brief = StoryBrief((MIA,), (), "3-5", pages, "gentle", "", "a garden", "en", "watercolour", seed)
    provider_get("moderation").moderate(["Mia and the red ball", "a garden"])
    draft = provider_get("text").story_write(brief)
    provider_get("moderation").moderate([draft.title, draft.summary, *(page.text for page in draft.pages)])
    for number, page in enumerate(draft.pages, 1):
        provider_get("image").page_illustrate(
            Scene(number, page.visual_description, page.text, (MIA,), brief.setting, brief.art_style, seed + number)
        )


def measured(server, pages: int, seed: int) -> tuple[float, int, int]:
    before = len(server.requests)
    started = time.perf_counter()
    book(pages, seed)
    sent = server.requests[before:]
    wasted = sum(1 for r in sent if r.reply != "ok")  # refused: a missing endpoint or a response_format
    return time.perf_counter() - started, len(sent), wasted


def configure(base_url: str, model: str, **extra) -> None:
    values = {
        "STORYFORGE_AI_PROVIDER": "openai",
        "STORYFORGE_TEXT_PROVIDER": "",
        "STORYFORGE_IMAGE_PROVIDER": "",
        "STORYFORGE_MODERATION_PROVIDER": "",
        "OPENAI_API_KEY": "sk-bench-0123456789abcdefghijklmnop",
        "OPENAI_BASE_URL": base_url,
        "OPENAI_TEXT_MODEL": model,
        "OPENAI_IMAGE_MODEL": "gpt-image-2",
        "IMAGE_BASE_URL": "",
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        **extra,
    }
    for name, value in values.items():
        setattr(settings, name, value)
    cache.clear()
    providers_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every call to the fake")
    args = parser.parse_args()
    print(f"{'server':<18} {'book':>4} {'requests':>8} {'wasted':>6} {'seconds':>8}")
    for name, (profile, model) in SERVERS.items():
        with FakeOpenAIServer(profile=profile) as server:
            server.latency = args.latency
            configure(server.base_url, model)
            for number in (1, 2):
                seconds, sent, wasted = measured(server, args.pages, number)
                print(f"{name:<18} {number:>4} {sent:>8} {wasted:>6} {seconds:>8.2f}")
    with FakeOpenAIServer(profile=profiles.OLLAMA) as text, FakeAutomatic1111Server() as pictures:
        text.latency = args.latency
        pictures.latency = args.latency
        configure(
            text.base_url,
            "llama3.2",
            STORYFORGE_IMAGE_PROVIDER="automatic1111",
            IMAGE_BASE_URL=pictures.base_url,
            OPENAI_IMAGE_MODEL="",
        )
        for number in (1, 2):
            before = len(pictures.requests)
            seconds, sent, wasted = measured(text, args.pages, number)
            drawn = len(pictures.requests) - before
            print(f"{'ollama+a1111':<18} {number:>4} {sent + drawn:>8} {wasted:>6} {seconds:>8.2f}")
    providers_close()


if __name__ == "__main__":
    main()
