import os
import shutil
import time

import pytest
from django.test import Client

from tests.e2e.conftest import CHROMIUM_ARGS, axe_serious_violations, horizontal_overflow
from tests.factories import CharacterFactory, UserFactory

CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"


@pytest.fixture(scope="module")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def page_for(browser, live_server, user, width, csp=False):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=not csp)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))

    def with_csp(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": CSP}
        route.fulfill(response=response, headers=headers)

    return page, messages


@pytest.mark.django_db(transaction=True)
def test_shots(live_server, browser):
    user = UserFactory()
    CharacterFactory(owner=user, name="Leo")
    mia = CharacterFactory(
        owner=user,
        draft=True,
        name="Mia",
        traits=["brave", "curious"],
        custom_traits=["loves maps"],
        hair_colour="auburn",
        eye_colour="green",
        skin_tone="light",
        hair_style="curly",
    )
    for width in (360, 1280):
        page, messages = page_for(browser, live_server, user, width)
        for step, name in (
            (2, "personality"),
            (3, "appearance"),
            (1, "basics"),
            (4, "background"),
            (5, "portrait"),
            (6, "review"),
        ):
            page.goto(f"{live_server.url}/characters/{mia.pk}/wizard/{step}/")
            page.screenshot(path=f"/tmp/shots/{name}-{width}.png", full_page=True)
            print(width, name, "overflow", horizontal_overflow(page), "axe", axe_serious_violations(page))
        for path, name in (
            ("/characters/", "gallery"),
            (f"/characters/{mia.pk}/", "detail"),
            ("/characters/new/", "new"),
        ):
            page.goto(live_server.url + path)
            page.screenshot(path=f"/tmp/shots/{name}-{width}.png", full_page=True)
            print(width, name, "overflow", horizontal_overflow(page), "axe", axe_serious_violations(page))
        print("console", messages)

    # Behaviour with JavaScript.
    page, messages = page_for(browser, live_server, user, 1280, csp=True)
    page.goto(f"{live_server.url}/characters/{mia.pk}/wizard/2/")
    from playwright.sync_api import expect

    page.locator("label[for=trait-kind]").click()
    expect(page.locator("#traits-count")).to_contain_text("4 of 5")
    page.locator("#custom-trait-2").press_sequentially("has a gun", delay=20)
    expect(page.locator("#custom-traits-errors")).to_contain_text("not suitable")
    page.screenshot(path="/tmp/shots/personality-flagged-1280.png", full_page=False)
    page.fill("#custom-trait-2", "")
    page.locator("#custom-trait-2").press_sequentially("hums", delay=20)
    expect(page.locator("#custom-traits-errors")).to_have_text("")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved", timeout=6000)
    mia.refresh_from_db()
    print("after autosave", mia.traits, mia.custom_traits)
    page.goto(f"{live_server.url}/characters/{mia.pk}/wizard/3/")
    before = page.get_attribute("#look-preview", "src")
    page.locator("label[for=hair_colour-blue]").click()
    expect(page.locator("#look-preview")).to_have_attribute("src", __import__("re").compile("hair_colour=blue"))
    time.sleep(0.5)
    print("preview src", page.get_attribute("#look-preview", "src"))
    page.screenshot(path="/tmp/shots/appearance-blue-1280.png", full_page=False)
    print("hidden nojs", page.locator("[data-nojs]").is_hidden())
    page.keyboard.press("Tab")
    # Enter in a text field means Next.
    page.fill("#id_clothing", "a green scarf")
    page.press("#id_clothing", "Enter")
    page.wait_for_url("**/wizard/4/")
    mia.refresh_from_db()
    print("after enter", mia.clothing, mia.hair_colour)
    print("console", messages)

    # Portraits with htmx: progress polled until the worker is done.
    from characters.services import portrait_candidates_draw
    from stories.models import GenerationJob

    page.goto(f"{live_server.url}/characters/{mia.pk}/wizard/5/")
    page.click("text=Generate portraits")
    expect(page.locator("#portrait-area")).to_contain_text("being drawn")
    page.screenshot(path="/tmp/shots/portrait-drawing-1280.png", full_page=False)
    job = GenerationJob.objects.get()
    portrait_candidates_draw(job_id=job.pk)
    expect(page.locator("input[name=portrait]")).to_have_count(3, timeout=5000)
    expect(page.locator("#portrait-area")).to_contain_text("New portraits are ready")
    page.screenshot(path="/tmp/shots/portrait-done-1280.png", full_page=False)
    page.locator("input[name=portrait] + label").nth(1).click()
    page.click("text=Use this portrait")
    page.wait_for_url("**/wizard/5/**")
    mia.refresh_from_db()
    print("selected", mia.selected_portrait_id)
    # Gallery search with htmx.
    page.goto(f"{live_server.url}/characters/")
    page.locator("#id_q").press_sequentially("le", delay=30)
    expect(page.locator("#gallery-results")).not_to_contain_text("Mia")
    expect(page.locator("#gallery-results")).to_contain_text("Leo")
    print("url", page.url)
    print("console", messages)
