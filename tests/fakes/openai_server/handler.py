"""The HTTP side of the fake server: the endpoints' answers (JSON, SSE streams,
multipart forms), the requests it records, and connections it can close at once."""

from __future__ import annotations

import base64
import contextlib
import email.parser
import email.policy
import json
import socket
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from tests.fakes.openai_server import chat, dialects
from tests.fakes.openai_server.content import png, png_size, speech_mp3, unsafe_png
from tests.fakes.openai_server.moderations import moderations_answer
from tests.fakes.openai_server.replies import Reply

if TYPE_CHECKING:
    from tests.fakes.openai_server.server import FakeOpenAIServer

ENDPOINTS = {
    "/v1/chat/completions": "chat",
    "/v1/images/generations": "images",
    "/v1/images/edits": "edits",
    "/v1/moderations": "moderations",
    "/v1/audio/speech": "speech",
}


@dataclass
class RecordedRequest:
    endpoint: str  # chat, images, edits, moderations, unknown
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    json: dict | None = None
    form: dict[str, str] = field(default_factory=dict)  # multipart text fields
    files: list[dict] = field(default_factory=list)  # multipart files: name, filename, content_type, size
    # The label of the reply given: ok, 429, 500, slow, stream_cut, ...; or why the
    # server's profile refused it: missing (no such route), model_not_found, format_rejected.
    reply: str = "ok"
    at: float = 0.0

    @property
    def prompt_text(self) -> str:
        """Every message's text of a chat request, or the prompt of an images request."""
        if self.json and "messages" in self.json:
            return "\n".join(str(message.get("content", "")) for message in self.json["messages"])
        return (self.json or {}).get("prompt") or self.form.get("prompt", "")


class OpenAIHTTPServer(ThreadingHTTPServer):
    """A thread a connection, each one remembered so that `stop()` can end them at once."""

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


