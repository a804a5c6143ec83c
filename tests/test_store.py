"""The catalogue store on a real SQLite file: upserts, history, gone marking, crawl runs."""
from __future__ import annotations

import sqlite3

import pytest

from harvester.pipelines.hash import content_hash
from harvester.store import Store


def record(course_id: str, title: str = "A course") -> dict:
    platform, source_id = course_id.split(":", 1)
    rec = {"id": course_id, "platform": platform, "source_id": source_id, "url": "https://x.example/c",
           "country": "FR", "harvested_at": "2026-01-01T00:00:00Z", "title": title, "unparsed": {}}
    rec["content_hash"] = content_hash(rec)
    return rec


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "c.db") as s:
        yield s


def crawl(store: Store, records: list[dict], complete: bool = True, platform: str = "p"):
    run = store.start_run(platform, "openedx")
    outcomes = [store.upsert(r, run) for r in records]
    finished = store.finish_run(run, complete=complete, finish_reason="finished",
                                counts={"fetched": len(records), "new": outcomes.count("new")})
    return outcomes, finished


def test_upsert_reports_new_unchanged_updated(store):
    assert crawl(store, [record("p:1"), record("p:2")])[0] == ["new", "new"]
    assert crawl(store, [record("p:1"), record("p:2", "Renamed")])[0] == ["unchanged", "updated"]
    assert store.course("p:2")["title"] == "Renamed"
    assert [e["event"] for e in store.history("p:2")] == ["new", "updated"]


def test_complete_crawl_marks_unseen_courses_gone_and_they_can_return(store):
    crawl(store, [record("p:1"), record("p:2")])
    _, run = crawl(store, [record("p:1")])
    assert run.counts["gone"] == 1 and run.status == "complete"
    assert store.course("p:2")["status"] == "gone"
    assert [c["id"] for c in store.courses(status="active")] == ["p:1"]
    outcomes, _ = crawl(store, [record("p:1"), record("p:2")])
    assert outcomes == ["unchanged", "returned"]
    assert [e["event"] for e in store.history("p:2")] == ["new", "gone", "returned"]


def test_incomplete_crawl_marks_nothing_gone(store):
    crawl(store, [record("p:1"), record("p:2")])
    _, run = crawl(store, [record("p:1")], complete=False)
    assert run.status == "incomplete" and run.counts["gone"] == 0
    assert store.count(status="active") == 2


def test_gone_marking_is_per_platform(store):
    crawl(store, [record("p:1")], platform="p")
    crawl(store, [record("q:1")], platform="q")
    assert store.count(status="active") == 2


def test_a_run_that_fetched_nothing_and_did_not_finish_is_failed(store):
    run = store.start_run("p", "openedx")
    store.record_error(run, "http", "https://x.example/api", "HTTP 503")
    finished = store.finish_run(run, complete=False, finish_reason="finished", counts={})
    assert finished.status == "failed" and finished.counts["errors"] == 1
    assert store.run_errors(run)[0]["message"] == "HTTP 503"


def test_store_file_is_wal_and_passes_integrity_check(tmp_path):
    with Store(tmp_path / "c.db") as s:
        crawl(s, [record("p:1")])
    db = sqlite3.connect(tmp_path / "c.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_sharp_drop_is_held_for_review_then_accepted(store):
    crawl(store, [record(f"p:{i}") for i in range(10)])
    _, held = crawl(store, [record("p:1"), record("p:2")])  # 80% fewer
    assert held.status == "held" and held.counts["gone"] == 0
    assert store.count(status="active") == 10
    accepted = store.accept_drop("p")
    assert accepted.status == "complete" and accepted.counts["gone"] == 8
    assert store.count(status="active") == 2
    with pytest.raises(ValueError):
        store.accept_drop("p")


def test_a_store_made_before_the_resume_columns_is_upgraded_on_open(tmp_path):
    old = sqlite3.connect(tmp_path / "old.db")
    old.executescript("""
        CREATE TABLE crawl_runs (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, family TEXT NOT NULL,
            started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, finish_reason TEXT,
            fetched INTEGER NOT NULL DEFAULT 0, new INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0,
            gone INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0, stats TEXT NOT NULL DEFAULT '{}');
        INSERT INTO crawl_runs (platform, family, started_at, status) VALUES ('p', 'openedx', '2026-01-01T00:00:00Z', 'complete');
    """)
    old.close()
    with Store(tmp_path / "old.db") as store:
        crawl(store, [record("p:1")])
        assert [r.status for r in store.runs("p")] == ["complete", "complete"]
