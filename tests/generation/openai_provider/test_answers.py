"""Finding the JSON in what a local model wrote."""

import pytest

from storyforge.generation.providers.openai.answers import json_object, verdict_parse

STORY = '{"title": "T", "summary": "S", "pages": []}'


@pytest.mark.parametrize(
    "reply",
    [
        STORY,
        f"```json\n{STORY}\n```",
        f"Here is your story:\n```json\n{STORY}\n```\nI hope you like it!",
        f"Sure! {STORY} Enjoy.",
        # A reasoning model thinks aloud first, braces and all.
        f"<think>The schema wants {{title}}; keep it gentle.</think>\n\n{STORY}",
        f"<think>\nShort sentences.\n</think>\n```json\n{STORY}\n```",
    ],
)
def test_the_json_object_is_found_whatever_surrounds_it(reply):
    assert json_object(reply) == {"title": "T", "summary": "S", "pages": []}


def test_a_reply_with_no_json_says_so():
    with pytest.raises(ValueError, match="not valid JSON"):
        json_object("I cannot write that story.")


def test_a_verdict_must_say_flagged_or_not():
    assert verdict_parse({"flagged": True, "categories": ["violence"]}).categories == ("violence",)
    assert verdict_parse({"flagged": False, "categories": ["violence"]}).categories == ()
    with pytest.raises(ValueError):
        verdict_parse({"flagged": "maybe"})
