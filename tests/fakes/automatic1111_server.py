"""A fake AUTOMATIC1111 / Forge Stable Diffusion WebUI, as started with `--api`, on a
real socket, so the provider's HTTP client talks to it as it would to the real one.

Modelled on AUTOMATIC1111/stable-diffusion-webui modules/api/api.py and models.py
(lllyasviel/stable-diffusion-webui-forge keeps the same routes and shapes):

    POST /sdapi/v1/txt2img     {"images": [base64 PNG...], "parameters": {...}, "info": "<JSON string>"};
    POST /sdapi/v1/img2img     the same, drawn over `init_images[0]` (base64, a data: URL prefix allowed)
    GET  /sdapi/v1/sd-models   [{"title", "model_name", "hash", "sha256", "filename", "config"}]
    GET  /sdapi/v1/options     the settings, with "sd_model_checkpoint" (the loaded checkpoint's title)

and on how the server behaves around them:
- without `--api` the routes do not exist: 404 {"detail": "Not Found"} (webui.py mounts
  them only `if launch_api`);
- `--api-auth user:pass` puts HTTP basic auth on every route: 401 (Api.auth);
- a malformed body is FastAPI's 422 {"detail": [{"loc", "msg", "type"}]} (pydantic v1 wording);
- any other exception is 500 {"error": <class>, "detail", "body", "errors": str(e)}
  (api_middleware's handle_exception), e.g. torch's OutOfMemoryError; Forge answers
  the same keys from webui.py's _handle_exception, with "message" for "errors";
- a checkpoint in `override_settings.sd_model_checkpoint` that the server does not
  have is silently ignored (processing.process_images pops it): the loaded one draws;
- pictures are drawn one at a time behind `queue_lock` (modules/call_queue.py); FastAPI
  runs the handlers in a thread pool, so more requests may wait at the lock at once.

Tests steer it with `script(endpoint, *replies)`, `latency` (seconds a picture),
`hold()` / `release()` (drawings wait at the lock until released), `api_enabled`,
`auth`, `checkpoints` and `samples_format`; they read `requests`, `in_flight`,
`max_in_flight` and `wait_in_flight()`. `reset()` restores what the constructor set.
What the answers contain (validation, pictures, info) and `Reply` are in automatic1111_content.py.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fakes.automatic1111_content import (
    OUT_OF_MEMORY,
    Reply,
    checkpoint,
    drawing_answer,
    image_decode,
    middleware_error,
    request_validated,
)

# What tests import from here.
__all__ = ["OUT_OF_MEMORY", "FakeAutomatic1111Server", "RecordedRequest", "Reply", "checkpoint"]

ENDPOINTS = {
    "/sdapi/v1/txt2img": ("txt2img", "POST"),
    "/sdapi/v1/img2img": ("img2img", "POST"),
    "/sdapi/v1/sd-models": ("sd-models", "GET"),
    "/sdapi/v1/options": ("options", "GET"),
}
MAX_SLEEP = 10.0  # no wait holds a server thread longer than this
DEFAULT_CHECKPOINTS = ("v1-5-pruned-emaonly.safetensors", "sd_xl_base_1.0.safetensors", "dreamshaper_8.safetensors")


@dataclass
class RecordedRequest:
    endpoint: str  # txt2img, img2img, sd-models, options, unknown
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    json: dict | None = None
    reply: str = "ok"  # the label of the answer given: ok, 404, 401, 422, 500, slow, drop, ...
    init_images: list[dict] = field(default_factory=list)  # decoded: width, height, sha256 of the bytes sent
    at: float = 0.0


class FakeAutomatic1111Server:
    """`start()` it (or use it as a context manager) and point a client at `base_url`."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        checkpoints: tuple[str, ...] = DEFAULT_CHECKPOINTS,
        api_enabled: bool = True,
        auth: str | None = None,
    ):
        self._address = (host, port)
        self._defaults = {"checkpoints": tuple(checkpoints), "api_enabled": api_enabled, "auth": auth}
        self._lock = threading.Lock()  # the fake's own state
        self._queue_lock = threading.Lock()  # the webui's queue_lock: one picture at a time
        self._counted = threading.Condition(self._lock)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    def start(self) -> FakeAutomatic1111Server:
        self._httpd = _Server(self._address, _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-automatic1111", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._wake.set()
        self._gate.set()
        self._httpd.shutdown()
        self._httpd.connections_close()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> FakeAutomatic1111Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- controls ---------------------------------------------------------------

    def reset(self) -> None:
        """Back to the constructor's options; forget scripts, counters and the log; wake waiting handlers."""
        with self._lock:
            old = [getattr(self, "_wake", None), getattr(self, "_gate", None)]
            self._wake = threading.Event()  # set: every scripted or simulated wait ends at once
            self._gate = threading.Event()  # clear: drawings wait at the queue lock (hold)
            self._gate.set()
            self._queues: dict[str, collections.deque[Reply]] = collections.defaultdict(collections.deque)
            self.requests: list[RecordedRequest] = []
            self.checkpoints: list[dict] = [checkpoint(name) for name in self._defaults["checkpoints"]]
            self.loaded = self.checkpoints[0]["title"] if self.checkpoints else None
            self.api_enabled: bool = self._defaults["api_enabled"]
            self.auth: str | None = self._defaults["auth"]  # "user:pass", as --api-auth takes it
            self.samples_format = "png"  # the webui's opts.samples_format: png, jpeg or webp
            self.latency = 0.0  # seconds each picture takes
            self.slow_seconds = 3.0
            self.in_flight = 0  # drawing requests arrived and not yet answered
            self.max_in_flight = 0
        for event in old:
            if event is not None:
                event.set()

    def script(self, endpoint: str, *replies: Reply) -> None:
        """Answer the next calls to `endpoint` (txt2img, img2img, sd-models, options, any) with `replies`."""
        if endpoint not in {name for name, _ in ENDPOINTS.values()} | {"any"}:
            raise ValueError(f"Unknown endpoint {endpoint!r}.")
        with self._lock:
            self._queues[endpoint].extend(replies)

    def requests_for(self, endpoint: str) -> list[RecordedRequest]:
        with self._lock:
            return [request for request in self.requests if request.endpoint == endpoint]

    def hold(self) -> None:
        """Drawings wait at the queue lock until `release()` (or reset/stop, or MAX_SLEEP)."""
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    def wait_in_flight(self, count: int, timeout: float) -> bool:
        """Wait until at least `count` drawing requests are in flight at once; False on timeout."""
        with self._counted:
            return self._counted.wait_for(lambda: self.in_flight >= count, timeout)

    # -- used by the handler ------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_reply(self, endpoint: str) -> Reply:
        with self._lock:
            for name in (endpoint, "any"):
                if self._queues[name]:
                    return self._queues[name].popleft()
        return Reply.ok()

    def _count(self, change: int, wake: threading.Event) -> None:
        """Count a drawing in or out, unless it began before the last reset (`wake` is its era's)."""
        with self._counted:
            if wake is not self._wake:
                return
            self.in_flight += change
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._counted.notify_all()

    @staticmethod
    def _sleep(seconds: float, wake: threading.Event) -> None:
        """Wait, but no longer than MAX_SLEEP and never past the reset() or stop() that sets `wake`."""
        if seconds > 0:
            wake.wait(min(seconds, MAX_SLEEP))

    def _checkpoint_find(self, name: str | None) -> dict | None:
        for item in self.checkpoints:
            if name in (item["title"], item["model_name"], item["hash"], item["sha256"], item["title"].split(" [")[0]):
                return item
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeAutomatic1111Server

    def __init__(self, *args, **kwargs):
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def connections_close(self) -> None:
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request, client_address):
        pass  # clients that hang up (timeouts) are normal here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 30
    server: _Server

    def setup(self):
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            with self.server.connections_lock:
                self.server.connections.discard(self.connection)

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fake = self.server.fake
        wake, gate = fake._wake, fake._gate  # this request's era: a reset() ends its waits and counts
        path = self.path.split("?")[0]
        endpoint, allowed = ENDPOINTS.get(path, ("unknown", method))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = RecordedRequest(endpoint, method, path, {k.lower(): v for k, v in self.headers.items()})
        request.at = time.time()
        fake._record(request)
        if endpoint == "unknown" or not fake.api_enabled:
            return self._answer(request, 404, {"detail": "Not Found"})
        if method != allowed:
            return self._answer(request, 405, {"detail": "Method Not Allowed"})
        if fake.auth:
            sent = request.headers.get("authorization", "")
            expected = "Basic " + base64.b64encode(fake.auth.encode()).decode()
            if not sent.lower().startswith("basic "):
                return self._answer(request, 401, middleware_error(401, "HTTPException", detail="Not authenticated"))
            if sent != expected:
                detail = "Incorrect username or password"
                return self._answer(request, 401, middleware_error(401, "HTTPException", detail=detail))
        if method == "POST":
            try:
                request.json, values = request_validated(body)
            except ValueError as problem:
                return self._answer(request, 422, {"detail": problem.args[0]})
        reply = fake._next_reply(endpoint)
        request.reply = reply.label
        if reply.kind == "drop":
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return None
        if endpoint == "sd-models":
            return self._answer(request, reply.status, reply.body if reply.kind == "error" else fake.checkpoints)
        if endpoint == "options":
            options = {"sd_model_checkpoint": fake.loaded, "samples_format": fake.samples_format, "return_grid": True}
            return self._answer(request, reply.status, reply.body if reply.kind == "error" else options)
        if reply.kind == "error" and reply.status < 500:  # refused before it reaches the queue
            return self._answer(request, reply.status, reply.body)
        init = None
        if endpoint == "img2img":
            if values["init_images"] is None:
                return self._answer(request, 404, middleware_error(404, "HTTPException", detail="Init image not found"))
            try:
                init = [image_decode(item) for item in values["init_images"]]
            except ValueError:
                return self._answer(
                    request, 500, middleware_error(500, "HTTPException", detail="Invalid encoded image")
                )
            request.init_images = [
                {"width": image.width, "height": image.height, "sha256": digest} for image, digest in init
            ]
        fake._count(+1, wake)
        try:
            with fake._queue_lock:
                gate.wait(MAX_SLEEP)
                fake._sleep(fake.latency * values["batch_size"] * values["n_iter"], wake)
                if reply.kind == "slow":
                    fake._sleep(reply.seconds if reply.seconds >= 0 else fake.slow_seconds, wake)
                if reply.kind == "error":
                    status, payload = reply.status, reply.body
                else:
                    wanted = (request.json.get("override_settings") or {}).get("sd_model_checkpoint")
                    # A checkpoint the server lacks is ignored: the loaded one draws (process_images).
                    model = fake._checkpoint_find(wanted) or fake._checkpoint_find(fake.loaded) or checkpoint("none")
                    status, payload = (
                        200,
                        drawing_answer(
                            request.json,
                            values,
                            model=model,
                            init=init and init[0][0],
                            samples_format=fake.samples_format,
                            with_images=reply.kind != "no_images",
                        ),
                    )
        finally:
            fake._count(-1, wake)  # before answering: the client may send its next request the moment it has this
        return self._answer(request, status, payload)

    def _answer(self, request: RecordedRequest, status: int, payload) -> None:
        if status != 200:
            request.reply = str(status)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
