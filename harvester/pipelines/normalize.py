from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from harvester.items import Listing
from harvester.normalize.course import RejectedListing, normalize_course
from harvester.store import utc_now

logger = logging.getLogger(__name__)


class NormalizePipeline:
    """Draft → record through the pure normalizers; unparsed fields are logged and counted."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: Listing) -> Listing:
        if not isinstance(item, Listing):
            return item
        platform = self.crawler.spider.platform
        try:
            item.record = normalize_course(
                item.draft, platform_id=platform.id, country=platform.country,
                harvested_at=utc_now(), base_url=item.source_url, language_hints=platform.languages)
        except RejectedListing as exc:
            raise DropItem(str(exc)) from exc
        if item.record["unparsed"]:
            self.stats.inc_value("mooc/unparsed_fields", len(item.record["unparsed"]))
            logger.warning("%s: %s at %s: unparsed %s", platform.id, item.record["id"], item.source_url,
                           ", ".join(f"{k}={v!r:.80}" for k, v in item.record["unparsed"].items()))
        return item
