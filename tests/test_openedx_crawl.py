"""End to end: crawl the Open edX fixture platform into a fresh store, export, check field by field."""
from __future__ import annotations

import sqlite3

import jsonschema
import pytest

from harvester.schema import shipped_json_schema
from tests.conftest import export_jsonl, run_mooc, write_registry


def platform_entry(base: str, **extra) -> dict:
    return {"id": "fixturemooc", "name": "Fixture MOOC", "country": "TH", "family": "openedx",
            "url": base, "languages": ["th", "en"], "enabled": True, **extra}


@pytest.fixture
def crawled(tmp_path, openedx_site):
    registry = write_registry(tmp_path, platform_entry(openedx_site.base))
    db = tmp_path / "catalogue.db"
    result = run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db)
    return {"registry": registry, "db": db, "site": openedx_site, "result": result,
            "records": {r["id"]: r for r in export_jsonl(db)}}


def test_every_listed_course_is_stored_once_with_its_runs(crawled):
    assert sorted(crawled["records"]) == [
        "fixturemooc:ACRCEDU+ACRC01", "fixturemooc:CHULA+DS101", "fixturemooc:HOSTILE+X1",
        "fixturemooc:KU+STAT01", "fixturemooc:TSINGHUA+AI01"]


def test_exported_records_validate_against_the_shipped_schema(crawled):
    schema = shipped_json_schema()
    for record in crawled["records"].values():
        jsonschema.validate(record, schema)


def test_thai_course_fields(crawled):
    course = crawled["records"]["fixturemooc:CHULA+DS101"]
    base = crawled["site"].base
    assert course["title"] == "วิทยาการข้อมูลเบื้องต้น (Introduction to Data Science)"
    assert course["url"] == f"{base}/courses/course-v1:CHULA+DS101+2026_T1/about"
    assert course["country"] == "TH"
    assert course["platform"] == "fixturemooc"
    assert course["source_id"] == "CHULA+DS101"
    assert course["languages"] == ["th"] and course["language_source"] == "declared"
    assert course["summary"] == "เรียนรู้พื้นฐานวิทยาการข้อมูล & การวิเคราะห์ข้อมูลด้วย Python\n\nSecond paragraph été."
    assert course["effort_hours_per_week"] == 2.0
    assert course["organizations"] == [{"name": "CHULA", "country": None}]
    assert course["image_url"] == f"{base}/asset-v1:CHULA+DS101+2026_T1+type@thumbnail+block@ds101-750x400.jpg"
    assert course["runs"] == [{"start": "2026-01-15T00:00:00Z", "end": None,
                               "enrollment_start": "2026-01-01T00:00:00Z", "enrollment_end": None,
                               "pacing": "self_paced"}]
    assert course["status"] == "active" and course["unparsed"] == {}
    assert course["first_seen"] and course["last_seen"] and course["content_hash"]


def test_kmooc_course_merges_runs_and_reads_the_extra_fields(crawled):
    course = crawled["records"]["fixturemooc:ACRCEDU+ACRC01"]
    # the next run (2030) is the representative one: its title and about page
    assert course["title"] == "문화와 생활 속 청렴"
    assert course["url"].endswith("/courses/course-v1:ACRCEDU+ACRC01+2030_01/about")
    assert [r["start"] for r in course["runs"]] == ["2021-06-29T00:00:00Z", "2030-06-28T15:00:00Z"]
    assert course["runs"][1]["enrollment_start"] == "2030-05-31T15:00:00Z"
    assert {r["pacing"] for r in course["runs"]} == {"instructor_paced"}
    assert course["languages"] == ["ko"] and course["language_source"] == "declared"
    assert course["instructors"] == ["신병주", "윤성은", "하재근", "오수진"]
    assert course["organizations"] == [{"name": "국민권익위원회 청렴연수원", "country": None}]
    assert course["subjects"] == ["인문", "인문과학"]
    assert course["isced_fields"] == ["02"]
    assert course["effort_hours_per_week"] == 1.0  # 7 h of effort over 7 weeks
    assert course["duration_weeks"] == 7


def test_missing_and_unparseable_fields_become_null_with_raw_value_kept(crawled):
    course = crawled["records"]["fixturemooc:KU+STAT01"]
    assert course["title"] == "Statistics & Probability for Everyone"
    assert course["summary"] is None and course["image_url"] is None
    assert course["runs"] == []
    assert course["unparsed"] == {"runs[0].start": "TBA"}
    # no declared language: detected from the English title
    assert course["languages"] == ["en"] and course["language_source"] == "detected"


def test_hostile_values_are_made_harmless(crawled):
    course = crawled["records"]["fixturemooc:HOSTILE+X1"]
    assert "<" not in course["title"] and "DROP TABLE" in course["title"]
    assert "script" not in (course["summary"] or "") and "alert" not in course["summary"]
    assert course["image_url"] is None and course["unparsed"]["image_url"] == "javascript:alert(1)"
    assert course["runs"][0]["start"] == "2026-05-01"
    assert course["effort_hours_per_week"] == 3.0


