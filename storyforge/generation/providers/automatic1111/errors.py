"""What goes wrong talking to a Stable Diffusion WebUI, as ProviderError: the one
mapping from httpx's exceptions and the server's answers.

The shapes are AUTOMATIC1111/stable-diffusion-webui's (modules/api/api.py; Forge,
lllyasviel/stable-diffusion-webui-forge, keeps them): a route that does not exist,
because the server was started without `--api`, is FastAPI's 404 {"detail": "Not Found"};
`--api-auth` answers 401; FastAPI's validation is 422 {"detail": [...]}; any other
exception is 500 {"error": <class>, "detail", "body", "errors": str(e)} ("message" on
Forge), such as torch's OutOfMemoryError, which a later try may not meet.
"""

from __future__ import annotations

import httpx

from storyforge.core.errors import ErrorCode
from storyforge.generation.providers.base import ProviderError

MESSAGE_LIMIT = 300


def provider_error(problem: httpx.Response | Exception, *, url: str, timeout: float, secrets=()) -> ProviderError:
    """The ProviderError for an answer that is not a success, or for an exception
    raised while asking. `url` is the server's address as shown to people (never with
    credentials); `secrets` are scrubbed from anything the server said."""
    if isinstance(problem, httpx.Response):
        return _answer_error(problem, url, secrets)
    if isinstance(problem, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return ProviderError(
            ErrorCode.AI_CONNECTION_ERROR,
            f"IMAGE_BASE_URL ({url}) is not a web address StoryForge can call; "
            "give it as http://host:port, e.g. http://127.0.0.1:7860.",
            transient=False,
        )
    if isinstance(problem, httpx.ConnectTimeout | httpx.ConnectError):
        return ProviderError(
            ErrorCode.AI_CONNECTION_ERROR,
            f"Cannot connect to the picture server at {url}: is it running, and is IMAGE_BASE_URL right?",
            transient=True,
        )
    if isinstance(problem, httpx.TimeoutException):
        return ProviderError(
            ErrorCode.AI_TIMEOUT,
            f"The picture server at {url} did not finish within IMAGE_TIMEOUT ({timeout:g} seconds). "
            "A slow graphics card needs a larger IMAGE_TIMEOUT.",
            transient=True,
        )
    if isinstance(problem, httpx.RemoteProtocolError | httpx.NetworkError):
        return ProviderError(
            ErrorCode.AI_CONNECTION_ERROR,
            f"The picture server at {url} closed the connection before answering; it may have restarted.",
            transient=True,
        )
    return ProviderError(
        ErrorCode.AI_CONNECTION_ERROR,
        f"Talking to the picture server at {url} failed: {_scrubbed(str(problem), secrets)}",
        transient=True,
    )


def invalid_output(url: str, why: str) -> ProviderError:
    return ProviderError(
        ErrorCode.AI_INVALID_OUTPUT,
        f"The picture server at {url} answered without a usable picture: {why}.",
        transient=False,
    )


def api_missing(url: str) -> ProviderError:
    """The server has no /sdapi routes: it runs without --api (webui.py mounts them only then)."""
    return ProviderError(
        ErrorCode.AI_CAPABILITY_MISSING,
        f"The picture server at {url} has no API: start it with --api (add --api to COMMANDLINE_ARGS "
        "in webui-user.sh or webui-user.bat) and restart it.",
        transient=False,
    )


def _answer_error(response: httpx.Response, url: str, secrets) -> ProviderError:
    status = response.status_code
    said = _scrubbed(_server_says(response), secrets)
    quoted = f" (HTTP {status}: {said})" if said else f" (HTTP {status})"
    if status == 404 and said == "Not Found":  # FastAPI's own answer: no such route
        return api_missing(url)
    if status in (401, 403):
        return ProviderError(
            ErrorCode.AI_AUTH_FAILED,
            f"The picture server at {url} refused StoryForge's credentials{quoted}. Check IMAGE_API_KEY: for a "
            "server started with --api-auth it is user:password, exactly as given there.",
            transient=False,
        )
    if status == 429:
        retry_after = _seconds(response.headers.get("Retry-After"))
        return ProviderError(
            ErrorCode.AI_RATE_LIMITED,
            f"The picture server at {url} asked StoryForge to slow down{quoted}.",
            transient=True,
            retry_after=retry_after,
        )
    if "out of memory" in said.lower():
        return ProviderError(
            ErrorCode.AI_SERVER_ERROR,
            f"The picture server at {url} ran out of graphics memory{quoted}. Trying again once it is free "
            "may work; a smaller IMAGE_PAGE_SIZE needs less.",
            transient=True,
        )
    if status >= 500 and "Invalid encoded image" not in said:
        return ProviderError(
            ErrorCode.AI_SERVER_ERROR,
            f"The picture server at {url} failed{quoted}; trying again may help.",
            transient=True,
        )
    return ProviderError(
        ErrorCode.AI_BAD_REQUEST,
        f"The picture server at {url} did not accept StoryForge's request{quoted}.",
        transient=False,
    )


def _server_says(response: httpx.Response) -> str:
    """The server's own words: the exception and its text, or FastAPI's detail."""
    try:
        body = response.json()
    except ValueError:
        return " ".join(response.text.split())[:MESSAGE_LIMIT]
    if not isinstance(body, dict):
        return str(body)[:MESSAGE_LIMIT]
    detail = body.get("detail")
    if isinstance(detail, list):  # FastAPI's validation errors
        detail = "; ".join(
            f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg', '')}"
            if isinstance(item, dict)
            else str(item)
            for item in detail
        )
    text = str(body.get("errors") or body.get("message") or "")
    if detail and str(detail) not in text:
        text = f"{detail}. {text}" if text else str(detail)
    error = body.get("error")
    if error and error != "HTTPException":
        text = f"{error}: {text}" if text else str(error)
    return text.strip()[:MESSAGE_LIMIT]


def _scrubbed(text: str, secrets) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
