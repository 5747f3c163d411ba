"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser)
against a live server of the app, with a real Celery worker over a real Redis
broker and the offline provider."""

import functools
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.servers import ServerUnavailable, skip_or_fail

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        skip_or_fail(ServerUnavailable("chromium is not installed (apt-get install chromium)"))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail(ServerUnavailable("playwright is not installed (pip install -r requirements-dev.txt)"))
    # Playwright's sync API runs an event loop; Django must allow ORM calls from the test.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_app(live_server, redis_server, tmp_path, settings):
    """The live server's URL, with a real worker making the books."""
    from tests.workers import CeleryWorker, broker

    settings.STORYFORGE_AI_PROVIDER = "offline"
    worker = CeleryWorker(redis_url=redis_server.url, log_path=tmp_path / "worker.log").start()
    try:
        with broker(redis_server.url):
            yield live_server.url
    finally:
        worker.stop()


def axe_serious_violations(page) -> list[dict]:
    """Run axe-core in the page; the violations of serious or critical impact.

    axe is evaluated through the DevTools protocol rather than added as a <script>:
    the app's Content-Security-Policy (script-src 'self') blocks inline scripts,
    and the test must not loosen the policy it checks."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@functools.cache
def _axe_source() -> str:
    # A statement list, not a function: Playwright evaluates it as a script.
    return AXE.read_text(encoding="utf-8") + "\n;undefined"


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


# Shared by the browser tests: contexts that are closed after the test, logging a
# user in, a finished book, and what the browser asked for and said.

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT = 10_000  # ms: the longest a step of a page may take, generation excepted


@pytest.fixture(autouse=True)
def _expect_timeout(browser):
    """expect() waits as long as actions do: two cores running the suite in parallel
    can make a 5 s default too short for an htmx round trip."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT)


@pytest.fixture
def new_context(browser):
    """Make browser contexts (a fresh profile each); closed after the test."""
    contexts = []

    def make(**kwargs):
        kwargs.setdefault("viewport", DESKTOP)
        context = browser.new_context(**kwargs)
        context.set_default_timeout(TIMEOUT)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def log_in(context, base_url: str, user) -> None:
    """Give the browser a session for `user`, as logging in would."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def ready_book(owner, *, pages: int = 3, texts: list[str] | None = None, **kwargs):
    """A finished story with a cast and a chosen picture on every page."""
    from stories.models import Story
    from tests.factories import CharacterFactory, IllustrationFactory, StoryCharacterFactory, StoryFactory

    story = StoryFactory(owner=owner, status=Story.Status.READY, page_count=pages, pages=pages, **kwargs)
    character = CharacterFactory(owner=owner, name="Mia")
    StoryCharacterFactory(story=story, character=character)
    for page in story.pages.order_by("number"):
        if texts:
            page.text = texts[page.number - 1]
        page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
        page.save()
    return story


class Watch:
    """What a page asked the network for and wrote to its console."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but this machine (data: and blob: never leave it)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname not in LOCAL_HOSTS
        ]

    def csp_messages(self) -> list[str]:
        return [line for line in self.console if "content security policy" in line.lower()]