def test_cjk_course(crawled):
    course = crawled["records"]["fixturemooc:TSINGHUA+AI01"]
    assert course["title"] == "人工智能原理 — 機械学習入門"
    assert course["effort_hours_per_week"] == 5.0
    assert course["image_url"] == f"{crawled['site'].base}/asset-v1:TSINGHUA+AI01+2026_spring+type@asset+block@ai.jpg"
    assert course["languages"] == ["zh"] and course["language_source"] == "detected"


def test_crawl_run_is_recorded_with_counts(crawled):
    with sqlite3.connect(crawled["db"]) as db:
        run = db.execute("SELECT status, fetched, new, updated, unchanged, rejected, gone, errors "
                         "FROM crawl_runs").fetchall()
        errors = db.execute("SELECT kind, url, message FROM crawl_errors WHERE kind = 'rejected'").fetchall()
    assert run == [("complete", 6, 5, 0, 0, 1, 0, 0)]
    assert len(errors) == 1 and "title" in errors[0][2] and "page=2" in errors[0][1]
    assert "fixturemooc" in crawled["result"].stderr and "complete" in crawled["result"].stderr


def test_politeness_robots_user_agent_retries(crawled):
    site = crawled["site"]
    assert site.requests[0].path == "/robots.txt"
    assert all("mooc-harvester" in r.headers.get("User-Agent", "") for r in site.requests)
    pages = [(r.query.get("page", ["1"])[0], r.status) for r in site.requests_to("/api/courses/v1/courses/")]
    assert pages == [("1", 200), ("2", 500), ("2", 200), ("3", 429), ("3", 200)]


def test_recrawl_of_an_unchanged_platform_rewrites_nothing(crawled):
    before = crawled["records"]
    run_mooc("crawl", "--platform", "fixturemooc", registry=crawled["registry"], db=crawled["db"])
    after = {r["id"]: r for r in export_jsonl(crawled["db"])}
    assert {k: v["content_hash"] for k, v in after.items()} == {k: v["content_hash"] for k, v in before.items()}
    assert all(after[k]["first_seen"] == before[k]["first_seen"] for k in before)
    with sqlite3.connect(crawled["db"]) as db:
        last = db.execute("SELECT status, new, updated, unchanged, gone FROM crawl_runs ORDER BY id DESC").fetchone()
    assert last == ("complete", 0, 0, 5, 0)


def test_course_missing_from_a_complete_crawl_is_marked_gone(crawled):
    site = crawled["site"]
    page3 = next(r for r in site.routes if r.query.get("page") == "3")
    page3.body, page3.file = '{"results": [], "pagination": {"next": null}}', None
    run_mooc("crawl", "--platform", "fixturemooc", registry=crawled["registry"], db=crawled["db"])
    active = {r["id"] for r in export_jsonl(crawled["db"])}
    everything = {r["id"]: r["status"] for r in export_jsonl(crawled["db"], "--include-gone")}
    assert "fixturemooc:TSINGHUA+AI01" not in active
    assert everything["fixturemooc:TSINGHUA+AI01"] == "gone"
    assert everything["fixturemooc:HOSTILE+X1"] == "gone"
    assert len(active) == 3


def test_a_page_that_is_not_json_leaves_the_crawl_incomplete_and_marks_nothing_gone(crawled):
    site = crawled["site"]
    page2 = next(r for r in site.routes if r.query.get("page") == "2")
    page2.body, page2.file, page2.content_type = "<html><body>Maintenance</body></html>", None, "text/html"
    result = run_mooc("crawl", "--platform", "fixturemooc", registry=crawled["registry"], db=crawled["db"])
    assert "incomplete" in result.stderr
    assert len(export_jsonl(crawled["db"])) == 5  # nothing marked gone, nothing lost
    with sqlite3.connect(crawled["db"]) as db:
        status, errors = db.execute("SELECT status, errors FROM crawl_runs ORDER BY id DESC").fetchone()
        message = db.execute("SELECT kind, url, message FROM crawl_errors WHERE kind = 'parse'").fetchone()
    assert (status, errors) == ("incomplete", 1)
    assert message[0] == "parse" and "page=2" in message[1] and "not JSON" in message[2]


def test_csv_export_has_schema_columns(crawled):
    import csv
    import io
    out = run_mooc("export", "--format", "csv", db=crawled["db"]).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5
    row = next(r for r in rows if r["id"] == "fixturemooc:ACRCEDU+ACRC01")
    assert row["languages"] == "ko" and row["instructors"] == "신병주|윤성은|하재근|오수진"
    assert row["country"] == "TH" and row["effort_hours_per_week"] == "1.0"
