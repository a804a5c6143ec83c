"""Listing APIs that take a secret key in the query string (data.go.kr ``serviceKey``, OpenLearning ``api_key``)."""
from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, ClassVar

from harvester.items import Listing
from harvester.redact import install_log_redaction, redact
from harvester.sources.listing_api import quote_key, with_query
from spiders.base import ListingApiSpider, PageRequest


class KeyedApiSpider(ListingApiSpider):
    """A ListingApiSpider whose family row names its key (``secrets[0]``, ``key_param``); nothing holds it
    but the spider.

    The key is added to each URL on its way out, so page states and resume
    checkpoints never contain it, and it is masked in every log line, crawl
    error and stored source URL.
    """

    key_env: ClassVar[str]    # the variable the key comes from (the row's first secret)
    key_param: ClassVar[str]  # the query parameter it goes in

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.key = os.environ.get(cls.key_env, "").strip()
        spider.secrets = (spider.key,) if spider.key else ()
        install_log_redaction(spider.secrets)
        return spider

    def _request(self, page: PageRequest):
        if self.key:
            page = replace(page, url=with_query(page.url, self.key_param, quote_key(self.key)))
        return super()._request(page)

    def page_failed(self, url: str, kind: str, message: str) -> None:
        super().page_failed(redact(url, self.secrets), kind, redact(message, self.secrets))

    def listing(self, draft: dict[str, Any], source_url: str) -> Listing:
        return super().listing(draft, redact(source_url, self.secrets))
