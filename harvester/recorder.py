"""One crawl run's bookkeeping in the store: records, rejections, errors, checkpoints, the end.

Used by the Scrapy store pipeline (one process crawls and writes) and by the
distributed mode's single writer (workers crawl, one process writes), so that
both count and close runs the same way.
"""
from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from harvester.store import COUNTERS, CrawlRun, Store

logger = logging.getLogger(__name__)

COMMIT_EVERY = 200  # records per transaction


class RunRecorder:
    def __init__(self, store: Store, platform_id: str, family: str, batch: bool = True):
        """``batch``: group records in transactions (one writer per store connection); without it
        every statement commits alone, so that several runs can share one connection."""
        self.store = store
        self.batch = batch
        self.platform_id = platform_id
        self.run_id = store.start_run(platform_id, family)
        self.counts: Counter[str] = Counter()
        self.pending = 0
        self.resume_from = store.resume_point(self.run_id)
        if self.resume_from is not None:
            logger.info("%s: resuming an interrupted crawl at %s", platform_id, self.resume_from)
        if batch:
            store.db.execute("BEGIN")

    def record(self, record: dict[str, Any], source_url: str) -> str:
        outcome = self.store.upsert(record, self.run_id)
        self.counts["updated" if outcome == "returned" else outcome] += 1
        for field_name, raw in record["unparsed"].items():
            self.store.record_error(self.run_id, "unparsed", source_url,
                                    f"{record['id']}: {field_name} = {raw!r:.200}")
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.commit()
        return outcome

    def reject(self, source_url: str | None, reason: str) -> None:
        self.counts["rejected"] += 1
        logger.warning("%s: rejected listing from %s: %s", self.platform_id, source_url, reason)
        self.store.record_error(self.run_id, "rejected", source_url, reason)

    def error(self, kind: str, url: str | None, message: str) -> None:
        logger.error("%s: %s at %s: %s", self.platform_id, kind, url, message)
        self.store.record_error(self.run_id, kind, url, message)

    def checkpoint(self, next_page: dict[str, Any] | None, carry: list[Any] | None = None) -> None:
        """Everything recorded so far, what the spider carries and the next page to resume from are
        committed together."""
        if carry:
            self.store.carry(self.run_id, carry)
        self.store.checkpoint(self.run_id, next_page)
        self.commit()

    def carried(self) -> list[Any]:
        return self.store.carried(self.run_id) if self.resume_from is not None else []

    def commit(self) -> None:
        if self.batch:
            self.store.db.execute("COMMIT")
            self.store.db.execute("BEGIN")
        self.pending = 0

    def finish(self, *, complete: bool, reason: str, stats: dict[str, Any], max_drop: float) -> CrawlRun:
        if self.batch:
            self.store.db.execute("COMMIT")
        counts = {c: self.counts[c] for c in COUNTERS}
        counts["fetched"] = sum(counts[c] for c in ("new", "updated", "unchanged", "rejected"))
        run = self.store.finish_run(self.run_id, complete=complete, finish_reason=reason, counts=counts,
                                    stats=stats, max_drop=max_drop)
        logger.info("%s: crawl run %s %s: %s", self.platform_id, run.id, run.status, run.counts)
        return run