class OpenAIRequestHandler(BaseHTTPRequestHandler):
    """Answers one connection's requests as the fake's script, chaos and latency say."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in separate writes; do not wait 40 ms between them
    timeout = 30  # an idle kept-alive connection closes after this
    server: OpenAIHTTPServer

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
        # Not recorded in `requests`: tests count the calls that cost, and StoryForge may
        # list the models first to learn what the server can do.
        profile = self.server.fake.profile
        path = self.path.split("?")[0]
        if path == "/v1/models":
            answer = dialects.models_list(profile)
        elif path.startswith("/v1/models/") and profile.model_retrieve:
            answer = dialects.model_retrieve(profile, urllib.parse.unquote(path.removeprefix("/v1/models/")))
        else:
            answer = dialects.unknown_route(profile, "GET", self.path, other_method=self._served("POST", path))
        self._answer(answer)

    def do_POST(self):
        fake = self.server.fake
        path = self.path.split("?")[0]
        endpoint = ENDPOINTS.get(path, "unknown")
        body = self._body()
        request = RecordedRequest(endpoint, "POST", path, self._headers(), at=time.time())
        if not self._served("POST", path):  # routed before the body is parsed, as real servers do
            with contextlib.suppress(ValueError):
                request.json = None if endpoint == "edits" else json.loads(body or b"{}")
            request.reply = "missing"
            fake._record(request)
            return self._answer(
                dialects.unknown_route(fake.profile, "POST", self.path, other_method=self._served("GET", path))
            )
        try:
            if endpoint == "edits":
                request.form, request.files = _multipart_parse(self.headers.get("Content-Type", ""), body)
            else:
                request.json = json.loads(body or b"{}")
        except ValueError:
            fake._record(request)
            return self._error(400, {"message": "We could not parse the JSON body.", "type": "invalid_request_error"})
        refused = chat.refusal(request.json, fake) if endpoint == "chat" else None
        if refused:
            request.reply = refused[0]
            fake._record(request)
            return self._answer(refused[1])

        reply = fake._next_reply(endpoint)
        request.reply = reply.label
        fake._record(request)
        latency = fake.endpoint_latency.get(endpoint, fake.latency)
        paced = endpoint == "chat" and fake.stream_paced and bool(request.json.get("stream"))
        fake._sleep(0 if paced else latency)
        if reply.kind == "slow":
            fake._sleep(reply.seconds if reply.seconds >= 0 else fake.slow_seconds)
        if reply.kind == "error":
            error = dict(reply.error)
            error["message"] = error["message"].replace("{api_key}", _bearer(request.headers))
            return self._error(reply.status, error, dict(reply.headers))
        if reply.kind == "malformed":
            return self._raw(200, b'{"id": "broken", "choices": [', "application/json")
        if endpoint == "chat":
            return self._chat(request.json, reply, pace=latency if paced else 0.0)
        if endpoint in ("images", "edits"):
            return self._images(request, reply)
        if endpoint == "speech":
            return self._speech(request.json)
        return self._moderations(request.json)

    # -- endpoints --------------------------------------------------------------

    def _chat(self, body: dict, reply: Reply, pace: float = 0.0) -> None:
        """`pace`: seconds to spread the streamed chunks over (token-sized pieces then)."""
        content = reply.text if reply.kind == "content" else chat.default_content(body, self.server.fake)
        prompt_text = "\n".join(chat.message_text(message) for message in body.get("messages", []))
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
        size = 16 if pace else 40
        events += [chunk({"content": content[i : i + size]}) for i in range(0, len(content), size)]
        pause = pace / max(1, len(events) - 1)
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
            if pause and event["choices"] and event["choices"][0]["delta"].get("content"):
                self.server.fake._sleep(pause)
            self._chunk_write(f"data: {json.dumps(event)}\n\n".encode())
        self._chunk_write(b"data: [DONE]\n\n")
        self._chunk_write(b"")

    def _images(self, request: RecordedRequest, reply: Reply) -> None:
        fields = request.json if request.endpoint == "images" else request.form
        if "prompt" not in fields:  # as OpenAI answers, drawing nothing and charging nothing
            return self._error(
                400,
                {
                    "message": "Missing required parameter: 'prompt'.",
                    "type": "invalid_request_error",
                    "param": "prompt",
                },
            )
        prompt = str(fields.get("prompt", ""))
        count = int(fields.get("n") or 1)
        width, height = png_size(str(fields.get("size") or "1024x1024"))
        if reply.kind == "url_only" or fields.get("response_format") == "url":
            data = [{"url": f"http://127.0.0.1:{self.server.server_address[1]}/files/{i}.png"} for i in range(count)]
        else:
            unsafe = bool(self.server.fake.unsafe_picture_word) and self.server.fake.unsafe_picture_word in prompt
            drawn = [unsafe_png(width, height) if unsafe else png(prompt, i, width, height) for i in range(count)]
            data = [{"b64_json": base64.b64encode(picture).decode()} for picture in drawn]
        tokens = max(1, len(prompt) // 4)
        usage = {
            "input_tokens": tokens,
            "input_tokens_details": {"image_tokens": 0, "text_tokens": tokens},
            "output_tokens": 272 * count,
            "total_tokens": tokens + 272 * count,
        }
        self._json(200, {"created": int(time.time()), "data": data, "usage": usage})

    def _speech(self, body: dict) -> None:
        """/v1/audio/speech: an MP3 as long as the text would take to say; as OpenAI
        does, an empty body is refused without speaking."""
        missing = next((name for name in ("model", "input", "voice") if not body.get(name)), None)
        if missing:
            return self._error(400, {"message": f"Missing required parameter: '{missing}'.", "param": missing})
        return self._raw(200, speech_mp3(str(body["input"])), "audio/mpeg")

    def _moderations(self, body: dict) -> None:
        status, payload = moderations_answer(body, self.server.fake)
        if status != 200:
            return self._error(status, payload)
        self._json(200, payload)

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

    def _headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}

    def _served(self, method: str, path: str) -> bool:
        """Whether the server's profile has this route."""
        if method == "GET":
            return path == "/v1/models" or (path.startswith("/v1/models/") and self.server.fake.profile.model_retrieve)
        return path in ENDPOINTS and ENDPOINTS[path] not in self.server.fake.profile.missing

    def _answer(self, answer: dialects.Answer) -> None:
        self._raw(answer.status, answer.body, answer.content_type)

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


def _bearer(headers: dict[str, str]) -> str:
    return headers.get("authorization", "").removeprefix("Bearer ").strip()


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
