"""What a test can make the fake server answer: `Reply`, and the faults `chaos()` draws from."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.utils import formatdate

from tests.fakes.openai_server.content import DEFAULT_PAGE_COUNT, page_texts


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
        texts = list(texts) if texts is not None else page_texts(page_count or DEFAULT_PAGE_COUNT, "6-8", "Mia")
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
