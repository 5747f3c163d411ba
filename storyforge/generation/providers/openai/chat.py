"""Asking a chat model for JSON, on servers that differ in how they can be asked.

Three structured-output modes, tried in order until the server accepts one:
`json_schema` (OpenAI, Ollama, vLLM, LM Studio, recent llama.cpp), `json_object`
with the schema in the prompt (older llama.cpp), and plain text with the schema in
the prompt (servers that reject both). A 400 (or llama.cpp's 500) whose message
names `response_format` moves to the next mode; what was learnt is kept in
the server's facts, so later calls start from the mode that works.
"""

from __future__ import annotations

import openai

from storyforge.generation.providers import prompts

MODES = ("json_schema", "json_object", "text")


class FormatRejected(Exception):
    """The server refused the response_format of this mode."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def format_rejected(error: openai.APIStatusError) -> bool:
    """Whether a refusal is about `response_format`, rather than anything else: a 400
    or 422, or the 500 that llama.cpp's server answered every such refusal with in 2024."""
    return error.status_code in (400, 422, 500) and "response_format" in f"{error.message} {error.body}"


def mode_after(mode: str) -> str | None:
    position = MODES.index(mode) if mode in MODES else -1
    return MODES[position + 1] if position + 1 < len(MODES) else None


def request_shape(messages: list[dict], mode: str, schema: dict, name: str) -> tuple[list[dict], dict]:
    """The messages and extra arguments of a chat request for `mode`."""
    if mode == "json_schema":
        return messages, {
            "response_format": {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
        }
    instruction = prompts.schema_instruction(name, schema)
    if messages and messages[0].get("role") == "system":
        shaped = [{**messages[0], "content": f"{messages[0]['content']}\n\n{instruction}"}, *messages[1:]]
    else:
        shaped = [{"role": "system", "content": instruction}, *messages]
    extra = {"response_format": {"type": "json_object"}} if mode == "json_object" else {}
    return shaped, extra
