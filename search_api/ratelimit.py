"""Rate limiting per client: ``MOOC_RATE_LIMIT`` requests per client ("1200/minute" by default; several
limits separated by ";" as in "20/second;1200/minute"; "0" or "off" disables it).

A client is the remote address of the connection. Behind a reverse proxy every request comes from the
proxy: list it in ``MOOC_TRUSTED_PROXIES`` (addresses or networks, comma-separated) and the client is
then the last address of ``X-Forwarded-For`` that is not itself a trusted proxy; ``X-Forwarded-For``
is ignored from anyone else (it is trivial to forge). Counts are kept in the process (``limits``'
memory storage, sliding window): with ``mooc serve --workers N`` each worker counts apart, so a client
may make up to N times the limit. Static files are not counted.

Over the limit: 429 with ``Retry-After`` (seconds) and, under /api/, the API's JSON error shape.
"""
from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Iterable, Sequence

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

DEFAULT_LIMIT = "1200/minute"
UNLIMITED_PATHS = ("/static/",)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_limit(spec: str | None) -> str | None:
    """A limit as given in ``MOOC_RATE_LIMIT`` → the normalized spec, or None when disabled.
    Raises ValueError for anything ``limits`` cannot read."""
    spec = (spec or "").strip()
    if spec.lower() in ("", "0", "off", "none", "false", "no"):
        return None
    try:
        items = parse_many(spec)
    except ValueError as exc:
        raise ValueError(f"MOOC_RATE_LIMIT={spec!r}: expected e.g. '120/minute' or '0' to disable ({exc})") from None
    if not items or any(item.amount < 1 for item in items):
        raise ValueError(f"MOOC_RATE_LIMIT={spec!r}: expected e.g. '120/minute' or '0' to disable")
    return spec


def parse_networks(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """``MOOC_TRUSTED_PROXIES`` → the networks as strings (validated)."""
    parts = spec.split(",") if isinstance(spec, str) else list(spec or ())
    out = []
    for part in (p.strip() for p in parts):
        if part:
            try:
                out.append(str(ipaddress.ip_network(part, strict=False)))
            except ValueError:
                raise ValueError(f"MOOC_TRUSTED_PROXIES: {part!r} is not an IP address or network") from None
    return tuple(out)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:          # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:                         # v4:port
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """The client a request is counted for: the peer, unless it is a trusted proxy; then the right-most
    address of X-Forwarded-For that is not a trusted proxy (the one the outermost trusted proxy saw)."""
    peer = peer or "unknown"

    def is_trusted(address) -> bool:
        return address is not None and any(address in network for network in trusted)

    if not trusted or not is_trusted(_address(peer)):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return hop[:100]          # garbage from beyond the trusted proxies: count it as one client
        if not is_trusted(address):
            return str(address)
    return peer


class RateLimitMiddleware:
    """ASGI middleware (module docstring)."""

    def __init__(self, app: ASGIApp, limit: str, trusted_proxies: Iterable[str] = ()):
        self.app = app
        self.items: list[RateLimitItem] = parse_many(limit)
        self.limiter = SlidingWindowCounterRateLimiter(MemoryStorage())
        self.trusted = [ipaddress.ip_network(n, strict=False) for n in trusted_proxies]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNLIMITED_PATHS):
            await self.app(scope, receive, send)
            return
        peer = (scope.get("client") or (None,))[0]
        forwarded = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-forwarded-for"]
        client = client_address(peer, forwarded, self.trusted)
        for item in self.items:
            if not self.limiter.hit(item, client):
                await self._refuse(scope, receive, send, item, client)
                return
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, item: RateLimitItem, client: str) -> None:
        stats = self.limiter.get_window_stats(item, client)
        retry = max(1, math.ceil(stats.reset_time - time.time()))
        headers = {"Retry-After": str(retry)}
        message = f"rate limit exceeded ({item} per client): retry in {retry} s"
        if scope["path"].startswith("/api/"):
            response = JSONResponse({"error": {"parameter": None, "message": message}}, status_code=429,
                                    headers=headers)
        else:
            response = PlainTextResponse(message, status_code=429, headers=headers)
        await response(scope, receive, send)
