"""Limits of the HTTP API: per-client rate limits (token buckets, in memory, one set per
app instance) and reading a request body no larger than a bound."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

from communique.api.errors import InvalidBodyError, PayloadTooLargeError, RateLimitedError
from communique.errors import SettingsError
from communique.settings import Settings

# Clients whose buckets are kept. A bucket is about 100 bytes, so 10,000 bound the memory
# at ~1 MB whatever the number of addresses; past it the least recently seen client is
# forgotten (it comes back with a full bucket), which takes far more distinct addresses
# than clients a deployment of communique serves at once.
MAX_TRACKED_CLIENTS = 10_000

# The address that stands for a request whose client is unknown (an in-process test
# client, a Unix socket): such requests share one bucket.
UNKNOWN_CLIENT = "unknown"

_WHERE = "communique/api"


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token buckets per client: each holds at most ``burst`` tokens, refilled at
    ``rate_per_second``; a request takes one. ``clock`` (seconds, monotonic) is a parameter
    so that tests move time by hand. Thread-safe."""

    def __init__(
        self,
        rate_per_second: float,
        burst: int,
        *,
        max_clients: int = MAX_TRACKED_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (rate_per_second > 0 and burst >= 1 and max_clients >= 1):
            raise SettingsError(
                f"a rate limit needs a positive rate and a burst of at least 1, got "
                f"{rate_per_second!r} per second and a burst of {burst!r}",
                where="settings",
                hint="set the api_*_rate and api_*_burst settings to positive numbers",
            )
        self.rate = float(rate_per_second)
        self.burst = int(burst)
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take a token for ``client``: 0.0 when it had one, else the seconds until it will
        (nothing taken)."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                bucket = self._buckets[client] = _Bucket(float(self.burst), now)
                if len(self._buckets) > self.max_clients:
                    self._buckets.popitem(last=False)
            else:
                self._buckets.move_to_end(client)
                elapsed = max(0.0, now - bucket.stamp)
                bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
                bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def check(self, client: str, what: str) -> None:
        """``take`` for ``client``, raising ``RateLimitedError`` when it has no token."""
        wait = self.take(client)
        if wait > 0:
            raise RateLimitedError(
                f"too many {what} from this address",
                where=_WHERE,
                hint=f"wait {max(1, round(wait))} s (Retry-After) before the next request",
                retry_after=wait,
            )

    def __len__(self) -> int:
        return len(self._buckets)


def client_address(request: Request) -> str:
    """The address rate limits count by: the TCP peer. Forwarding headers are not trusted
    (any client can write them); behind a proxy all clients share the proxy's address."""
    return request.client.host if request.client else UNKNOWN_CLIENT


def write_limiter(settings: Settings) -> RateLimiter:
    return RateLimiter(settings.api_write_rate_per_minute / 60.0, settings.api_write_burst)


def read_limiter(settings: Settings) -> RateLimiter | None:
    """The limiter of GET requests, or None when the setting turns it off (0)."""
    if settings.api_read_rate_per_second == 0:
        return None
    return RateLimiter(settings.api_read_rate_per_second, settings.api_read_burst)


def check_limits(settings: Settings) -> None:
    """Raise ``SettingsError`` for limits that would refuse every request."""
    for name in ("api_max_request_bytes", "api_max_dispatches"):
        value = getattr(settings, name)
        if not (isinstance(value, int) and value >= 1):
            raise SettingsError(
                f"{name} must be a whole number of at least 1, got {value!r}",
                where="settings",
                hint=f"set {name} to a positive number (see settings.py for its default)",
            )
    if settings.api_read_rate_per_second < 0:
        raise SettingsError(
            f"api_read_rate_per_second must be 0 (off) or positive, got "
            f"{settings.api_read_rate_per_second!r}",
            where="settings",
            hint="set it to 0 to turn the read limit off",
        )


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body, refused with ``PayloadTooLargeError`` as soon as it is known
    to exceed ``limit`` bytes: from its Content-Length before reading anything, else while
    it streams in (a chunked body has no length)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise InvalidBodyError(
                "the Content-Length header is not a number",
                where=_WHERE,
                hint="send a well-formed request (HTTP clients set Content-Length themselves)",
            )
        if int(declared) > limit:
            raise _too_large(int(declared), limit)
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
        parts.append(chunk)
    return b"".join(parts)


def _too_large(size: int, limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"the request body has {size:,}+ bytes, more than api_max_request_bytes ({limit:,})",
        where=_WHERE,
        hint="send the dispatches in several smaller requests, or load large batches with "
        "`communique ingest`",
    )
