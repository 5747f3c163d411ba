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
"""

from __future__ import annotations

import base64
import collections
import contextlib
import email.parser
import email.policy
import hashlib
import io
import json
import random
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw

ENDPOINTS = {
    "/v1/chat/completions": "chat",
    "/v1/images/generations": "images",
    "/v1/images/edits": "edits",
    "/v1/moderations": "moderations",
}
MAX_SLEEP = 10.0  # no scripted wait holds a server thread longer than this
DEFAULT_SLOW_SECONDS = 3.0
DEFAULT_FLAG_WORD = "FLAGME"
DEFAULT_FLAG_CATEGORIES = ("violence",)
DEFAULT_PAGE_COUNT = 4
MODERATION_CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/instructions",
    "self-harm/intent",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)

# Page texts of the default story. The simple one reads at about grade -2, the
# other at about grade 3, so each fits the reading-level targets of its age groups.
SIMPLE_PAGES = (
    "{name} finds a red ball. The ball is big and round.",
    "The ball rolls down the hill. Roll, roll, roll!",
    "{name} runs and runs. Can {name} catch it?",
    "Splash! The ball is in the pond. A duck says quack.",
    "The duck gives the ball back. {name} says thank you.",
    "Now they play all day. What a fun day!",
    "The sun goes down. It is time for bed.",
    "{name} hugs the ball. Good night, ball.",
)
STORY_PAGES = (
    '{name} found a shiny red ball under the old apple tree. "Who does this belong to?" {name} wondered.',
    "The ball started rolling down the hill, faster and faster. {name} ran after it, laughing.",
    "At the bottom of the hill, the ball landed in the pond with a big splash.",
    "A friendly duck paddled over and pushed the ball back to the shore with her beak.",
    '"Thank you!" said {name}. The duck quacked happily and swam in a little circle.',
    "They played catch until the sky turned orange and pink above the garden.",
    "When the stars came out, {name} waved goodbye and carried the ball home.",
    "That night, {name} dreamed of rolling hills, splashing ponds and a very clever duck.",
)


@dataclass(frozen=True)
class Reply:
    """One scripted answer. Build them with the class methods below."""

    kind: str  # ok, error, slow, malformed, content, stream_cut, stream_truncated, url_only
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    error: dict | None = None
    seconds: float = 0.0
    text: str | None = None  # the chat message content of a "content" reply
    finish_reason: str | None = "stop"
    after_chunks: int = 2

    @property
    def label(self) -> str:
        """How the requests log names this reply: "ok", "429", "slow", ..."""
        return str(self.status) if self.kind == "error" else self.kind

    @classmethod
    def ok(cls) -> Reply:
        """The default answer (useful between faults in a script)."""
        return cls("ok")

    @classmethod
    def error_status(
        cls, status: int, message: str = "", *, code: str | None = None, type: str = "", headers: dict | None = None
    ) -> Reply:
        body = {
            "message": message or f"Fake error {status}.",
            "type": type or ("server_error" if status >= 500 else "invalid_request_error"),
            "param": None,
            "code": code,
        }
        return cls("error", status=status, error=body, headers=tuple((headers or {}).items()))

    @classmethod
    def rate_limited(
        cls, retry_after: float | None = 1, *, retry_after_ms: float | None = None, http_date: bool = False
    ) -> Reply:
        """429. `retry_after` goes in Retry-After as seconds, or as an HTTP date
        `retry_after` seconds from now when `http_date`; `retry_after_ms` adds retry-after-ms."""
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = (
                formatdate(time.time() + retry_after, usegmt=True) if http_date else f"{retry_after:g}"
            )
        if retry_after_ms is not None:
            headers["retry-after-ms"] = f"{retry_after_ms:g}"
        return cls.error_status(
            429,
            "Rate limit reached for requests. Please try again later.",
            code="rate_limit_exceeded",
            type="requests",
            headers=headers,
        )

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        message = "The server is overloaded." if status == 503 else "The server had an error processing your request."
        return cls.error_status(status, message)

    @classmethod
    def content_policy(cls) -> Reply:
        return cls.error_status(
            400, "Your request was rejected as a result of our safety system.", code="content_policy_violation"
        )

    @classmethod
    def bad_request(cls, message: str = "Invalid value for 'model'.") -> Reply:
        return cls.error_status(400, message, code="invalid_value")

    @classmethod
    def unauthorized(cls) -> Reply:
        """401. Its message repeats the key the client sent, as careless servers do."""
        return cls.error_status(401, "Incorrect API key provided: {api_key}.", code="invalid_api_key")

    @classmethod
    def slow(cls, seconds: float | None = None) -> Reply:
        """The default answer after `seconds` (default: the server's `slow_seconds`, capped at MAX_SLEEP)."""
        return cls("slow", seconds=seconds if seconds is not None else -1)

    @classmethod
    def malformed(cls) -> Reply:
        """200 with a body that is not JSON."""
        return cls("malformed")

    @classmethod
    def content(cls, text: str, *, finish_reason: str | None = "stop") -> Reply:
        """A chat answer with exactly this message content."""
        return cls("content", text=text, finish_reason=finish_reason)

    @classmethod
    def story(
        cls,
        *,
        texts: list[str] | tuple[str, ...] | None = None,
        page_count: int | None = None,
        title: str = "The Red Ball",
        summary: str = "A ball rolls into a pond and a duck helps to get it back.",
    ) -> Reply:
        """A story JSON with these page texts, or `page_count` default pages (which may
        differ from what the prompt asked for)."""
        texts = list(texts) if texts is not None else _page_texts(page_count or DEFAULT_PAGE_COUNT, "6-8", "Mia")
        pages = [{"text": text, "visual_description": f"Picture {n}: {text}"} for n, text in enumerate(texts, 1)]
        return cls.content(json.dumps({"title": title, "summary": summary, "pages": pages}))

    @classmethod
    def stream_cut(cls, after_chunks: int = 2) -> Reply:
        """A streamed answer whose connection drops after `after_chunks` chunks."""
        return cls("stream_cut", after_chunks=after_chunks)

    @classmethod
    def stream_truncated(cls, after_chunks: int = 2) -> Reply:
        """A streamed answer that ends cleanly after `after_chunks` chunks, with no
        finish_reason and no [DONE]."""
        return cls("stream_truncated", after_chunks=after_chunks)

    @classmethod
    def url_only(cls) -> Reply:
        """An images answer with `url` and no `b64_json`."""
        return cls("url_only")


CHAOS_FAULTS = {
    "429": lambda: Reply.rate_limited(1),
    "500": lambda: Reply.server_error(500),
    "503": lambda: Reply.server_error(503),
    "timeout": lambda: Reply.slow(),
    "cut": lambda: Reply.stream_cut(),
}


@dataclass
class RecordedRequest:
    endpoint: str  # chat, images, edits, moderations, models, unknown
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    json: dict | None = None
    form: dict[str, str] = field(default_factory=dict)  # multipart text fields
    files: list[dict] = field(default_factory=list)  # multipart files: name, filename, content_type, size
    reply: str = "ok"  # the label of the reply given: ok, 429, 500, slow, stream_cut, ...
    at: float = 0.0

    @property
    def prompt_text(self) -> str:
        """Every message's text of a chat request, or the prompt of an images request."""
        if self.json and "messages" in self.json:
            return "\n".join(str(message.get("content", "")) for message in self.json["messages"])
        return (self.json or {}).get("prompt") or self.form.get("prompt", "")


class FakeOpenAIServer:
    """The server. `start()` it (or use it as a context manager) and point a client at `base_url`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._address = (host, port)
        self._lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- life cycle ---------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        self._httpd = _HTTPServer(self._address, _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._wake.set()  # let sleeping handlers finish at once
        self._httpd.shutdown()
        self._httpd.connections_close()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        self._httpd.handler_threads_join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- controls -------------------------------------------------------------

    def reset(self) -> None:
        """Forget scripts, chaos, latency and the requests log; wake any handler still sleeping."""
        with self._lock:
            old_wake = getattr(self, "_wake", None)
            self._wake = threading.Event()
            self._queues: dict[str, collections.deque[Reply]] = collections.defaultdict(collections.deque)
            self._chaos_rate = 0.0
            self._chaos_rng = random.Random(0)
            self._chaos_faults: tuple[Reply | str, ...] = ()
            self._chaos_endpoints: frozenset[str] | None = None
            self.requests: list[RecordedRequest] = []
            self.latency = 0.0  # seconds added to every call
            self.endpoint_latency: dict[str, float] = {}  # per endpoint ("chat", "images", ...), overrides latency
            self.slow_seconds = DEFAULT_SLOW_SECONDS  # how long Reply.slow() and chaos "timeout" wait
            self.flag_word = DEFAULT_FLAG_WORD
            self.flag_categories = DEFAULT_FLAG_CATEGORIES
        if old_wake is not None:
            old_wake.set()

    def script(self, endpoint: str, *replies: Reply) -> None:
        """Answer the next calls to `endpoint` (chat, images, edits, moderations, or
        any) with `replies`, in order; then the default answers again. An endpoint's
        own script comes before the "any" script."""
        if endpoint not in (*ENDPOINTS.values(), "any"):
            raise ValueError(f"Unknown endpoint {endpoint!r}.")
        with self._lock:
            self._queues[endpoint].extend(replies)

    def chaos(
        self,
        rate: float,
        *,
        seed: int = 0,
        faults: tuple[Reply | str, ...] = ("429", "500", "timeout"),
        endpoints: tuple[str, ...] | None = None,
    ) -> None:
        """Make a share `rate` of unscripted calls (to `endpoints`, default all) fail
        with one of `faults`, chosen by a random generator seeded with `seed`.
        Faults are Reply objects or names: 429, 500, 503, timeout, cut."""
        with self._lock:
            self._chaos_rate = rate
            self._chaos_rng = random.Random(seed)
            self._chaos_faults = tuple(faults)
            self._chaos_endpoints = frozenset(endpoints) if endpoints else None

    def requests_for(self, endpoint: str) -> list[RecordedRequest]:
        with self._lock:
            return [request for request in self.requests if request.endpoint == endpoint]

    # -- used by the handler ---------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_reply(self, endpoint: str) -> Reply:
        with self._lock:
            for queue_name in (endpoint, "any"):
                if self._queues[queue_name]:
                    return self._queues[queue_name].popleft()
            chaos_applies = self._chaos_endpoints is None or endpoint in self._chaos_endpoints
            if self._chaos_rate and chaos_applies and self._chaos_rng.random() < self._chaos_rate:
                fault = self._chaos_rng.choice(self._chaos_faults)
                return CHAOS_FAULTS[fault]() if isinstance(fault, str) else fault
        return Reply.ok()

    def _sleep(self, seconds: float) -> None:
        """Wait, but no longer than MAX_SLEEP and never past a reset() or stop()."""
        if seconds > 0:
            self._wake.wait(min(seconds, MAX_SLEEP))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() closes connections itself; kept-alive ones must not hold it up
    fake: FakeOpenAIServer

    def __init__(self, *args, **kwargs):
        self._connections: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def connection_opened(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)
            self._handler_threads.add(threading.current_thread())

    def connection_closed(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)
            self._handler_threads.discard(threading.current_thread())

    def connections_close(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handler_threads_join(self, timeout: float) -> None:
        with self._connections_lock:
            threads = list(self._handler_threads)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def handle_error(self, request, client_address):
        pass  # a client that hung up (timeouts, cut streams) is normal here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in separate writes; do not wait 40 ms between them
    timeout = 30  # an idle kept-alive connection closes after this
    server: _HTTPServer

    def setup(self):
        super().setup()
        self.server.connection_opened(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.connection_closed(self.connection)

    def log_message(self, format, *args):
        pass

    # -- dispatch -------------------------------------------------------------

    def do_GET(self):
        if self.path.split("?")[0] == "/v1/models":
            models = ["gpt-4o-mini", "gpt-image-1", "omni-moderation-latest"]
            self._json(
                200, {"object": "list", "data": [{"id": m, "object": "model", "owned_by": "fake"} for m in models]}
            )
        else:
            self._error(404, {"message": f"Unknown path {self.path}.", "type": "invalid_request_error", "code": None})

    def do_POST(self):
        fake = self.server.fake
        path = self.path.split("?")[0]
        endpoint = ENDPOINTS.get(path, "unknown")
        body = self._body()
        request = RecordedRequest(
            endpoint, "POST", path, {k.lower(): v for k, v in self.headers.items()}, at=time.time()
        )
        try:
            if endpoint == "edits":
                request.form, request.files = _multipart_parse(self.headers.get("Content-Type", ""), body)
            else:
                request.json = json.loads(body or b"{}")
        except ValueError:
            fake._record(request)
            return self._error(400, {"message": "We could not parse the JSON body.", "type": "invalid_request_error"})
        if endpoint == "unknown":
            fake._record(request)
            return self._error(404, {"message": f"Unknown path {path}.", "type": "invalid_request_error"})

        reply = fake._next_reply(endpoint)
        request.reply = reply.label
        fake._record(request)
        fake._sleep(fake.endpoint_latency.get(endpoint, fake.latency))
        if reply.kind == "slow":
            fake._sleep(reply.seconds if reply.seconds >= 0 else fake.slow_seconds)
        if reply.kind == "error":
            error = dict(reply.error)
            error["message"] = error["message"].replace("{api_key}", _bearer(request.headers))
            return self._error(reply.status, error, dict(reply.headers))
        if reply.kind == "malformed":
            return self._raw(200, b'{"id": "broken", "choices": [', "application/json")
        if endpoint == "chat":
            return self._chat(request.json, reply)
        if endpoint in ("images", "edits"):
            return self._images(request, reply)
        return self._moderations(request.json)

    # -- endpoints --------------------------------------------------------------

    def _chat(self, body: dict, reply: Reply) -> None:
        schema_name = ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
        if reply.kind == "content":
            content = reply.text
        elif schema_name == "picture_book_page":
            content = json.dumps({"text": REWRITTEN_PAGE, "visual_description": "A new picture of the same moment."})
        else:
            content = _default_story(body.get("messages", []))
        prompt_text = "\n".join(str(message.get("content", "")) for message in body.get("messages", []))
        usage = {
            "prompt_tokens": max(1, len(prompt_text) // 4),
            "completion_tokens": max(1, len(content) // 4),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        model = body.get("model", "gpt-4o-mini")
        created = int(time.time())
        if not body.get("stream"):
            return self._json(
                200,
                {
                    "id": completion_id,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content, "refusal": None},
                            "finish_reason": reply.finish_reason,
                        }
                    ],
                    "usage": usage,
                },
            )

        def chunk(delta: dict, finish_reason=None, **extra) -> dict:
            choices = [{"index": 0, "delta": delta, "finish_reason": finish_reason}]
            return {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": choices,
                **extra,
            }

        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = [chunk({"role": "assistant", "content": ""})]
        events += [chunk({"content": content[i : i + 40]}) for i in range(0, len(content), 40)]
        events.append(chunk({}, reply.finish_reason))
        if include_usage:
            events.append({**chunk({}), "choices": [], "usage": usage})

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
        self.end_headers()
        if reply.kind in ("stream_cut", "stream_truncated"):
            for event in events[: reply.after_chunks]:
                self._chunk_write(f"data: {json.dumps(event)}\n\n".encode())
            if reply.kind == "stream_truncated":
                self._chunk_write(b"")
            else:  # drop the connection in the middle of the chunked body
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        for event in events:
            self._chunk_write(f"data: {json.dumps(event)}\n\n".encode())
        self._chunk_write(b"data: [DONE]\n\n")
        self._chunk_write(b"")

    def _images(self, request: RecordedRequest, reply: Reply) -> None:
        fields = request.json if request.endpoint == "images" else request.form
        prompt = str(fields.get("prompt", ""))
        count = int(fields.get("n") or 1)
        width, height = _png_size(str(fields.get("size") or "1024x1024"))
        if reply.kind == "url_only" or fields.get("response_format") == "url":
            data = [{"url": f"http://127.0.0.1:{self.server.server_address[1]}/files/{i}.png"} for i in range(count)]
        else:
            data = [{"b64_json": base64.b64encode(_png(prompt, i, width, height)).decode()} for i in range(count)]
        tokens = max(1, len(prompt) // 4)
        usage = {
            "input_tokens": tokens,
            "input_tokens_details": {"image_tokens": 0, "text_tokens": tokens},
            "output_tokens": 272 * count,
            "total_tokens": tokens + 272 * count,
        }
        self._json(200, {"created": int(time.time()), "data": data, "usage": usage})

    def _moderations(self, body: dict) -> None:
        fake = self.server.fake
        inputs = body.get("input", [])
        inputs = [inputs] if isinstance(inputs, str) else list(inputs)
        results = []
        for text in inputs:
            text = text if isinstance(text, str) else json.dumps(text)
            flagged = bool(fake.flag_word) and fake.flag_word.lower() in text.lower()
            categories = {name: flagged and name in fake.flag_categories for name in MODERATION_CATEGORIES}
            results.append(
                {
                    "flagged": flagged,
                    "categories": categories,
                    "category_scores": {name: 0.97 if on else 0.0001 for name, on in categories.items()},
                    "category_applied_input_types": {name: ["text"] for name in MODERATION_CATEGORIES},
                }
            )
        self._json(200, {"id": f"modr-{uuid.uuid4().hex[:12]}", "model": body.get("model", ""), "results": results})

    # -- low level ----------------------------------------------------------------

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _chunk_write(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _raw(self, status: int, payload: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status: int, payload: dict, headers: dict | None = None) -> None:
        self._raw(status, json.dumps(payload).encode(), "application/json", headers)

    def _error(self, status: int, error: dict, headers: dict | None = None) -> None:
        self._json(status, {"error": {"param": None, "code": None, **error}}, headers)


REWRITTEN_PAGE = "The wind turned, and the little boat sailed home before the rain."


def _bearer(headers: dict[str, str]) -> str:
    return headers.get("authorization", "").removeprefix("Bearer ").strip()


def _default_story(messages: list[dict]) -> str:
    """A valid story for the prompt: as many pages as it asks for, at a reading
    level that suits the age group it names, about its first character."""
    text = "\n".join(str(message.get("content", "")) for message in messages if message.get("role") != "assistant")
    pages = re.search(r"exactly (\d+) pages?", text)
    age_group = re.search(r"Age group: (\d+-\d+)", text)
    name = re.search(r"^1\. (.+?) \(", text, re.MULTILINE)
    page_texts = _page_texts(
        int(pages.group(1)) if pages else DEFAULT_PAGE_COUNT,
        age_group.group(1) if age_group else "6-8",
        name.group(1) if name else "Mia",
    )
    first_name = name.group(1) if name else "Mia"
    return json.dumps(
        {
            "title": f"{first_name} and the Red Ball",
            "summary": f"{first_name} chases a red ball into a pond, and a friendly duck helps to get it back.",
            "pages": [
                {"text": page, "visual_description": f"{first_name} in a sunny garden. {page}"} for page in page_texts
            ],
        }
    )


def _page_texts(count: int, age_group: str, name: str) -> list[str]:
    bank = SIMPLE_PAGES if age_group in ("1-2", "3-5") else STORY_PAGES
    return [bank[i % len(bank)].format(name=name) for i in range(count)]


def _png_size(size: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", size)
    width, height = (int(match.group(1)), int(match.group(2))) if match else (1024, 1024)
    return max(16, width // 16), max(16, height // 16)


def _png(prompt: str, index: int, width: int, height: int) -> bytes:
    """A small PNG whose colours come from the prompt, with a dot placed by `index`
    so that candidates of one prompt differ."""
    digest = hashlib.sha256(prompt.encode()).digest()
    image = Image.new("RGB", (width, height), tuple(digest[:3]))
    x = (index * 13) % max(1, width - 16)
    ImageDraw.Draw(image).ellipse((x, height // 3, x + 16, height // 3 + 16), fill=tuple(digest[3:6]))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _multipart_parse(content_type: str, body: bytes) -> tuple[dict[str, str], list[dict]]:
    if "multipart/form-data" not in content_type:
        raise ValueError("not a multipart form")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    form, files = {}, []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is None:
            form[name] = payload.decode()
        else:
            files.append(
                {"name": name, "filename": filename, "content_type": part.get_content_type(), "size": len(payload)}
            )
    return form, files
