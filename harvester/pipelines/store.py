"""Upsert records into the catalogue store and keep the crawl run's report.

The run is opened when the spider opens and closed on ``spider_closed`` with
Scrapy's finish reason: only a run that finished and whose spider saw every
listing page (``spider.listing_complete``) may mark unseen courses gone.
"""
from __future__ import annotations

import logging

from scrapy import signals

from harvester.items import Checkpoint, Listing
from harvester.store import COUNTERS, Store

logger = logging.getLogger(__name__)

COMMIT_EVERY = 200  # records per transaction


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store: Store | None = None
        self.run_id: int | None = None
        self.pending = 0
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.store = Store(self.crawler.settings.get("MOOC_DB"))
        self.run_id = self.store.start_run(spider.platform.id, spider.platform.family)
        spider.crawl_run = self  # lets the spider record page errors in the same run
        self.resume_from = self.store.resume_point(self.run_id)
        if self.resume_from is not None:
            logger.info("%s: resuming an interrupted crawl at %s", spider.platform.id, self.resume_from)
        self.store.db.execute("BEGIN")

    def process_item(self, item: Listing | Checkpoint) -> Listing | Checkpoint:
        if isinstance(item, Checkpoint):
            # everything yielded before it is in this transaction: commit both together
            self.store.checkpoint(self.run_id, item.next_page)
            self._commit()
            return item
        outcome = self.store.upsert(item.record, self.run_id)
        self.stats.inc_value(f"mooc/{'updated' if outcome == 'returned' else outcome}")
        for field_name, raw in item.record["unparsed"].items():
            self.store.record_error(self.run_id, "unparsed", item.source_url,
                                    f"{item.record['id']}: {field_name} = {raw!r:.200}")
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self._commit()
        return item

    def _commit(self) -> None:
        self.store.db.execute("COMMIT")
        self.store.db.execute("BEGIN")
        self.pending = 0

    def record_error(self, kind: str, url: str | None, message: str) -> None:
        """Called by spiders for pages that failed or could not be parsed."""
        self.stats.inc_value("mooc/errors")
        logger.error("%s: %s at %s: %s", self.crawler.spider.platform.id, kind, url, message)
        self.store.record_error(self.run_id, kind, url, message)

    def item_dropped(self, item, response, exception, spider) -> None:
        if not isinstance(item, Listing):
            return
        self.stats.inc_value("mooc/rejected")
        logger.warning("%s: rejected listing from %s: %s", item.platform, item.source_url, exception)
        self.store.record_error(self.run_id, "rejected", item.source_url, str(exception))

    def spider_closed(self, spider, reason: str) -> None:
        if self.store is None:
            return
        self.store.db.execute("COMMIT")
        stats = self.stats.get_stats()
        counts = {c: int(stats.get(f"mooc/{c}", 0)) for c in COUNTERS}
        counts["fetched"] = sum(counts[c] for c in ("new", "updated", "unchanged", "rejected"))
        complete = reason == "finished" and getattr(spider, "listing_complete", False)
        run = self.store.finish_run(
            self.run_id, complete=complete, finish_reason=reason, counts=counts,
            stats={k: v for k, v in stats.items() if _reportable(k)},
            max_drop=self.crawler.settings.getfloat("MOOC_MAX_DROP", 0.5))
        logger.info("%s: crawl run %s %s: %s", spider.platform.id, run.id, run.status, run.counts)
        self.store.close()
        self.store = None


def _reportable(key: str) -> bool:
    return key.startswith(("mooc/", "downloader/response_status_count", "downloader/request_count",
                           "downloader/response_bytes", "elapsed_time", "retry/", "item_"))
