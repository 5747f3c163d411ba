"""A fake OpenAI-compatible HTTP server for tests and benchmarks.

It listens on a real socket, so the real `openai` client talks HTTP to it, and
answers the endpoints StoryForge uses:

    POST /v1/chat/completions     JSON for the schema the request names, in its
                                  response_format or in its prompt ("... the JSON
                                  schema named "NAME""): a picture_book story with
                                  the page count asked for, a rewritten
                                  picture_book_page, or a moderation_verdict
                                  (flagged when the user's text has `flag_word`);
                                  streamed as SSE when asked
    POST /v1/images/generations   small PNGs as b64_json; the recognisable unsafe
                                  picture when the prompt has `unsafe_picture_word`
    POST /v1/images/edits         the same, from a multipart form with reference images
    POST /v1/moderations          flags inputs that contain `flag_word`, and pictures
                                  (multi-modal `image_url` items, judged together in
                                  one result) that are the unsafe picture; a
                                  `text-moderation-*` model refuses pictures (400)
    GET  /v1/models               the profile's model list, and GET /v1/models/{id}

`FakeOpenAIServer(profile=...)` plays one of the servers self-hosters run, for the
server's whole life (profiles.py): OPENAI (the default), OLLAMA, OLLAMA_REASONING,
LLAMACPP_OLD, TEXTGEN_PLAIN, LMSTUDIO, VLLM. A profile decides the model list,
which endpoints are missing (answered as that server answers a route it lacks),
which response_format types are refused, whether an unknown model is refused, and
how its model dresses the default answers: a <think> block first, prose and a
```json fence around the JSON when nothing held it to JSON. Scripted
`Reply.content` answers are sent exactly as written, whatever the profile.

Tests change what it does with `script()` (replies and faults answered in
order, per endpoint), `chaos()` (a share of calls fail at random, from a seed),
`latency` (seconds added to every call), `flag_word` and `unsafe_picture_word`; `requests` records
every call. `reset()` restores the defaults (the profile stays). See `Reply` for
the scripted replies.

- server.py: `FakeOpenAIServer`, its life and its controls
- profiles.py: `ServerProfile` and the ready-made profiles, each with its source
- dialects.py: how each server family words its answers and errors
- replies.py: `Reply`, what a test can script
- handler.py: the HTTP side: routing, the endpoints' answers, and `RecordedRequest`
- chat.py: what a chat request gets: refusals, and the default answer's content
- content.py: what the default answers contain (stories, PNGs, moderation categories)
- moderations.py: what /v1/moderations answers, for text and pictures
"""

from tests.fakes.openai_server.handler import RecordedRequest
from tests.fakes.openai_server.profiles import (
    LLAMACPP_OLD,
    LMSTUDIO,
    OLLAMA,
    OLLAMA_REASONING,
    OPENAI,
    TEXTGEN_PLAIN,
    VLLM,
    ServerProfile,
)
from tests.fakes.openai_server.replies import Reply
from tests.fakes.openai_server.server import FakeOpenAIServer

# What tests and benchmarks import from here; tests/chaos/ imports the default story
# by its name of old.
__all__ = [
    "LLAMACPP_OLD",
    "LMSTUDIO",
    "OLLAMA",
    "OLLAMA_REASONING",
    "OPENAI",
    "TEXTGEN_PLAIN",
    "VLLM",
    "FakeOpenAIServer",
    "RecordedRequest",
    "Reply",
    "ServerProfile",
]
