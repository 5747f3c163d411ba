"""A story's JSON read while it streams: every page reported once, in order, as soon
as it is complete, however the stream is cut (every byte boundary included)."""

import codecs
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from storyforge.generation.providers.json_stream import JsonObjectStream

STORY = {
    "title": 'Mia and the "Moon" \\ Café',
    "summary": "Mia finds a moon-shaped pebble. 月",
    "pages": [
        {"text": "Page one: Mia runs.\nShe laughs!", "visual_description": "Mia on a beach, {braces} [and] \u00e9"},
        {"text": "Page two 🐢 a turtle.", "visual_description": 'A turtle, "smiling"', "extra": [1, {"a": []}]},
        {"text": "Page three: home \\u0041.", "visual_description": "Home at dusk."},
    ],
}


class Seen:
    def __init__(self):
        self.events = []
        self.stream = JsonObjectStream(
            on_member=lambda key, value: self.events.append(("member", key, value)),
            on_item=lambda key, index, value: self.events.append(("item", key, index, value)),
        )


def expected_events(story: dict) -> list:
    events = []
    for key, value in story.items():
        if isinstance(value, str):
            events.append(("member", key, value))
        elif isinstance(value, list):
            events += [("item", key, index, item) for index, item in enumerate(value)]
    return events


def fed(pieces) -> Seen:
    seen = Seen()
    for piece in pieces:
        seen.stream.feed(piece)
    return seen


def byte_pieces_decoded(data: bytes, cuts: list[int]) -> list[str]:
    """The pieces as an HTTP client would see them: bytes cut anywhere, decoded as they come."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    bounds = [0, *sorted(set(cuts)), len(data)]
    return [decoder.decode(data[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)] + [decoder.decode(b"", True)]


def test_every_page_is_reported_in_order_whatever_byte_the_stream_is_cut_at():
    for text in (json.dumps(STORY), json.dumps(STORY, ensure_ascii=False), json.dumps(STORY, indent=2)):
        data = text.encode()
        for cut in range(len(data) + 1):
            seen = fed(byte_pieces_decoded(data, [cut]))
            assert seen.events == expected_events(STORY), cut
            assert not seen.stream.given_up


def test_cut_into_three_at_every_pair_of_places_a_small_story_still_reads_right():
    small = {"title": "T\u00e9", "summary": "S", "pages": [{"text": 'a\\"b', "v": "c"}, {"text": "d"}]}
    data = json.dumps(small, ensure_ascii=False).encode()
    for first in range(len(data) + 1):
        for second in range(first, len(data) + 1):
            assert fed(byte_pieces_decoded(data, [first, second])).events == expected_events(small)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), max_size=40), st.booleans())
def test_any_number_of_cuts_anywhere(cuts, indent):
    data = json.dumps(STORY, ensure_ascii=False, indent=2 if indent else None).encode()
    seen = fed(byte_pieces_decoded(data, [cut % (len(data) + 1) for cut in cuts]))
    assert seen.events == expected_events(STORY)


def test_a_page_is_reported_as_soon_as_it_closes_not_at_the_end():
    text = json.dumps(STORY)
    end_of_first_page = text.index('}, {"text"') + 1
    seen = fed([text[:end_of_first_page]])
    assert [event[:3] for event in seen.events if event[0] == "item"] == [("item", "pages", 0)]
    assert ("member", "title", STORY["title"]) in seen.events


def test_a_model_thinking_aloud_first_is_skipped():
    text = "<think>I could write {a story} about [things].</think>\n\n" + json.dumps(STORY)
    for cut in range(len(text) + 1):
        assert fed([text[:cut], text[cut:]]).events == expected_events(STORY)


def test_prose_before_the_json_gives_up_quietly_and_reports_nothing():
    seen = fed(["Here is your story:\n```json\n", json.dumps(STORY), "\n```"])
    assert seen.stream.given_up and seen.events == []


def test_text_after_the_object_is_ignored():
    assert fed([json.dumps(STORY), "\nI hope you like it! }]"]).events == expected_events(STORY)
