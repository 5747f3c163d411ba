"""What a chat request gets from the fake server: refused (unknown model, a
response_format the profile does not take), or a default answer chosen by the JSON
schema the request names and dressed as the profile's model would write it."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from tests.fakes.openai_server import dialects
from tests.fakes.openai_server.content import REWRITTEN_PAGE, default_story

if TYPE_CHECKING:
    from tests.fakes.openai_server.profiles import ServerProfile
    from tests.fakes.openai_server.server import FakeOpenAIServer

# StoryForge's prompt names the schema when it cannot send it as response_format.
SCHEMA_NAMED = re.compile(r'JSON schema named "(\w+)"')
PROSE = {  # what a model says before and after its JSON when nothing holds it to JSON
    "picture_book_page": ("Here is the new page:", "I kept the same moment, told a little differently."),
    "moderation_verdict": ("Here is my verdict:", "Let me know if you need anything else."),
}
STORY_PROSE = ("Here is your story:", "I hope you like it!")


def message_text(message: dict) -> str:
    """A message's text, whether its content is a string or a list of parts."""
    content = message.get("content")
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content or "")


def refusal(body: dict, fake: FakeOpenAIServer) -> tuple[str, dialects.Answer] | None:
    """How the server refuses this chat request (a label for the requests log, and
    the answer), or None when it serves it."""
    profile = fake.profile
    model = str(body.get("model", ""))
    if profile.model_check and dialects.model_resolve(profile, model) is None:
        return "model_not_found", dialects.model_not_found(profile, model)
    format_type = (body.get("response_format") or {}).get("type")
    if format_type is None or format_type in profile.response_formats:
        return None
    if profile.ignores_unknown_formats and format_type not in dialects.OPENAI_FORMATS:
        return None
    return "format_rejected", dialects.format_rejected(profile, str(format_type))


def schema_name(body: dict) -> str | None:
    """The JSON schema the request asks for: response_format's, else the one its prompt names."""
    named = ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
    if named:
        return named
    match = SCHEMA_NAMED.search("\n".join(message_text(message) for message in body.get("messages", [])))
    return match.group(1) if match else None


def default_content(body: dict, fake: FakeOpenAIServer) -> str:
    """The default answer's message content, as the profile's model writes it."""
    name = schema_name(body)
    messages = body.get("messages", [])
    if name == "picture_book_page":
        content = json.dumps({"text": REWRITTEN_PAGE, "visual_description": "A new picture of the same moment."})
    elif name == "moderation_verdict":
        content = json.dumps(_verdict(messages, fake))
    else:
        content = default_story(messages)
    profile = fake.profile
    if profile.prose_around_json and not _held_to_json(body, profile):
        before, after = PROSE.get(name or "", STORY_PROSE)
        content = f"{before}\n```json\n{content}\n```\n{after}"
    if profile.think:
        content = f"<think>{profile.think}</think>\n\n{content}"
    return content


def _verdict(messages: list[dict], fake: FakeOpenAIServer) -> dict:
    """Flagged when the flag word is in what the user wrote (the instructions around it do not count)."""
    user_text = "\n".join(message_text(message) for message in messages if message.get("role") == "user")
    flagged = bool(fake.flag_word) and fake.flag_word.lower() in user_text.lower()
    return {"flagged": flagged, "categories": list(fake.flag_categories) if flagged else []}


def _held_to_json(body: dict, profile: ServerProfile) -> bool:
    """Whether the server holds the model to JSON: json_object or json_schema asked
    for and taken (a type the server ignores holds nothing)."""
    format_type = (body.get("response_format") or {}).get("type")
    return format_type in ("json_object", "json_schema") and format_type in profile.response_formats
