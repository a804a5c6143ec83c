"""Issue 11 #1, the store's side: a record holding NaN or Infinity is refused (one line naming platform and
course, counted as rejected, the crawl goes on), and stores written before the fix are repaired when opened,
so that coverage, the dashboard and `mooc export` work again. Real SQLite files, a real `mooc serve`."""
from __future__ import annotations

import json
import logging
import math
import sqlite3

import pytest
import scrapy
from scrapy.utils.test import get_crawler

from harvester.items import Listing
from harvester.pipelines.hash import content_hash
from harvester.pipelines.store import StorePipeline
from harvester.registry import Platform
from harvester.store import RecordRefused, Store
from harvester.store.migrations import LATEST
from tests.conftest import run_mooc

# the schema of the first release, before numbered migrations: no user_version, no store_meta, no
# crawl_carry, crawl_runs without seen/pid/host/resumes/checkpoint
OLD_SCHEMA = """
CREATE TABLE courses (id TEXT PRIMARY KEY, platform TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'gone')), content_hash TEXT NOT NULL, record TEXT NOT NULL,
    harvested_at TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, changed_at TEXT NOT NULL,
    last_run_id INTEGER);
CREATE TABLE course_events (id INTEGER PRIMARY KEY, course_id TEXT NOT NULL, run_id INTEGER,
    event TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE crawl_runs (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, family TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, finish_reason TEXT,
    fetched INTEGER NOT NULL DEFAULT 0, new INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0, gone INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0, stats TEXT NOT NULL DEFAULT '{}');
CREATE TABLE crawl_errors (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL,
    url TEXT, message TEXT NOT NULL);
"""
T = "2026-01-01T00:00:00Z"


def record(course_id: str, **extra) -> dict:
    platform, source_id = course_id.split(":", 1)
    rec = {"id": course_id, "platform": platform, "source_id": source_id, "url": "https://x.example/c",
           "country": "TH", "harvested_at": T, "title": "A course", "languages": ["th"], "unparsed": {}, **extra}
    rec["content_hash"] = content_hash(rec)
    return rec


def old_store(path, rows: list[tuple[str, str]]) -> None:
    """A store as an older version left it, written by raw sqlite3 (Python's json.dumps writes NaN as is)."""
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.execute("INSERT INTO crawl_runs (platform, family, started_at, finished_at, status, fetched, new) "
               "VALUES ('thaimooc', 'openedx', ?, ?, 'complete', ?, ?)", (T, T, len(rows), len(rows)))
    for course_id, text in rows:
        db.execute("INSERT INTO courses VALUES (?, 'thaimooc', 'active', 'h', ?, ?, ?, ?, ?, 1)",
                   (course_id, text, T, T, T, T))
    db.commit()
    db.close()


def test_the_store_refuses_a_record_with_a_non_finite_number(tmp_path):
    with Store(tmp_path / "c.db") as store:
        run = store.start_run("thaimooc", "openedx")
        for bad in (math.nan, math.inf, -math.inf):
            with pytest.raises(RecordRefused, match=r"thaimooc:1: not strict JSON: .*effort\.hours"):
                store.upsert(record("thaimooc:1", effort={"hours": bad}), run)
        with pytest.raises(RecordRefused, match=r"runs\[0\]\.weeks"):
            store.upsert(record("thaimooc:1", runs=[{"weeks": math.nan}]), run)
        assert store.count() == 0 and store.history("thaimooc:1") == []
        assert store.upsert(record("thaimooc:2", effort={"hours": 3.5}), run) == "new"


class FixtureSpider(scrapy.Spider):
    name = "fixture"


def test_the_pipeline_counts_a_refused_record_as_rejected_and_goes_on(tmp_path, caplog):
    db = tmp_path / "c.db"
    crawler = get_crawler(FixtureSpider, {"MOOC_DB": str(db)})
    crawler.spider = FixtureSpider()
    crawler.spider.platform = Platform("thaimooc", "Thai MOOC", "TH", "openedx", "https://thaimooc.example")
    pipeline = StorePipeline(crawler)
    pipeline.open_spider()
    with caplog.at_level(logging.WARNING):
        bad = record("thaimooc:bad", effort={"hours": math.nan})
        pipeline.process_item(Listing("thaimooc", "https://t.example/p1", {}, bad))
        pipeline.process_item(Listing("thaimooc", "https://t.example/p1", {}, record("thaimooc:good")))
    crawler.spider.listing_complete = True
    pipeline.spider_closed(crawler.spider, "finished")
    lines = [r.getMessage() for r in caplog.records if "not strict JSON" in r.getMessage()]
    assert len(lines) == 1 and "thaimooc" in lines[0] and "thaimooc:bad" in lines[0]
    assert crawler.stats.get_value("mooc/rejected") == 1
    with Store(db) as store:
        run = store.runs("thaimooc")[0]
        assert run.status == "complete" and run.counts["rejected"] == 1 and run.counts["new"] == 1
        assert [c["id"] for c in store.courses()] == ["thaimooc:good"]
        assert store.run_errors(run.id)[0]["kind"] == "rejected"


def test_an_old_store_upgrades_in_place_and_its_non_finite_numbers_are_repaired(tmp_path):
    db = tmp_path / "old.db"
    good = json.dumps({"id": "thaimooc:1", "country": "TH", "languages": ["th"], "unparsed": {}})
    bad = json.dumps({"id": "thaimooc:2", "country": "TH", "languages": ["en"], "unparsed": {"fee": "free?"},
                      "effort": {"hours": math.nan, "weeks": math.inf}, "runs": [{"n": -math.inf}]})
    assert "NaN" in bad
    old_store(db, [("thaimooc:1", good), ("thaimooc:2", bad)])
    with Store(db) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
        columns = {row[1] for row in store.db.execute("PRAGMA table_info(crawl_runs)")}
        assert {"seen", "pid", "host", "resumes", "checkpoint"} <= columns
        repaired = store.course("thaimooc:2")
        assert repaired["effort"] == {"hours": None, "weeks": None} and repaired["runs"] == [{"n": None}]
        assert repaired["unparsed"] == {"fee": "free?", "effort.hours": "NaN", "effort.weeks": "Infinity",
                                        "runs[0].n": "-Infinity"}
        assert store.course("thaimooc:1")["languages"] == ["th"]
        assert sum(store.coverage_combinations().values()) == 2  # SQLite's json_extract over every record
        assert store.runs("thaimooc")[0].status == "complete"
        store.start_run("thaimooc", "openedx")  # the added columns work
        store.identity()
    with Store(db) as store:  # opening again applies nothing
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_export_of_a_repaired_store_is_strict_json(tmp_path):
    db = tmp_path / "old.db"
    old_store(db, [("thaimooc:2", json.dumps({"id": "thaimooc:2", "country": "TH", "platform": "thaimooc",
                                              "title": "x", "unparsed": {}, "effort": {"hours": math.nan}}))])
    result = run_mooc("export", db=db, check=False)
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        json.loads(line, parse_constant=lambda name: pytest.fail(f"export wrote {name}"))
