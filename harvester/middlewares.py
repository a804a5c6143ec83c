"""Downloader middlewares: retries that back off, and honour 429's Retry-After."""
from __future__ import annotations

import ipaddress
import logging
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_seconds(retries_so_far: int, base: float, cap: float) -> float:
    return min(cap, base * (2 ** retries_so_far))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, waiting before each retry.

    The wait is exponential (``RETRY_BACKOFF_BASE`` × 2ⁿ, at most
    ``RETRY_BACKOFF_MAX``); for 429 and 503 a ``Retry-After`` header wins. A
    Retry-After longer than ``RETRY_BACKOFF_MAX`` gives up at once: the page is
    then reported as failed rather than stalling the crawl.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 300.0)

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = backoff_seconds(request.meta.get("retry_times", 0), self.base, self.cap)
        if response.status in (429, 503):
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None:
                if asked > self.cap:
                    logger.warning("%s asks to retry after %.0f s, more than %.0f s: giving up",
                                   request.url, asked, self.cap)
                    return response
                delay = asked
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        if delay > 0:
            from twisted.internet import reactor  # the running one; importing earlier would install a default

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return retry


class TransferStatsMiddleware:
    """Counts what really crossed the network, below the HTTP cache (which turns a 304 into
    the cached 200): requests, status histogram, and body bytes received."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response, spider=None):
        self.stats.inc_value("mooc/transfer/requests")
        self.stats.inc_value(f"mooc/transfer/status/{response.status}")
        self.stats.inc_value("mooc/transfer/bytes", len(response.body))
        return response


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


@lru_cache(maxsize=4096)
def _addresses(host: str) -> tuple[str, ...]:
    try:
        return tuple({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (socket.gaierror, UnicodeError):
        return ()  # unresolvable: the download itself will fail and be reported


class PrivateAddressGuardMiddleware:
    """Registry data is not trusted to point inside our network: requests to loopback, private,
    link-local or otherwise non-global addresses are refused, unless the host is listed in
    ``MOOC_ALLOW_PRIVATE_HOSTS`` (tests and the demo list 127.0.0.1 explicitly)."""

    def __init__(self, allowed: set[str]):
        self.allowed = allowed

    @classmethod
    def from_crawler(cls, crawler):
        hosts = crawler.settings.get("MOOC_ALLOW_PRIVATE_HOSTS") or ""
        return cls({h.strip().lower() for h in hosts.split(",") if h.strip()})

    def process_request(self, request, spider=None):
        host = (urlsplit(request.url).hostname or "").lower()
        if host in self.allowed:
            return None
        try:
            addresses: tuple[str, ...] = (str(ipaddress.ip_address(host)),)
        except ValueError:
            addresses = _addresses(host)
        bad = [a for a in addresses if _is_private(a)]
        if bad:
            raise IgnoreRequest(f"refused: {host} resolves to a non-public address ({', '.join(bad)})")
        return None
