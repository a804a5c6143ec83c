"""Bytes and requests of a first crawl and of an unchanged re-crawl of the Open edX fixture platform.

    .venv/bin/python bench/bench_recrawl.py

Counts what crossed the network (below Scrapy's HTTP cache), from the crawl runs' stats and from the
fixture server's own log.
"""
from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import run_mooc, write_registry  # noqa: E402
from tests.fixture_sites.server import site  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, site("openedx") as fixture:
        for route in fixture.routes:
            if route.path == "/api/courses/v1/courses/":
                route.etag = f'"{route.query.get("page", "1")}-v1"'
        registry = write_registry(Path(tmp), {"id": "fixturemooc", "name": "F", "country": "TH",
                                              "family": "openedx", "url": fixture.base})
        db = Path(tmp) / "c.db"
        rows = []
        for label in ("first crawl", "unchanged re-crawl"):
            before = len(fixture.requests)
            run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db)
            served = fixture.requests[before:]
            with sqlite3.connect(db) as conn:
                stats, new, unchanged = conn.execute(
                    "SELECT stats, new, unchanged FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
            stats = json.loads(stats)
            statuses = {}
            for r in served:
                statuses[r.status] = statuses.get(r.status, 0) + 1
            rows.append((label, len(served), sum(r.sent_bytes for r in served), stats.get("mooc/transfer/bytes", 0),
                         statuses, new, unchanged))
    print(f"{'':20} {'requests':>8} {'bytes sent':>10} {'bytes received':>14}  statuses        new unchanged")
    for label, requests, sent, received, statuses, new, unchanged in rows:
        print(f"{label:20} {requests:>8} {sent:>10} {received:>14}  {str(statuses):15} {new:>3} {unchanged:>9}")


if __name__ == "__main__":
    main()
