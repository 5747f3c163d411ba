"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser)
against a live server of the app, with a real Celery worker over a real Redis
broker and the offline provider."""

import os
import shutil
from pathlib import Path

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
    """Run axe-core in the page; the violations of serious or critical impact."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
