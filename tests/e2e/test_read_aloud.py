"""Reading a book aloud with the browser's speech synthesis.

Headless Chromium has no voices, so the speech engine (the boundary: it belongs to
the browser and the operating system) is replaced before the page loads by a
stand-in that records what it is asked to say and plays the engine's events. The
reader's own code runs unchanged: splitting sentences, highlighting, pausing,
stopping, the speed, turning the page at the end of one."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, ready_book
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# window.speechSynthesis, as far as reader.js uses it. An utterance "speaks" until
# the test calls __speech.finish() (the engine reaching its end), so that the test
# decides when each sentence is over; events are fired asynchronously, as engines do.
FAKE_SPEECH = """
(() => {
  const speech = {
    spoken: [],      // {text, rate, lang} of every speak() call
    cancels: 0,
    current: null,
    speaking: false,
    pending: false,
    paused: false,
    getVoices() { return []; },
    speak(utterance) {
      speech.spoken.push({ text: utterance.text, rate: utterance.rate, lang: utterance.lang });
      speech.current = utterance;
      speech.speaking = true;
      setTimeout(() => {
        if (speech.current !== utterance) return;
        if (utterance.onstart) utterance.onstart(new Event("start"));
        if (utterance.onboundary) utterance.onboundary(Object.assign(new Event("boundary"), { charIndex: 0, name: "word" }));
      }, 0);
    },
    cancel() {
      speech.cancels += 1;
      const utterance = speech.current;
      speech.current = null;
      speech.speaking = false;
      if (utterance && utterance.onerror) {
        setTimeout(() => utterance.onerror(Object.assign(new Event("error"), { error: "interrupted" })), 0);
      }
    },
    pause() { speech.paused = true; },
    resume() { speech.paused = false; },
    finish() {
      const utterance = speech.current;
      if (!utterance) return false;
      speech.current = null;
      speech.speaking = false;
      setTimeout(() => { if (utterance.onend) utterance.onend(new Event("end")); }, 0);
      return true;
    },
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: speech, configurable: true });
  window.__speech = speech;
})();
"""

TEXTS = [
    "Mia found a red umbrella. It was big enough for two.",
    "The rain stopped. Mia shared the umbrella anyway.",
]


def spoken(page) -> list[dict]:
    return page.evaluate("() => window.__speech.spoken")


def wait_for_speech(page, count: int) -> dict:
    """The `count`-th thing the reader asked the engine to say."""
    page.wait_for_function("n => window.__speech.spoken.length >= n", arg=count)
    return spoken(page)[count - 1]


def test_reading_aloud_speaks_sentence_by_sentence_highlights_pauses_stops_and_changes_speed(live_server, new_context):
    book = ready_book(UserFactory(), pages=2, texts=TEXTS)
    context = new_context()
    context.add_init_script(FAKE_SPEECH)
    log_in(context, live_server.url, book.owner)
    page = context.new_page()
    page.goto(f"{live_server.url}/stories/{book.pk}/#page-1")

    play = page.get_by_role("button", name="Read aloud")
    pause = page.get_by_role("button", name="Pause")
    stop = page.get_by_role("button", name="Stop")
    highlighted = page.locator(".sentence.is-speaking")
    expect(play).to_be_enabled()
    expect(page.get_by_text("This browser cannot read aloud.")).to_have_count(0)
    expect(stop).to_be_disabled()

    # Play: the page's first sentence is said and highlighted, at the normal speed.
    play.click()
    first = wait_for_speech(page, 1)
    assert first == {"text": "Mia found a red umbrella.", "rate": 1, "lang": "en"}
    expect(highlighted).to_have_text("Mia found a red umbrella.")
    expect(highlighted).to_have_count(1)
    expect(play).to_be_disabled()

    # The engine finishes the sentence: the next one follows.
    assert page.evaluate("() => window.__speech.finish()")
    assert wait_for_speech(page, 2)["text"] == "It was big enough for two."
    expect(highlighted).to_have_text("It was big enough for two.")

    # Pause stops the voice and keeps the place; Resume says that sentence again.
    cancels = page.evaluate("() => window.__speech.cancels")
    pause.click()
    expect(page.get_by_role("button", name="Resume")).to_be_enabled()
    assert page.evaluate("() => window.__speech.cancels") > cancels
    assert page.evaluate("() => window.__speech.current") is None
    page.get_by_role("button", name="Resume").click()
    assert wait_for_speech(page, 3)["text"] == "It was big enough for two."

    # A faster speed applies from the sentence being read.
    speed = page.get_by_label("Speed")
    speed.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(page.locator("output[data-speech='rate-value']")).to_have_text("1.5×")
    page.wait_for_function("() => window.__speech.spoken.at(-1).rate === 1.5")
    assert spoken(page)[-1]["text"] == "It was big enough for two."
    expect(page.locator("#page-1")).to_be_visible()  # the arrow keys moved the slider, not the page

    # At the end of a page the reader turns to the next one and reads on.
    said = len(spoken(page))
    assert page.evaluate("() => window.__speech.finish()")
    following = wait_for_speech(page, said + 1)
    assert following == {"text": "The rain stopped.", "rate": 1.5, "lang": "en"}
    expect(page.locator("#page-2")).to_be_visible()
    expect(page.locator("#page-1")).to_be_hidden()
    expect(highlighted).to_have_text("The rain stopped.")

    # Stop: silence, no highlight, and Play is offered again.
    cancels = page.evaluate("() => window.__speech.cancels")
    stop.click()
    expect(highlighted).to_have_count(0)
    expect(play).to_be_enabled()
    expect(stop).to_be_disabled()
    assert page.evaluate("() => window.__speech.cancels") > cancels
    assert page.evaluate("() => window.__speech.current") is None
