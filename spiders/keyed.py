"""Listing APIs whose URLs carry a secret key (data.go.kr ``serviceKey``, OpenLearning ``api_key``)."""
from __future__ import annotations

import os
from typing import Any

from harvester.items import Listing
from harvester.redact import install_log_redaction, redact
from spiders.base import ListingApiSpider


class KeyedApiSpider(ListingApiSpider):
    """A ListingApiSpider that keeps its source's key (``source.KEY_ENV``) out of every
    log line, crawl error and stored source URL."""

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.secrets = tuple(s for s in (os.environ.get(cls.source.KEY_ENV, "").strip(),) if s)
        install_log_redaction(spider.secrets)
        return spider

    def page_failed(self, url: str, kind: str, message: str) -> None:
        super().page_failed(redact(url, self.secrets), kind, redact(message, self.secrets))

    def listing(self, draft: dict[str, Any], source_url: str) -> Listing:
        return super().listing(draft, redact(source_url, self.secrets))
