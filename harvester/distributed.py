"""Distributed mode: several crawler processes share Redis, one process writes the store.

Workers (``mooc worker``) run the family spiders with scrapy-redis's scheduler
and duplicate filter, so the request queue of every platform is shared and a
page is fetched once whichever worker takes it. Workers validate and normalize
(the CPU work) and push results as JSON messages onto one Redis list; the
single writer (``mooc writer``) pops them and records them through the same
``RunRecorder`` a local crawl uses. A platform's run closes when every worker
has reported closing it; it is complete only if every worker saw its listing
pages completely.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import time
import warnings
from collections import defaultdict
from typing import Any

import redis
from scrapy import signals

from harvester.items import Listing
from harvester.pipelines.store import crawl_complete, reportable_stats
from harvester.recorder import RunRecorder
from harvester.store import Store

logger = logging.getLogger(__name__)
# scrapy-redis 0.9 still passes spider= to the stats collector; Scrapy 2.13+ warns on every request
warnings.filterwarnings("ignore", message="Passing a 'spider' argument", module="scrapy_redis")

RESULTS_KEY = "mooc:results"
KEY_PREFIX = "mooc:"


def worker_settings(redis_url: str) -> dict[str, Any]:
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # the writer clears a platform's keys once every worker is done
        "SCHEDULER_QUEUE_KEY": KEY_PREFIX + "%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": KEY_PREFIX + "%(spider)s:dupefilter",
        "SCHEDULER_IDLE_BEFORE_CLOSE": float(os.environ.get("MOOC_WORKER_IDLE", "2")),
        "REDIS_URL": redis_url,
        "HTTPCACHE_ENABLED": False,
        "MOOC_SHARED_QUEUE": True,
        "ITEM_PIPELINES": {
            "harvester.pipelines.ValidateListingPipeline": 100,
            "harvester.pipelines.NormalizePipeline": 200,
            "harvester.pipelines.ValidateRecordPipeline": 300,
            "harvester.pipelines.HashPipeline": 400,
            "harvester.distributed.RedisForwardPipeline": 500,
        },
    }


class RedisForwardPipeline:
    """Worker side: what the store pipeline would record, pushed to Redis for the writer."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.redis = redis.Redis.from_url(crawler.settings.get("REDIS_URL"))
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.resume_from = None  # resuming is per process; a distributed crawl resumes from its queue
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def carried(self) -> list:
        return []

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _push(self, message_type: str, /, **fields) -> None:
        """One message for the writer; positional-only so that a field may be named ``kind``."""
        platform = self.crawler.spider.platform
        message = {"type": message_type, "platform": platform.id, "family": platform.family, **fields}
        self.redis.rpush(RESULTS_KEY, json.dumps(message, ensure_ascii=False, default=str))

    def open_spider(self) -> None:
        self.crawler.spider.crawl_run = self

    def process_item(self, item):
        if isinstance(item, Listing):
            self._push("record", source_url=item.source_url, record=item.record)
        return item  # checkpoints are not needed: the shared queue itself survives a worker

    def record_error(self, kind: str, url: str | None, message: str) -> None:
        self.crawler.stats.inc_value("mooc/errors")
        logger.error("%s: %s at %s: %s", self.crawler.spider.platform.id, kind, url, message)
        self._push("error", kind=kind, url=url, message=message)

    def item_dropped(self, item, response, exception, spider) -> None:
        if isinstance(item, Listing):
            self._push("rejected", source_url=item.source_url, reason=str(exception))

    def spider_closed(self, spider, reason: str) -> None:
        self._push("closed", worker=self.worker, reason=reason, complete=crawl_complete(spider, reason),
                   stats=reportable_stats(self.crawler.stats.get_stats()))


class DistributedWriter:
    """Pops worker messages and records them, one run per platform per distributed crawl."""

    def __init__(self, store: Store, client: redis.Redis, workers: int, max_drop: float = 0.5):
        self.store = store
        self.redis = client
        self.workers = workers
        self.max_drop = max_drop
        self.recorders: dict[str, RunRecorder] = {}
        self.closed: dict[str, list[dict]] = defaultdict(list)
        self.finished: list[int] = []

    def handle(self, message: dict[str, Any]) -> None:
        platform = message["platform"]
        recorder = self.recorders.get(platform)
        if recorder is None:
            recorder = self.recorders[platform] = RunRecorder(self.store, platform, message["family"],
                                                              batch=False)
        kind = message["type"]
        if kind == "record":
            recorder.record(message["record"], message["source_url"])
        elif kind == "rejected":
            recorder.reject(message["source_url"], message["reason"])
        elif kind == "error":
            recorder.error(message["kind"], message["url"], message["message"])
        elif kind == "closed":
            self.closed[platform].append(message)
            if len(self.closed[platform]) >= self.workers:
                self._finish(platform, message["family"])

    def _finish(self, platform: str, family: str) -> None:
        reports = self.closed.pop(platform)
        recorder = self.recorders.pop(platform)
        stats: dict[str, Any] = defaultdict(int)
        for report in reports:
            for key, value in report["stats"].items():
                if isinstance(value, (int, float)):
                    stats[key] += value
        stats["requests_by_worker"] = {r["worker"]: r["stats"].get("mooc/transfer/requests", 0) for r in reports}
        run = recorder.finish(complete=all(r["complete"] for r in reports),
                              reason=",".join(sorted({r["reason"] for r in reports})),
                              stats=dict(stats), max_drop=self.max_drop)
        spider = f"{family}.{platform}"
        self.redis.delete(f"{KEY_PREFIX}{spider}:requests", f"{KEY_PREFIX}{spider}:dupefilter")
        self.finished.append(run.id)

    def run(self, until_idle: float | None = None) -> list[int]:
        """Write until stopped; with ``until_idle``, return once no run is open and no message came
        for that many seconds."""
        quiet_since = time.monotonic()
        while True:
            popped = self.redis.blpop([RESULTS_KEY], timeout=1)
            if popped is None:
                if until_idle is not None and not self.recorders and time.monotonic() - quiet_since > until_idle:
                    return self.finished
                continue
            quiet_since = time.monotonic()
            try:
                message = json.loads(popped[1])
                self.handle(message)
            except (ValueError, KeyError, TypeError) as exc:
                logger.error("writer: unreadable message %.200r: %s", popped[1], exc)
