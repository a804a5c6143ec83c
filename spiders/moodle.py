from __future__ import annotations

import logging
import os

from scrapy.http import TextResponse

from harvester.redact import install_log_redaction
from harvester.sources import moodle
from spiders.base import ListingApiSpider, PageError

logger = logging.getLogger(__name__)


class MoodleSpider(ListingApiSpider):
    """Moodle: the web service when a token is configured (ListingApiSpider does the paging),
    else the guest catalogue, whose pages fan out to categories and their course pages."""

    def start_requests(self):
        self.seen_courses: set[str] = set()
        self.token = moodle.ws_token(self.platform, os.environ)
        if self.token:
            install_log_redaction([self.token])  # the token is in POST bodies only; this is a second guard
            yield from super().start_requests()
            return
        try:
            starts = moodle.catalogue_start(self.platform)
        except PageError as exc:
            self.page_failed(self.platform.url, "config", str(exc))
            return
        for link in starts:
            request = self.page_request(link.url, self.parse_catalogue,
                                        cb_kwargs={"category": link.category, "start": True})
            if request is not None:
                yield request

    def page_request(self, url, callback, **kwargs):
        """Web service calls get the token here, as they are sent: the source's requests (which
        crawl checkpoints save) never hold it."""
        if getattr(self, "token", None) and kwargs.get("method") == "POST":
            kwargs["body"] = moodle.with_token(kwargs.get("body"), self.token)
        return super().page_request(url, callback, **kwargs)

    def parse_catalogue(self, response, category: str | None, start: bool = False):
        if not isinstance(response, TextResponse):
            self.page_failed(response.url, "parse", "not an HTML page")
            return
        try:
            found = moodle.parse_catalogue(response.text, response.url, self.platform, category, start)
        except (PageError, ValueError) as exc:
            self.page_failed(response.url, "parse", str(exc))
            return
        logger.info("%s: %s: %d courses, %d catalogue links", self.platform.id, response.url,
                    len(found.drafts), len(found.links))
        for draft in found.drafts:
            key = draft.get("source_id")
            if key and key in self.seen_courses:
                continue
            if key and draft.get("url"):  # a box without a link may be listed properly elsewhere
                self.seen_courses.add(key)
            yield self.listing(draft, response.url)
        for link in found.links:
            request = self.page_request(link.url, self.parse_catalogue, cb_kwargs={"category": link.category})
            if request is not None:
                yield request
