"""What the fake's /v1/moderations answers: a result per string, and for
multi-modal items ({"type": "text" | "image_url", ...}) one result for them all,
as omni-moderation does. Text is flagged when it has the fake's `flag_word`, a
picture when it is the recognisable unsafe one (content.py). OpenAI's text-only
moderation models (`text-moderation-*`) refuse a picture with a 400."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from tests.fakes.openai_server.content import IMAGE_CATEGORIES, MODERATION_CATEGORIES, picture_unsafe

if TYPE_CHECKING:
    from tests.fakes.openai_server.server import FakeOpenAIServer


def moderations_answer(body: dict, fake: FakeOpenAIServer) -> tuple[int, dict]:
    """The status, and the answer (or the error's fields when it is not 200)."""
    model = str(body.get("model", ""))
    inputs = body.get("input", [])
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    if not any(isinstance(item, dict) for item in inputs):
        results = [_result(fake, _text_flagged(fake, str(text)), False, ["text"]) for text in inputs]
        return 200, _answer(model, results)
    parts = [item for item in inputs if isinstance(item, dict)]
    texts = [str(item.get("text", "")) for item in parts if item.get("type") == "text"]
    urls = [str((item.get("image_url") or {}).get("url", "")) for item in parts if item.get("type") == "image_url"]
    if urls and model.startswith("text-moderation"):
        return 400, {"message": f"Image input is not supported by {model}.", "type": "invalid_request_error"}
    try:
        unsafe = any(picture_unsafe(url) for url in urls)
    except (ValueError, OSError):
        return 400, {"message": "Invalid image in input.", "type": "invalid_request_error"}
    types = (["text"] if texts else []) + (["image"] if urls else [])
    text_flagged = any(_text_flagged(fake, text) for text in texts)
    return 200, _answer(model, [_result(fake, text_flagged, unsafe, types)])


def _answer(model: str, results: list[dict]) -> dict:
    return {"id": f"modr-{uuid.uuid4().hex[:12]}", "model": model, "results": results}


def _text_flagged(fake: FakeOpenAIServer, text: str) -> bool:
    return bool(fake.flag_word) and fake.flag_word.lower() in text.lower()


def _result(fake: FakeOpenAIServer, text_flagged: bool, image_flagged: bool, types: list[str]) -> dict:
    """One result: the fake's flag categories are on for flagged text, and for a
    flagged picture those of them that pictures are judged for."""
    categories = {
        name: name in fake.flag_categories and (text_flagged or (image_flagged and name in IMAGE_CATEGORIES))
        for name in MODERATION_CATEGORIES
    }
    applied = {name: [t for t in types if t == "text" or name in IMAGE_CATEGORIES] for name in MODERATION_CATEGORIES}
    return {
        "flagged": text_flagged or image_flagged,
        "categories": categories,
        "category_scores": {name: 0.97 if on else 0.0001 for name, on in categories.items()},
        "category_applied_input_types": applied,
    }
