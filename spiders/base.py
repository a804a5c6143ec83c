"""What every family's spider shares: the registry entry, page errors, paging without loops."""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from harvester.items import Checkpoint, Listing
from harvester.registry import Platform, load_registry
from harvester.sources.paging import Page, PageError, PageRequest  # noqa: F401  (re-exported)

logger = logging.getLogger(__name__)


def on_hosts(url: str, hosts: list[str]) -> bool:
    """Is the URL's host one of these hosts or a subdomain of one (ports ignored)?"""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in (h.lower() for h in hosts if h))


def describe_failure(failure: Failure) -> str:
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


class PlatformSpider(scrapy.Spider):
    """Base of the family spiders.

    Subclasses set ``name`` and ``family``, implement ``start_requests`` and
    call ``page_failed`` for any listing page they could not read: the crawl
    then goes on but is not complete, so it marks nothing gone.
    """

    family: ClassVar[str]
    platform: Platform

    @classmethod
    def from_crawler(cls, crawler, *args, platform: str | None = None, registry: str | None = None, **kwargs):
        if not platform:
            raise ValueError(f"{cls.name}: say which platform to crawl, e.g. -a platform=<id>")
        entry = load_registry(registry or crawler.settings.get("MOOC_REGISTRY")).get(platform)
        if entry.family != cls.family:
            raise ValueError(f"platform {entry.id} is of family {entry.family!r}, not {cls.family!r}")
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.platform = entry
        spider.allowed_domains = [urlsplit(entry.url).hostname, *entry.allowed_hosts]
        spider.listing_complete = True
        spider.seen_pages = set()
        spider.crawl_run = None
        spider.shared_queue = crawler.settings.getbool("MOOC_SHARED_QUEUE")
        if spider.shared_queue:
            # distributed mode: the shared request queue and duplicate filter are keyed by spider name,
            # and a shared filter (not dont_filter) is what keeps two workers from fetching a page twice
            spider.name = f"{cls.name}.{entry.id}"
        return spider

    async def start(self):
        """Scrapy ≥ 2.13 asks ``start()``; families write a plain ``start_requests`` generator."""
        for request in self.start_requests():
            yield request

    # reporting ---------------------------------------------------------------
    def page_failed(self, url: str, kind: str, message: str) -> None:
        self.listing_complete = False
        if self.crawl_run is not None:
            self.crawl_run.record_error(kind, url, message)
        else:
            logger.error("%s: %s at %s: %s", self.platform.id, kind, url, message)

    def errback(self, failure: Failure) -> Iterator[Any]:
        self.page_failed(failure.request.url, "http", describe_failure(failure))
        yield from self.on_page_failure(failure.request)

    def on_page_failure(self, request: scrapy.Request) -> Iterator[Any]:
        """What to yield after a listing page failed (e.g. what was gathered so far)."""
        return iter(())

    # paging ------------------------------------------------------------------
    def page_request(self, url: str, callback: Callable, **kwargs) -> scrapy.Request | None:
        """A request for a listing page, or None if that page was already asked for (no endless loops)."""
        if not on_hosts(url, self.allowed_domains):
            # a listing that continues elsewhere is not followed: the crawl is then incomplete
            self.page_failed(url, "offsite", f"link off the platform's hosts {self.allowed_domains} "
                                             "(add the host to allowed_hosts in the registry to follow it)")
            return None
        key = (url, kwargs.get("method", "GET"), kwargs.get("body"))
        if key in self.seen_pages:
            logger.info("%s: page %s already fetched, paging stops", self.platform.id, url)
            return None
        self.seen_pages.add(key)
        return scrapy.Request(url, callback=callback, errback=self.errback,
                              dont_filter=not self.shared_queue, **kwargs)

    def json_body(self, response: Response) -> Any | None:
        """The page's JSON, or None after reporting it as a failed page."""
        try:
            return json.loads(response.text)
        except RecursionError:
            self.page_failed(response.url, "parse", "JSON nested too deeply to read")
            return None
        except (ValueError, AttributeError) as exc:
            self.page_failed(response.url, "parse", f"not JSON: {exc}")
            return None

    def listing(self, draft: dict[str, Any], source_url: str) -> Listing:
        return Listing(platform=self.platform.id, source_url=source_url, draft=draft)


class ListingApiSpider(PlatformSpider):
    """A spider for sources whose pages each carry complete listings.

    The family's source module (pure, in ``harvester/sources/``) provides
    ``first_request(platform, env) -> PageRequest`` and
    ``parse_page(text, request) -> Page`` (raising ``PageError`` on a page of
    the wrong shape). This class does the fetching, paging without loops and
    error reporting; a family spider only names its source.
    """

    source: ClassVar[Any]

    def start_requests(self):
        try:
            first = self.source.first_request(self.platform, os.environ)
        except PageError as exc:  # e.g. a required API key is not configured
            self.page_failed(self.platform.url, "config", str(exc))
            return
        resume = getattr(self.crawl_run, "resume_from", None)
        if resume:
            first = PageRequest(**resume)
        request = self._request(first)
        if request is not None:
            yield request

    def _request(self, page: PageRequest) -> scrapy.Request | None:
        return self.page_request(page.url, self.parse_listing_page, method=page.method, body=page.body,
                                 headers=page.headers or None, cb_kwargs={"page": page})

    def parse_listing_page(self, response: Response, page: PageRequest):
        try:
            found = self.source.parse_page(response.text, page)
        except (PageError, ValueError, AttributeError, RecursionError) as exc:
            self.page_failed(response.url, "parse", f"{type(exc).__name__}: {str(exc)[:500]}")
            return
        logger.info("%s: %s: %d listings", self.platform.id, response.url, len(found.drafts))
        for reason, count in found.skipped.items():
            self.crawler.stats.inc_value(f"mooc/skipped_{reason}", count)
        for draft in found.drafts:
            yield self.listing(draft, response.url)
        yield Checkpoint(asdict(found.next) if found.next is not None else None)
        if found.next is not None:
            request = self._request(found.next)
            if request is not None:
                yield request
