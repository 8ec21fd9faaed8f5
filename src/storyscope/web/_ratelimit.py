"""Per-client rate limits: a token bucket per client address, checked before a body is parsed.

:class:`RateLimiter` holds one bucket per client (an IPv4 address, or the /64 of an
IPv6 one, so that a client cannot step around it by rotating the addresses it is
given): ``burst`` requests at once, then ``per_minute`` a minute. At most
``max_clients`` buckets are kept, the least recently seen dropped first (a dropped
client starts again with a full bucket). :class:`RateLimitMiddleware` applies one to
a set of ``(method, path)`` routes and answers 429 with ``Retry-After`` through the
app's error responder, before the route reads its form or JSON.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["RateLimitMiddleware", "RateLimiter", "client_key"]


def client_key(host: str | None) -> str:
    """The bucket of a client address: the address itself, or its /64 for IPv6."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


class RateLimiter:
    """Token buckets by client key (thread-safe).

    Args:
        per_minute: Tokens added a minute (requests a minute in the long run).
        burst: Bucket size (requests allowed at once).
        max_clients: Buckets kept at most.
        clock: Seconds, monotonic (tests pass a fake one).
    """

    def __init__(
        self,
        per_minute: float,
        burst: int,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be positive and burst at least 1")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """Spend a token of ``key``'s bucket: None when it had one, else seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = None
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            self._buckets.move_to_end(key)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


class RateLimitMiddleware:
    """ASGI middleware: requests to ``routes`` spend a token of their client's bucket.

    Args:
        app: The wrapped application.
        limiter: The buckets.
        routes: ``(method, path)`` pairs that are limited.
        respond: Builds the 429 response (request, message, ``Retry-After`` seconds).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        routes: Iterable[tuple[str, str]],
        respond: Callable[[Request, str, int], Response],
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.routes = frozenset(routes)
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (scope["method"], scope["path"]) in self.routes:
            client = scope.get("client")
            wait = self.limiter.take(client_key(client[0] if client else None))
            if wait is not None:
                seconds = max(1, math.ceil(wait))
                message = f"too many comparisons from this address; retry in {seconds} s"
                await self.respond(Request(scope, receive), message, seconds)(scope, receive, send)
                return
        await self.app(scope, receive, send)
