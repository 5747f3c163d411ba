"""Rate limits and the log-in lockout, read from one settings block, RATE_LIMITS.

- HTML views: `@rate_limit("login_ip", key="ip")` counts through django-ratelimit
  (an atomic cache add + incr per fixed window) and raises `RateLimitExceeded`,
  which the error middleware answers with the 429 page.
- The API: the throttles in `storyforge.core.api` count with `counter_hit()` below, the
  same atomic add + incr, because DRF's own throttles read, then write, a list of
  timestamps and let more than the limit through under concurrency.
- Both note what they counted on the request; the 429 answers and the
  `RateLimitHeadersMiddleware` turn that into `Retry-After` and the IETF
  `RateLimit-Policy` / `RateLimit` fields.
- `login_lockout_check` / `login_failure_record` / `login_success`: a username
  locked after STORYFORGE_LOGIN_LOCKOUT failures, from whatever address.

Counts live in the default cache: Redis in production, so every process shares
them (storyforge.W062 warns otherwise).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django_ratelimit import UNSAFE
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from storyforge.core import rates
from storyforge.core.errors import RateLimited

logger = logging.getLogger("storyforge.security")

COUNTER_PREFIX = "storyforge:rl:"
LOCKOUT_PREFIX = "storyforge:login:"
# Seconds to tell a client to wait when a 429 does not say how long (a Ratelimited
# raised by django-ratelimit's own decorator, a DRF throttle without a wait).
FALLBACK_WAIT = 60
# Counters outlive their window by a little, so that a slow request near the end
# of a window never finds its key gone between `add` and `incr`.
EXPIRY_MARGIN = 5


@dataclass(frozen=True)
class RateLimitState:
    """One limit as counted for one request."""

    name: str  # the key of RATE_LIMITS, also the policy name in the headers
    limit: int
    window: int  # seconds
    remaining: int
    reset: int  # whole seconds until the window ends, at least 1
    exceeded: bool

    @property
    def policy_item(self) -> str:
        return f'"{self.name}";q={self.limit};w={self.window}'

    @property
    def usage_item(self) -> str:
        return f'"{self.name}";r={self.remaining};t={self.reset}'


class RateLimitExceeded(Ratelimited):
    """Raised by `rate_limit` views over their limit. A django-ratelimit `Ratelimited`
    (so code catching that still works) that knows which limit and for how long."""

    def __init__(self, state: RateLimitState):
        super().__init__(f"Rate limit {state.name} exceeded")
        self.state = state


# Rates from settings


def rate_get(name: str) -> tuple[int, int] | None:
    """(limit, window seconds) of RATE_LIMITS[name], read now so tests and operators
    can change it; None when that limit is turned off."""
    try:
        raw = settings.RATE_LIMITS[name]
    except KeyError:
        raise ImproperlyConfigured(f"RATE_LIMITS has no limit named '{name}'") from None
    if raw is None:
        return None
    if isinstance(raw, tuple):
        return raw
    return rates.rate_parse(raw, f"RATE_LIMITS['{name}']")


def _digest(value: str) -> str:
    # Keys hold no usernames or addresses, and stay short whatever the input.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


# The atomic fixed-window counter (the API throttles)


def counter_hit(name: str, ident: str, limit: int, window: int, *, now: float | None = None) -> RateLimitState:
    """Count one request of `ident` against limit `name` and say whether it is over.

    Windows are fixed (aligned to the epoch). `cache.add` creates the window's key
    only if it is missing and `cache.incr` adds one atomically (Redis INCR; a lock
    in LocMem), so of M simultaneous requests exactly `limit` see a count within
    the limit, in one process or many. When the cache does not answer, the request
    is refused unless RATELIMIT_FAIL_OPEN is set (as in django-ratelimit).
    """
    now = time.time() if now is None else now
    start = int(now // window) * window
    reset = max(1, math.ceil(start + window - now))
    key = f"{COUNTER_PREFIX}{name}:{window}:{start}:{_digest(ident)}"
    try:
        count = _count_up(key, window + EXPIRY_MARGIN)
    except Exception:
        logger.error("rate limit %s not counted: the cache is not answering", name, exc_info=True)
        count = None
    if count is None:
        if getattr(settings, "RATELIMIT_FAIL_OPEN", False):
            return RateLimitState(name, limit, window, limit, reset, False)
        return RateLimitState(name, limit, window, 0, reset, True)
    return RateLimitState(name, limit, window, max(0, limit - count), reset, count > limit)


def _count_up(key: str, timeout: int) -> int | None:
    """Add one to the counter `key`, created at 0 for `timeout` seconds if missing."""
    for _ in range(3):  # again if the key expired between add and incr
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:
            continue
    return None


# What was counted for a request, and the headers that say so


def ratelimit_note(request, state: RateLimitState) -> None:
    """Remember `state` on the Django request (a DRF Request passes its own)."""
    target = getattr(request, "_request", request)
    states = getattr(target, "rate_limits", None)
    if states is None:
        states = target.rate_limits = []
    states.append(state)


def ratelimit_states(request) -> list[RateLimitState]:
    return list(getattr(getattr(request, "_request", request), "rate_limits", None) or [])


def _ordered(states: Iterable[RateLimitState]) -> list[RateLimitState]:
    """The limit that bites first: exceeded ones (longest wait first), then the fewest left."""
    latest = {}
    for state in states:
        latest[state.name] = state  # a limit counted twice: its last count
    return sorted(latest.values(), key=lambda s: (not s.exceeded, -s.reset if s.exceeded else s.remaining, s.name))


def ratelimit_retry_after(states: Iterable[RateLimitState]) -> int | None:
    """Seconds until every exceeded limit lets the client in again, or None."""
    waits = [state.reset for state in states if state.exceeded]
    return max(waits) if waits else None


def ratelimit_headers(states: Iterable[RateLimitState]) -> dict[str, str]:
    """`RateLimit-Policy` and `RateLimit` (IETF httpapi draft) for the limits counted,
    plus `Retry-After` when one is exceeded."""
    ordered = _ordered(states)
    if not ordered:
        return {}
    headers = {
        "RateLimit-Policy": ", ".join(state.policy_item for state in ordered),
        "RateLimit": ", ".join(state.usage_item for state in ordered),
    }
    retry_after = ratelimit_retry_after(ordered)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return headers


def ratelimit_headers_apply(response, request) -> None:
    """Add the rate-limit headers to `response` unless it already has them; Retry-After
    only on a 429 (a `block=False` view answers normally while over its limit)."""
    if response.has_header("RateLimit"):
        return
    for name, value in ratelimit_headers(ratelimit_states(request)).items():
        if name == "Retry-After" and (response.status_code != 429 or response.has_header(name)):
            continue
        response[name] = value


# Keys: the client's address and a normalised username


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the address STORYFORGE_PROXY_COUNT
    trusted proxies saw, read from X-Forwarded-For (what a client writes there
    itself is to the left of that, and ignored)."""
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    proxies = getattr(settings, "RATELIMIT_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def client_network(request) -> str:
    """Whom an address-based limit counts: the client's IPv4 address, or the /64 its
    IPv6 address is in (one household or machine gets a whole /64, and can pick any
    address of it), as django-ratelimit's own keys do (RATELIMIT_IPV6_MASK)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is an IPv4 client
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def username_normalise(username: str) -> str:
    """One spelling per person: Unicode NFKC (as Django stores usernames), no
    surrounding spaces, case folded."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def key_username(group: str, request) -> str:
    """django-ratelimit key: the username posted to a log-in form, normalised."""
    return username_normalise(request.POST.get("username", ""))


def key_email(group: str, request) -> str:
    """django-ratelimit key: the e-mail address posted (password reset), normalised."""
    return unicodedata.normalize("NFKC", request.POST.get("email", "")).strip().casefold()


_KEYS: dict[str, str | Callable] = {
    "ip": "ip",
    "user": "user_or_ip",
    "user_or_ip": "user_or_ip",
    "username": key_username,
    "email": key_email,
}


# HTML views


def rate_limit_hit(request, name: str, *, key: str | Callable = "ip", method=UNSAFE) -> RateLimitState | None:
    """Count one request against RATE_LIMITS[name] through django-ratelimit and note
    it on the request. None when the limit is off or the method is not counted."""
    rate = rate_get(name)
    if rate is None:
        return None
    usage = get_usage(
        request, group=f"storyforge.{name}", key=_KEYS.get(key, key), rate=rate, method=method, increment=True
    )
    if usage is None:
        return None
    limit, window = rate
    count = usage["count"]
    # django-ratelimit's window still holds during its last second (time_left 0):
    # the next one starts a second after the end it reports.
    reset = max(1, usage["time_left"] + 1)
    state = RateLimitState(name, limit, window, max(0, limit - count), reset, bool(usage["should_limit"]))
    ratelimit_note(request, state)
    request.limited = getattr(request, "limited", False) or state.exceeded
    return state


def rate_limit(name: str, *, key: str | Callable = "ip", method=UNSAFE, block: bool = True):
    """Decorate an HTML view with the limit RATE_LIMITS[name], read at each call.

    `key`: "ip" (the client address), "user" (the user, or the address before
    logging in), "username" (the posted username, normalised), any django-ratelimit
    key ("post:email") or a callable `(group, request) -> str`. `method`: the
    methods counted, by default POST, PUT, PATCH and DELETE. Over the limit the
    view is not called: `RateLimitExceeded` becomes the 429 page (with
    `block=False` the view runs and `request.limited` is True instead).

        @rate_limit("login_ip", key="ip")
        @rate_limit("login_user", key="username")
        def login(request): ...

    On a class-based view: `@method_decorator(rate_limit("signup_ip"), name="post")`.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            state = rate_limit_hit(request, name, key=key, method=method)
            if block and state is not None and state.exceeded:
                raise RateLimitExceeded(state)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Log-in lockout: per username, whatever address the attempts come from


def _lockout_keys(username: str) -> tuple[str, str]:
    digest = _digest(username_normalise(username))
    return f"{LOCKOUT_PREFIX}attempts:{digest}", f"{LOCKOUT_PREFIX}locked:{digest}"


def _locked(seconds: float) -> RateLimited:
    seconds = max(1, math.ceil(seconds))
    minutes = max(1, math.ceil(seconds / 60))
    wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    # The same words whether the username exists or not: the lockout does not know.
    return RateLimited(
        f"Too many failed log-in attempts for this username. Try again in {wait}.",
        details={"retry_after": seconds},
    )


def login_lockout_check(username: str) -> None:
    """Call before checking a password, then exactly one of `login_failure_record`
    or `login_success`.

    Raises `RateLimited` (429, with `retry_after` seconds in its details) while the
    username is locked. Otherwise it counts the attempt up front, atomically, so
    that many simultaneous guesses cannot all slip in before the first failure is
    recorded: past STORYFORGE_LOGIN_LOCKOUT attempts the username is locked for
    STORYFORGE_LOGIN_LOCKOUT_SECONDS. Usernames that do not exist are counted and
    locked alike, so the answers never tell whether an account exists.
    """
    limit, cooloff = settings.STORYFORGE_LOGIN_LOCKOUT, settings.STORYFORGE_LOGIN_LOCKOUT_SECONDS
    if limit <= 0:
        return
    attempts_key, locked_key = _lockout_keys(username)
    now = time.time()
    until = cache.get(locked_key)
    if until is not None and until > now:
        raise _locked(until - now)
    attempts = _count_up(attempts_key, cooloff) or 0
    if attempts > limit:
        _lock(username, now, cooloff)
        raise _locked(cooloff)


def login_failure_record(username: str) -> None:
    """The password was wrong (or the username unknown): lock the username once
    the attempts counted by `login_lockout_check` reach the limit."""
    limit, cooloff = settings.STORYFORGE_LOGIN_LOCKOUT, settings.STORYFORGE_LOGIN_LOCKOUT_SECONDS
    if limit <= 0:
        return
    attempts_key, locked_key = _lockout_keys(username)
    if (cache.get(attempts_key) or 0) >= limit and cache.get(locked_key) is None:
        _lock(username, time.time(), cooloff)


def login_success(username: str) -> None:
    """The right password: forget the failures."""
    cache.delete_many(list(_lockout_keys(username)))


def _lock(username: str, now: float, cooloff: int) -> None:
    # The attempts counter is left to expire (it is no older than the lock): a
    # request that read "not locked" just before still counts past the limit.
    _, locked_key = _lockout_keys(username)
    cache.set(locked_key, now + cooloff, timeout=cooloff)
    logger.warning(
        "log-in locked for %s s after repeated failures (username digest %s)",
        cooloff,
        _digest(username_normalise(username))[:12],
    )
