"""Upsert records into the catalogue store and keep the crawl run's report.

The run is opened when the spider opens and closed on ``spider_closed`` with
Scrapy's finish reason: only a run that finished and whose spider saw every
listing page (``spider.listing_complete``) may mark unseen courses gone.
"""
from __future__ import annotations

from scrapy import signals

from harvester.items import Checkpoint, Listing
from harvester.recorder import RunRecorder
from harvester.store import Store


def crawl_complete(spider, reason: str) -> bool:
    return reason == "finished" and getattr(spider, "listing_complete", False)


def reportable_stats(stats: dict) -> dict:
    return {k: v for k, v in stats.items() if k.startswith((
        "mooc/", "downloader/response_status_count", "downloader/request_count",
        "downloader/response_bytes", "elapsed_time", "retry/", "item_"))}


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.recorder: RunRecorder | None = None
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.recorder = RunRecorder(Store(self.crawler.settings.get("MOOC_DB")), spider.platform.id,
                                    spider.platform.family)
        spider.crawl_run = self  # lets the spider record page errors in the same run

    @property
    def resume_from(self):
        return self.recorder.resume_from

    def process_item(self, item: Listing | Checkpoint) -> Listing | Checkpoint:
        if isinstance(item, Checkpoint):
            self.recorder.checkpoint(item.next_page)
        else:
            outcome = self.recorder.record(item.record, item.source_url)
            self.crawler.stats.inc_value(f"mooc/{'updated' if outcome == 'returned' else outcome}")
        return item

    def record_error(self, kind: str, url: str | None, message: str) -> None:
        """Called by spiders for pages that failed or could not be parsed."""
        self.crawler.stats.inc_value("mooc/errors")
        self.recorder.error(kind, url, message)

    def item_dropped(self, item, response, exception, spider) -> None:
        if isinstance(item, Listing):
            self.crawler.stats.inc_value("mooc/rejected")
            self.recorder.reject(item.source_url, str(exception))

    def spider_closed(self, spider, reason: str) -> None:
        if self.recorder is None:
            return
        self.recorder.finish(complete=crawl_complete(spider, reason), reason=reason,
                             stats=reportable_stats(self.crawler.stats.get_stats()),
                             max_drop=self.crawler.settings.getfloat("MOOC_MAX_DROP", 0.5))
        self.recorder.store.close()
        self.recorder = None
