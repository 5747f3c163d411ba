"""Reading along with a book's narration: once every page has its recorded voice,
"Read aloud" plays the clips one after another in one <audio> element, highlights
the sentence being heard and turns the page after its last one; the service worker
keeps the clips for reading offline. A book narrated only in part is read by the
browser's speech, as before.

Headless Chromium plays the factories' silent MP3s. What was played is recorded by
a listener for the audio element's `play` events (media events do not bubble, so it
listens while they are captured): which clip, which sentence was highlighted then,
which page was shown and what the page counter said."""

import pytest
from playwright.sync_api import expect

from stories.models import StoryJobKind
from storyforge.core import audio
from storyforge.core.reading import sentences
from storyforge.generation.models import GenerationJob
from tests.e2e.conftest import log_in, ready_book
from tests.e2e.test_read_aloud import FAKE_SPEECH
from tests.factories import CLIP_MP3, GenerationJobFactory, SentenceClipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TEXTS = [
    "Mia found a red umbrella. It was big enough for two.",
    "The rain stopped. Mia shared the umbrella anyway.",
]

RECORD_PLAYS = """
(() => {
  window.__played = [];
  document.addEventListener("play", (event) => {
    const spoken = document.querySelector(".sentence.is-speaking");
    const shown = [...document.querySelectorAll(".book-page")].find((section) => !section.hidden);
    window.__played.push({
      clip: new URL(event.target.src).pathname,
      sentence: spoken ? spoken.textContent : null,
      page: shown ? shown.id : null,
      counter: document.querySelector("[data-page-counter]").textContent,
      announced: !!(spoken && spoken.closest("[aria-live], [role=status], [role=alert]")),
      rate: event.target.playbackRate,
    });
  }, true);
})();
"""

AUDIO = "document.querySelector('audio[data-read-along]')"
# Offline reading (see test_offline.py): the worker must control the page.
CONTROLLED = "() => navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
KEPT = "path => caches.open('storyforge-books').then((cache) => cache.match(path)).then((hit) => !!hit)"


def narrate(story, *, long_first: bool = False) -> list[str]:
    """A clip for every sentence of every page, as the narrator makes them; the
    clips' paths in reading order. `long_first`: the first clip lasts 30 s."""
    paths = []
    for page in story.pages.order_by("number"):
        for index, sentence in enumerate(sentences(page.text)):
            extra = {}
            if long_first and not paths:
                long = audio.mp3_encoded(audio.silence(30))
                extra = {"audio__data": long, "duration_ms": audio.duration_ms(long)}
            paths.append(SentenceClipFactory(page=page, index=index, text=sentence, **extra).audio.url)
    return paths


def open_book(new_context, live_server, book, anchor="page-1", speech=False):
    context = new_context()
    context.add_init_script(RECORD_PLAYS)
    if speech:
        context.add_init_script(FAKE_SPEECH)
    log_in(context, live_server.url, book.owner)
    page = context.new_page()
    page.goto(f"{live_server.url}/stories/{book.pk}/#{anchor}")
    return page


def played(page) -> list[dict]:
    return page.evaluate("() => window.__played")


def faster(page):
    """The speed control at its fastest (1.5×), so that the test does not wait long."""
    page.get_by_label("Speed").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(page.locator("output[data-speech='rate-value']")).to_have_text("1.5×")


def test_a_narrated_book_plays_its_clips_in_order_highlighting_each_sentence_and_turning_the_page(
    live_server, new_context
):
    book = ready_book(UserFactory(), pages=2, texts=TEXTS)
    clips = narrate(book)
    page = open_book(new_context, live_server, book, speech=True)
    play = page.get_by_role("button", name="Read aloud", exact=True)
    highlighted = page.locator(".sentence.is-speaking")

    # Every sentence carries its clip and its length.
    rendered = page.locator(".page-text .sentence")
    expect(rendered).to_have_count(4)
    assert [rendered.nth(i).get_attribute("data-clip") for i in range(4)] == clips
    assert rendered.first.get_attribute("data-duration-ms").isdigit()
    expect(page.get_by_text("Every page has its voice")).to_be_visible()

    faster(page)
    play.click()
    page.wait_for_function("() => window.__played.length >= 4")
    # After the last sentence of the book the reader turns to "The end" and stops.
    expect(page.locator("#the-end")).to_be_visible()
    expect(play).to_be_enabled()
    expect(highlighted).to_have_count(0)

    sentences_read = [sentence for text in TEXTS for sentence in sentences(text)]
    assert [(entry["clip"], entry["sentence"], entry["page"]) for entry in played(page)] == [
        (clips[0], sentences_read[0], "page-1"),
        (clips[1], sentences_read[1], "page-1"),
        (clips[2], sentences_read[2], "page-2"),
        (clips[3], sentences_read[3], "page-2"),
    ]
    assert {entry["rate"] for entry in played(page)} == {1.5}
    # Screen readers hear of each page once, from the page counter, not of each sentence.
    counters = [entry["counter"] for entry in played(page)]
    assert counters[0] == counters[1] != counters[2] == counters[3]
    assert not any(entry["announced"] for entry in played(page))
    # The recorded voice read, not the browser's.
    assert page.evaluate("() => window.__speech.spoken") == []
    assert page.locator("audio").count() == 1


