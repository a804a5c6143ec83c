"""A crawl killed with SIGKILL resumes where it stopped: nothing lost, nothing duplicated."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

from tests.conftest import MOOC, REPO, TEST_ENV, export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site

API = "/api/v1.0/courses/"


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


def checkpoint_of_running_run(db):
    if not db.exists():
        return None
    try:
        with sqlite3.connect(db) as conn:
            row = conn.execute("SELECT checkpoint FROM crawl_runs WHERE status = 'running' "
                               "AND checkpoint LIKE '%offset=6%'").fetchone()
    except sqlite3.OperationalError:  # the crawl is still creating the file
        return None
    return row and row[0]


def test_kill_9_midway_then_resume(tmp_path):
    with fixture_site("richie") as site:
        last_page = next(r for r in site.routes if r.query.get("offset") == "6")
        last_page.delay = 60  # the crawl hangs on the last page until it is killed
        registry = write_registry(tmp_path, {"id": "fixrichie", "name": "R", "country": "FR",
                                             "family": "richie", "url": site.base, "page_size": 3})
        db = tmp_path / "c.db"
        crawl = subprocess.Popen([*MOOC, "--registry", str(registry), "--db", str(db), "crawl",
                                  "--platform", "fixrichie"], cwd=REPO, env={**os.environ, **TEST_ENV},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: checkpoint_of_running_run(db))  # pages 0 and 3 stored, page 6 under way
        finally:
            crawl.send_signal(signal.SIGKILL)
            crawl.wait()
        stored_before = {r["id"] for r in export_jsonl(db)}
        assert len(stored_before) == 5  # pages at offsets 0 and 3 (one broken record among them)

        last_page.delay = 0
        requests_before = len(site.requests_to(API))
        result = run_mooc("crawl", "--platform", "fixrichie", registry=registry, db=db)
        resumed = [r.query["offset"][0] for r in site.requests_to(API)[requests_before:]]
        assert resumed == ["6"], resumed  # the pages stored before the kill are not fetched again

    records = export_jsonl(db)
    assert sorted(r["id"] for r in records) == [f"fixrichie:{n}" for n in (101, 102, 103, 105, 106, 107)]
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT id, status, finish_reason, resumes FROM crawl_runs ORDER BY id").fetchall()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM courses").fetchone()[0] == 6
        events = conn.execute("SELECT event, COUNT(*) FROM course_events GROUP BY event").fetchall()
    assert runs == [(1, "incomplete", "interrupted", None), (2, "complete", "finished", 1)]
    assert dict(events) == {"new": 6}
    assert "complete" in result.stderr


def test_a_complete_resumed_crawl_marks_gone_only_what_neither_part_saw(tmp_path):
    from harvester.pipelines.hash import content_hash
    from harvester.store import Store

    def rec(n):
        r = {"id": f"p:{n}", "platform": "p", "source_id": str(n), "url": "https://x.example/",
             "country": "FR", "harvested_at": "2026-01-01T00:00:00Z", "title": "t", "unparsed": {}}
        r["content_hash"] = content_hash(r)
        return r

    with Store(tmp_path / "c.db") as store:
        first = store.start_run("p", "richie")
        for n in (1, 2, 3):
            store.upsert(rec(n), first)
        store.finish_run(first, complete=True, finish_reason="finished", counts={})
        killed = store.start_run("p", "richie")
        store.upsert(rec(1), killed)
        store.checkpoint(killed, {"url": "https://x.example/?page=2"})
        store.db.execute("UPDATE crawl_runs SET pid = 999999999 WHERE id = ?", (killed,))  # a dead process
        resumed = store.start_run("p", "richie")
        assert store.resume_point(resumed) == {"url": "https://x.example/?page=2"}
        store.upsert(rec(2), resumed)
        run = store.finish_run(resumed, complete=True, finish_reason="finished", counts={})
        assert run.counts["gone"] == 1 and run.seen == 2
        assert [c["id"] for c in store.courses(status="gone")] == ["p:3"]


def test_open_edx_crawl_killed_midway_resumes_with_the_runs_it_had_gathered(tmp_path):
    listing = "/api/courses/v1/courses/"
    with fixture_site("openedx") as site:
        page3 = next(r for r in site.routes if r.query.get("page") == "3")
        page3.delay = 60
        registry = write_registry(tmp_path, {"id": "fixturemooc", "name": "F", "country": "TH",
                                             "family": "openedx", "url": site.base})
        db = tmp_path / "c.db"
        crawl = subprocess.Popen([*MOOC, "--registry", str(registry), "--db", str(db), "crawl",
                                  "--platform", "fixturemooc"], cwd=REPO, env={**os.environ, **TEST_ENV},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def page3_checkpoint():
            try:
                with sqlite3.connect(db) as conn:
                    return conn.execute("SELECT 1 FROM crawl_runs WHERE checkpoint LIKE '%page=3%'").fetchone()
            except sqlite3.OperationalError:
                return None

        try:
            wait_for(page3_checkpoint)
        finally:
            crawl.send_signal(signal.SIGKILL)
            crawl.wait()
        page3.delay = 0
        before = len(site.requests_to(listing))
        run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db)
        resumed = [r.query.get("page", ["1"])[0] for r in site.requests_to(listing)[before:] if r.status == 200]
        assert resumed == ["3"]

    records = {r["id"]: r for r in export_jsonl(db)}
    assert len(records) == 5
    # the course whose runs are on pages 1 and 2 (both fetched before the kill) still has both runs
    assert len(records["fixturemooc:ACRCEDU+ACRC01"]["runs"]) == 2
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM crawl_runs ORDER BY id").fetchall() == [("incomplete",), ("complete",)]
