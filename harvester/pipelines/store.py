"""Upsert records into the catalogue store and keep the crawl run's report.

The run is opened when the spider opens and closed on ``spider_closed`` with
Scrapy's finish reason: only a run that finished and whose spider saw every
listing page (``spider.listing_complete``) may mark unseen courses gone.
"""
from __future__ import annotations

import logging
import sqlite3

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from harvester.items import Checkpoint, Listing
from harvester.recorder import RunRecorder
from harvester.store import RecordRefused, Store

logger = logging.getLogger(__name__)


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
        self.store_failure: str | None = None
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

    def carried(self) -> list:
        return self.recorder.carried()

    def process_item(self, item: Listing | Checkpoint) -> Listing | Checkpoint:
        if self.recorder is None or self.store_failure:
            return item
        try:
            if isinstance(item, Checkpoint):
                self.recorder.checkpoint(item.next_page, item.carry)
            else:
                try:
                    outcome = self.recorder.record(item.record, item.source_url)
                except RecordRefused as refused:  # e.g. NaN from the platform: one line, counted, crawl goes on
                    self.crawler.stats.inc_value("mooc/rejected")
                    self.recorder.reject(item.source_url, str(refused))
                    return item
                self.crawler.stats.inc_value(f"mooc/{'updated' if outcome == 'returned' else outcome}")
        except sqlite3.Error as exc:
            self._store_failed(exc)
        return item

    def _store_failed(self, exc: Exception) -> None:
        """The store cannot be written (e.g. disk full): stop the crawl; SQLite rolls back the open
        transaction, so what was committed before stays as it was."""
        self.store_failure = f"store {self.recorder.store.path} cannot be written: {exc}"
        logger.error("%s: %s; stopping the crawl", self.crawler.spider.platform.id, self.store_failure)
        self.crawler.stats.set_value("mooc/store_failure", self.store_failure)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))

    def record_error(self, kind: str, url: str | None, message: str) -> None:
        """Called by spiders for pages that failed or could not be parsed."""
        self.crawler.stats.inc_value("mooc/errors")
        if not self.store_failure:
            try:
                self.recorder.error(kind, url, message)
            except sqlite3.Error as exc:
                self._store_failed(exc)

    def item_dropped(self, item, response, exception, spider) -> None:
        if isinstance(item, Listing) and not self.store_failure:
            self.crawler.stats.inc_value("mooc/rejected")
            try:
                self.recorder.reject(item.source_url, str(exception))
            except sqlite3.Error as exc:
                self._store_failed(exc)

    def spider_closed(self, spider, reason: str) -> None:
        if self.recorder is None:
            return
        try:
            self.recorder.finish(complete=crawl_complete(spider, reason) and not self.store_failure,
                                 reason=reason, stats=reportable_stats(self.crawler.stats.get_stats()),
                                 max_drop=self.crawler.settings.getfloat("MOOC_MAX_DROP", 0.5))
        except sqlite3.Error as exc:
            logger.error("%s: the crawl run could not be closed in the store: %s", spider.platform.id, exc)
        finally:
            self.recorder.store.close()
            self.recorder = None