def test_pausing_the_narration_holds_its_place_and_stopping_silences_it(live_server, new_context):
    book = ready_book(UserFactory(), pages=2, texts=TEXTS)
    clips = narrate(book, long_first=True)
    page = open_book(new_context, live_server, book)
    play = page.get_by_role("button", name="Read aloud", exact=True)
    pause = page.get_by_role("button", name="Pause")
    resume = page.get_by_role("button", name="Resume")
    stop = page.get_by_role("button", name="Stop")
    highlighted = page.locator(".sentence.is-speaking")

    play.click()
    page.wait_for_function(f"() => {AUDIO}.currentTime > 0.2 && !{AUDIO}.paused")
    expect(highlighted).to_have_text("Mia found a red umbrella.")

    pause.click()
    expect(resume).to_be_enabled()
    assert page.evaluate(f"() => {AUDIO}.paused")
    held = page.evaluate(f"() => {AUDIO}.currentTime")
    expect(highlighted).to_have_text("Mia found a red umbrella.")

    # Resuming goes on from the same place in the same clip.
    resume.click()
    page.wait_for_function(f"held => {AUDIO}.currentTime > held + 0.1", arg=held)
    assert [entry["clip"] for entry in played(page)] == [clips[0], clips[0]]
    assert page.evaluate(f"() => {AUDIO}.currentTime") > held

    # The speed changes the clip being played, without starting it again.
    faster(page)
    page.wait_for_function(f"() => {AUDIO}.playbackRate === 1.5")
    assert len(played(page)) == 2
    expect(highlighted).to_have_text("Mia found a red umbrella.")

    stop.click()
    expect(highlighted).to_have_count(0)
    expect(play).to_be_enabled()
    expect(stop).to_be_disabled()
    assert page.evaluate(f"() => {AUDIO}.paused")

    # Playing again starts at the beginning of the page shown.
    play.click()
    page.wait_for_function("() => window.__played.length === 3")
    assert played(page)[-1]["clip"] == clips[0]
    stop.click()


def test_a_narrated_book_opened_once_is_heard_offline_with_byte_ranges_answered_from_the_stored_clips(
    live_server, new_context
):
    book = ready_book(UserFactory(), pages=2, texts=TEXTS)
    clips = narrate(book)
    page = open_book(new_context, live_server, book)
    if not page.evaluate(CONTROLLED):  # installed, but the page loaded before it
        page.reload()
    assert page.evaluate(CONTROLLED), "the service worker does not control the page"
    page.reload()  # the visit under the worker stores the book, and its clips with it
    for clip in clips:
        page.wait_for_function(KEPT, arg=clip)

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#page-1 .sentence[data-clip]")).to_have_count(2)

    # An audio element asks for byte ranges: the stored file answers them.
    size = len(CLIP_MP3)
    ranges = page.evaluate(
        """async (clip) => {
          const answers = [];
          for (const range of ["bytes=0-99", "bytes=100-", "bytes=-10", "bytes=999999-"]) {
            const response = await fetch(clip, { headers: { Range: range } });
            const body = await response.arrayBuffer();
            answers.push([response.status, response.headers.get("Content-Range"), body.byteLength]);
          }
          return answers;
        }""",
        clips[0],
    )
    assert ranges == [
        [206, f"bytes 0-99/{size}", 100],
        [206, f"bytes 100-{size - 1}/{size}", size - 100],
        [206, f"bytes {size - 10}-{size - 1}/{size}", 10],
        [416, f"bytes */{size}", 0],
    ]

    faster(page)
    page.get_by_role("button", name="Read aloud", exact=True).click()
    page.wait_for_function("() => window.__played.length >= 4")
    expect(page.locator("#the-end")).to_be_visible()
    assert [entry["clip"] for entry in played(page)] == clips
    expect(page.get_by_role("button", name="Read aloud", exact=True)).to_be_enabled()


def test_a_book_narrated_only_in_part_is_read_by_the_browsers_speech(live_server, new_context):
    book = ready_book(UserFactory(), pages=2, texts=TEXTS)
    first = book.pages.get(number=1)
    for index, sentence in enumerate(sentences(first.text)):
        SentenceClipFactory(page=first, index=index, text=sentence)
    page = open_book(new_context, live_server, book, speech=True)

    expect(page.get_by_text("1 of 2 pages have their voice")).to_be_visible()
    expect(page.locator("[data-clip]")).to_have_count(0)
    page.get_by_role("button", name="Read aloud", exact=True).click()
    page.wait_for_function("() => window.__speech.spoken.length >= 1")
    assert page.evaluate("() => window.__speech.spoken[0].text") == "Mia found a red umbrella."
    expect(page.locator(".sentence.is-speaking")).to_have_text("Mia found a red umbrella.")
    assert page.locator("audio").count() == 0
    page.get_by_role("button", name="Stop").click()


def test_the_reader_says_how_far_the_narration_is_or_why_it_failed(live_server, new_context):
    owner = UserFactory()
    narrating = ready_book(owner, pages=2, texts=TEXTS)
    GenerationJobFactory(
        owner=owner, story=narrating, kind=StoryJobKind.PAGE_NARRATION, status=GenerationJob.Status.RUNNING
    )
    failed = ready_book(owner, pages=2, texts=TEXTS)
    GenerationJobFactory(
        owner=owner,
        story=failed,
        kind=StoryJobKind.PAGE_NARRATION,
        status=GenerationJob.Status.FAILED,
        error_code="provider_unavailable",
        error_message="The voice server did not answer.",
    )

    page = open_book(new_context, live_server, narrating, anchor="narration")
    expect(page.locator("#narration")).to_contain_text("Narrating… 0 of 2 pages")
    page.goto(f"{live_server.url}/stories/{failed.pk}/#narration")
    expect(page.locator("#narration")).to_contain_text("The voice server did not answer.")
    expect(page.get_by_role("button", name="Give the book a voice")).to_be_visible()
