"""A fake OpenAI-compatible HTTP server for tests and benchmarks.

It listens on a real socket, so the real `openai` client talks HTTP to it, and
answers the four endpoints StoryForge uses:

    POST /v1/chat/completions     a valid picture-book story JSON (streamed as SSE
                                  when asked), with the page count asked for
    POST /v1/images/generations   small PNGs as b64_json
    POST /v1/images/edits         the same, from a multipart form with reference images
    POST /v1/moderations          flags inputs that contain `flag_word`
    GET  /v1/models               a model list

Tests change what it does with `script()` (replies and faults answered in
order, per endpoint), `chaos()` (a share of calls fail at random, from a seed),
`latency` (seconds added to every call) and `flag_word`; `requests` records
every call. `reset()` restores the defaults. See `Reply` for the scripted replies.

- server.py: `FakeOpenAIServer`, its life and its controls
- replies.py: `Reply`, what a test can script
- handler.py: the HTTP side: the endpoints' answers, and `RecordedRequest`
- content.py: what the default answers contain (stories, PNGs, moderation categories)
"""

from tests.fakes.openai_server.handler import RecordedRequest
from tests.fakes.openai_server.replies import Reply
from tests.fakes.openai_server.server import FakeOpenAIServer

# What tests and benchmarks import from here; tests/chaos/ imports the default story
# by its name of old.
__all__ = ["FakeOpenAIServer", "RecordedRequest", "Reply"]
