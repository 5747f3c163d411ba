"""The fake OpenAI-compatible server: its life (start, stop), the server it plays
(its profile), and the controls tests use (script, chaos, latency, flag_word, the
requests log)."""

from __future__ import annotations

import collections
import random
import threading

from tests.fakes.openai_server.handler import ENDPOINTS, OpenAIHTTPServer, OpenAIRequestHandler, RecordedRequest
from tests.fakes.openai_server.profiles import OPENAI, ServerProfile
from tests.fakes.openai_server.replies import CHAOS_FAULTS, Reply

MAX_SLEEP = 10.0  # no scripted wait holds a server thread longer than this
DEFAULT_SLOW_SECONDS = 3.0
DEFAULT_FLAG_WORD = "FLAGME"
DEFAULT_FLAG_CATEGORIES = ("violence",)
# A prompt with this word is drawn as the unsafe test picture (content.py), which
# moderation flags; the word itself is harmless to text moderation.
DEFAULT_UNSAFE_PICTURE_WORD = "UNSAFEPICTURE"


class FakeOpenAIServer:
    """The server. `start()` it (or use it as a context manager) and point a client at `base_url`.
    `profile` says which server it plays (profiles.py), for its whole life."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, profile: ServerProfile = OPENAI):
        self._address = (host, port)
        self._profile = profile
        self._lock = threading.Lock()
        self._httpd: OpenAIHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- life cycle ---------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        self._httpd = OpenAIHTTPServer(self._address, OpenAIRequestHandler)
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-{self._profile.name}",
            daemon=True,
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
    def profile(self) -> ServerProfile:
        """The server it plays; reset() leaves it as it is."""
        return self._profile

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- controls -------------------------------------------------------------

    def reset(self) -> None:
        """Forget scripts, chaos, latency and the requests log (the profile stays); wake
        any handler still sleeping."""
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
            # A streamed chat answer spreads its latency over its chunks, as a model writing does
            # (the first words soon, the last after the whole latency), instead of waiting first.
            self.stream_paced = False
            self.slow_seconds = DEFAULT_SLOW_SECONDS  # how long Reply.slow() and chaos "timeout" wait
            self.flag_word = DEFAULT_FLAG_WORD
            self.flag_categories = DEFAULT_FLAG_CATEGORIES
            self.unsafe_picture_word = DEFAULT_UNSAFE_PICTURE_WORD
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
