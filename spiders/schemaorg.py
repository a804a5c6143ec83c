from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from harvester.sources import schemaorg, sitemaps
from spiders.base import PlatformSpider, describe_failure

logger = logging.getLogger(__name__)


class SchemaOrgSpider(PlatformSpider):
    """Course pages found through the site's sitemaps, read for schema.org Course markup.

    Not Scrapy's SitemapSpider: it drops unreadable sitemaps with a log line and
    sends its requests without errback, while here every sitemap or page that
    cannot be read is a page error of the crawl. Registry option ``url_pattern``:
    a regular expression course page URLs must match (default: every URL listed).
    """

    def start_requests(self):
        pattern = self.platform.options.get("url_pattern")
        try:
            self.url_pattern = re.compile(str(pattern)) if pattern else None
        except re.error as exc:
            self.page_failed(self.platform.url, "config", f"url_pattern {pattern!r} is no regular expression: {exc}")
            return
        yield scrapy.Request(sitemaps.robots_url(self.platform.url), self.parse_robots, errback=self.robots_failed,
                             dont_filter=True)

    # sitemaps ----------------------------------------------------------------
    def parse_robots(self, response):
        found = sitemaps.sitemaps_from_robots(response.body.decode("utf-8", "replace"), response.url)
        if not found:
            logger.info("%s: no Sitemap line in robots.txt, trying /sitemap.xml", self.platform.id)
            found = [sitemaps.default_sitemap_url(self.platform.url)]
        for url in found:
            yield from self.sitemap_request(url)

    def robots_failed(self, failure):
        """No robots.txt (404, …) is no error: the sitemap may still be at /sitemap.xml."""
        logger.info("%s: no robots.txt (%s), trying /sitemap.xml", self.platform.id, describe_failure(failure))
        yield from self.sitemap_request(sitemaps.default_sitemap_url(self.platform.url))

    def sitemap_request(self, url: str):
        if not self.on_site(url):
            self.page_failed(url, "config", "sitemap on a host the platform does not allow (allowed_hosts)")
            return
        request = self.page_request(url, self.parse_sitemap, meta={"kind": "sitemap"})
        if request is not None:
            yield request

    def parse_sitemap(self, response):
        try:
            sitemap = sitemaps.parse_sitemap(response.body, response.url)
        except sitemaps.SitemapError as exc:
            self.page_failed(response.url, "parse", f"unreadable sitemap: {exc}")
            return
        stats = self.crawler.stats
        if sitemap.skipped:
            stats.inc_value("mooc/sitemap_entries_skipped", len(sitemap.skipped))
            logger.warning("%s: %s: %d entries are no http(s) URL, e.g. %r", self.platform.id, response.url,
                           len(sitemap.skipped), sitemap.skipped[0])
        logger.info("%s: %s: %s of %d URLs", self.platform.id, response.url, sitemap.kind, len(sitemap.urls))
        if sitemap.kind == "index":
            for url in sitemap.urls:
                yield from self.sitemap_request(url)
            return
        for url in sitemap.urls:
            if self.url_pattern is not None and not self.url_pattern.search(url):
                stats.inc_value("mooc/urls_not_matching_pattern")
            elif not self.on_site(url):
                stats.inc_value("mooc/offsite_pages_skipped")
            else:
                request = self.page_request(url, self.parse_course_page, meta={"kind": "page"})
                if request is not None:
                    yield request

    # course pages ------------------------------------------------------------
    def parse_course_page(self, response):
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):  # a PDF or image listed in the sitemap
            stats.inc_value("mooc/pages_without_course")
            return
        found = schemaorg.extract_courses(response.text, response.url)
        if found.problems and found.drafts:
            stats.inc_value("mooc/invalid_markup_blocks", len(found.problems))
            logger.warning("%s: %s: %s", self.platform.id, response.url, "; ".join(found.problems))
        elif found.problems:  # whatever course the page holds could not be read
            stats.inc_value("mooc/pages_with_invalid_markup")
            self.markup_error(response.url, "; ".join(found.problems))
        elif not found.drafts:
            stats.inc_value("mooc/pages_without_course")
        for draft in found.drafts:
            yield self.listing(draft, response.url)

    def markup_error(self, url: str, message: str) -> None:
        """Counted and reported like a page error, but the crawl stays complete:
        the site itself publishes that page this way, on every crawl."""
        if self.crawl_run is not None:
            self.crawl_run.record_error("markup", url, message)
        else:
            logger.error("%s: markup at %s: %s", self.platform.id, url, message)

    def errback(self, failure):
        # a page robots.txt forbids is the site's wish, not a failure (HttpError is an IgnoreRequest too)
        if (failure.request.meta.get("kind") == "page" and failure.check(IgnoreRequest)
                and not failure.check(HttpError) and "robots.txt" in str(failure.value)):
            self.crawler.stats.inc_value("mooc/pages_skipped_by_robots_txt")
            logger.info("%s: %s skipped: %s", self.platform.id, failure.request.url, failure.value)
            return
        yield from super().errback(failure)

    def on_site(self, url: str) -> bool:
        """Would Scrapy's offsite filter let this URL through (the host or a subdomain of an allowed one)?"""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == domain or host.endswith("." + domain)
                   for domain in (d.lower() for d in self.allowed_domains if d))
