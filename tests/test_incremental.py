"""Re-crawling an unchanged platform: conditional requests, nothing rewritten; schedules; health."""
from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.test_openedx_crawl import platform_entry

LISTING = "/api/courses/v1/courses/"


def last_run(db):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()


def test_unchanged_recrawl_is_revalidated_with_etags_and_rewrites_nothing(tmp_path, openedx_site):
    for route in openedx_site.routes:
        if route.path == LISTING:
            route.etag = f'"page-{route.query.get("page", "1")}-v1"'
    registry = write_registry(tmp_path, platform_entry(openedx_site.base))
    db = tmp_path / "c.db"
    run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db)
    first = last_run(db)
    first_requests = len(openedx_site.requests)
    first_bytes = sum(r.sent_bytes for r in openedx_site.requests)
    hashes = {r["id"]: (r["content_hash"], r["first_seen"]) for r in export_jsonl(db)}

    run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db)
    second = last_run(db)
    again = openedx_site.requests[first_requests:]
    listing = [r for r in again if r.path == LISTING]
    assert [r.status for r in listing] == [304, 304, 304]
    assert all("If-None-Match" in r.headers for r in listing)
    second_bytes = sum(r.sent_bytes for r in again)
    assert second_bytes < first_bytes / 10
    assert (second["status"], second["new"], second["updated"], second["unchanged"]) == ("complete", 0, 0, 5)
    assert {r["id"]: (r["content_hash"], r["first_seen"]) for r in export_jsonl(db)} == hashes
    stats = json.loads(second["stats"])
    assert stats["mooc/transfer/status/304"] == 3
    first_stats = json.loads(first["stats"])
    assert first_stats["mooc/transfer/bytes"] > 10 * stats.get("mooc/transfer/bytes", 0)
    assert stats["mooc/transfer/requests"] == first_stats["mooc/transfer/requests"] - 2  # no 500/429 again


def test_due_and_not_due(tmp_path, openedx_site):
    registry = write_registry(tmp_path, platform_entry(openedx_site.base, schedule="0 0 1 1 *"))
    db = tmp_path / "c.db"
    run_mooc("crawl", "--due", registry=registry, db=db)          # never crawled: due
    assert last_run(db)["id"] == 1
    result = run_mooc("crawl", "--due", registry=registry, db=db)  # next due next 1 January
    assert "no platform is due" in result.stderr and last_run(db)["id"] == 1
    with sqlite3.connect(db) as conn:  # pretend the last crawl was more than a year ago
        conn.execute("UPDATE crawl_runs SET started_at = '2020-01-02T00:00:00Z'")
    run_mooc("crawl", "--due", registry=registry, db=db)
    assert last_run(db)["id"] == 2


def test_a_platform_that_shrinks_by_80_percent_is_held_then_accepted(tmp_path, openedx_site):
    registry = write_registry(tmp_path, platform_entry(openedx_site.base))
    db = tmp_path / "c.db"
    run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db)
    page1 = next(r for r in openedx_site.routes if r.query == {"page_size": "100"})
    page1.file = "page3.json"  # the platform now lists only page 3's two courses: 5 → 2
    result = run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db)
    run = last_run(db)
    assert run["status"] == "held" and run["gone"] == 0 and run["seen"] == 2
    assert len(export_jsonl(db)) == 5
    health = run_mooc("health", "--format", "json", registry=registry, db=db, check=False)
    assert health.returncode == 1
    assert json.loads(health.stdout)["platforms"][0]["state"] == "dropped"
    run_mooc("crawl", "--platform", "fixturemooc", "--accept-drop", registry=registry, db=db)
    assert {r["id"] for r in export_jsonl(db)} == {"fixturemooc:TSINGHUA+AI01", "fixturemooc:HOSTILE+X1"}
    assert "held" in result.stderr


def test_health_is_quiet_after_a_good_crawl_and_reports_failures(tmp_path, openedx_site):
    registry = write_registry(tmp_path, platform_entry(openedx_site.base))
    db = tmp_path / "c.db"
    run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db)
    ok = run_mooc("health", "--format", "json", registry=registry, db=db)
    assert json.loads(ok.stdout)["platforms"][0]["state"] == "ok"
    dead = write_registry(tmp_path, platform_entry("http://127.0.0.1:9"))  # nothing listens there
    run_mooc("crawl", "--platform", "fixturemooc", registry=dead, db=db, check=False)
    report = run_mooc("health", "--format", "json", registry=dead, db=db, check=False)
    assert report.returncode == 1
    assert json.loads(report.stdout)["platforms"][0]["state"] == "failed"


def test_schedule_helpers():
    from harvester.schedule import interval, is_due
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    assert is_due("0 3 * * *", None, now)
    assert is_due("0 3 * * *", datetime(2026, 11, 29, 2, tzinfo=UTC), now)
    assert not is_due("0 3 * * *", datetime(2026, 11, 30, 4, tzinfo=UTC), now)
    assert interval("0 3 * * *", now).total_seconds() == 86400
    assert interval("0 3 * * 1", now).days == 7
