"""End to end: crawl the EduOpen fixture feed (one JSON array) into a fresh store, check field by field."""
from __future__ import annotations

import sqlite3

import jsonschema
import pytest

from harvester.schema import shipped_json_schema
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site

FEED = "/rss/courses.php"
IT_COURSE = "fixeduopen:7c1e2f4a-0b3d-4e5f-8a9b-1c2d3e4f5a6b"
EN_COURSE = "fixeduopen:0d9f8e7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"
NO_IT_NAME = "fixeduopen:5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
CHINESE = "fixeduopen:a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
SPARSE = "fixeduopen:f0e1d2c3-b4a5-4967-8897-a6b5c4d3e2f1"
HOSTILE = "fixeduopen:9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("eduopen")
    with fixture_site("eduopen") as site:
        registry = write_registry(tmp, {"id": "fixeduopen", "name": "Fixture EduOpen", "country": "IT",
                                        "family": "eduopen", "url": f"{site.base}{FEED}", "languages": ["it", "en"]})
        db = tmp / "catalogue.db"
        result = run_mooc("crawl", "--platform", "fixeduopen", registry=registry, db=db)
        yield {"registry": registry, "db": db, "site": site, "result": result,
               "records": {r["id"]: r for r in export_jsonl(db)}}


def test_every_course_with_an_id_is_stored(crawled):
    assert sorted(crawled["records"]) == sorted([IT_COURSE, EN_COURSE, NO_IT_NAME, CHINESE, SPARSE, HOSTILE])
    schema = shipped_json_schema()
    for record in crawled["records"].values():
        jsonschema.validate(record, schema)
    assert [r.status for r in crawled["site"].requests_to(FEED)] == [500, 200]


def test_italian_course_fields(crawled):
    course = crawled["records"][IT_COURSE]
    base = crawled["site"].base
    assert course["title"] == "Introduzione all'economia circolare"  # the course's language, Italian
    assert course["url"] == f"{base}/eduopenv2/course_details.php?courseid=412"
    assert course["source_id"] == "7c1e2f4a-0b3d-4e5f-8a9b-1c2d3e4f5a6b" and course["country"] == "IT"
    assert course["description"] == "Il corso presenta i principi dell'economia circolare.\n\nSecondo paragrafo."
    assert course["languages"] == ["it"] and course["language_source"] == "declared"
    assert course["subjects"] == ["Economics"] and course["isced_fields"] == ["03"]  # ISCED-F 0311 economics
    assert course["organizations"] == [{"name": "University of Bologna", "country": None}]
    assert course["image_url"] == f"{base}/pluginfile.php/1203/course/overviewfiles/circolare.jpg"
    assert course["runs"] == [{"start": "2026-03-15T00:00:00Z", "end": None, "enrollment_start": None,
                               "enrollment_end": None, "pacing": None}]
    assert course["effort_hours_per_week"] == 4.0 and course["duration_weeks"] == 6
    assert course["certificate"] == {"available": True, "price": None, "currency": None}
    assert course["unparsed"] == {}


def test_title_follows_the_course_language_else_english(crawled):
    records = crawled["records"]
    assert records[EN_COURSE]["title"] == "History of medicine"
    assert records[EN_COURSE]["languages"] == ["en"]
    assert records[EN_COURSE]["certificate"]["available"] is False
    base = crawled["site"].base
    assert records[EN_COURSE]["image_url"] == f"{base}/pluginfile.php/88/course/overviewfiles/medicine.png"
    assert records[NO_IT_NAME]["title"] == "Data ethics"  # Italian course without an Italian name
    assert records[NO_IT_NAME]["effort_hours_per_week"] == 2.5
    assert records[NO_IT_NAME]["image_url"] is None


def test_non_latin_text_is_kept(crawled):
    course = crawled["records"][CHINESE]
    assert course["title"] == "Lingua cinese 中文 per principianti: 你好!"
    assert course["description"] == "Caratteri, toni e prime frasi: 我叫… 你呢?"
    assert course["languages"] == ["it"]
    assert course["runs"][0]["start"] == "2026-12-20T00:00:00Z"


def test_missing_fields_become_null(crawled):
    course = crawled["records"][SPARSE]
    assert course["title"] == "Open course with few details"
    assert course["description"] is None and course["image_url"] is None
    assert course["runs"] == [] and course["subjects"] == [] and course["organizations"] == []
    assert course["effort_hours_per_week"] is None and course["duration_weeks"] is None
    assert course["certificate"] == {"available": None, "price": None, "currency": None}
    assert course["languages"] == ["en"] and course["language_source"] == "detected"
    assert course["unparsed"] == {}


def test_hostile_values_are_made_harmless(crawled):
    course = crawled["records"][HOSTILE]
    assert course["title"] == "Sicurezza & privacy"
    assert course["description"] == "Proteggere i dati personali."
    assert course["image_url"] is None and course["unparsed"]["image_url"] == "javascript:alert(1)"
    assert course["unparsed"]["runs[0].start"] == "prossimamente"
    assert course["unparsed"]["effort_hours_per_week"] == "circa tre ore"
    assert course["languages"] == ["it"] and course["certificate"]["available"] is True


def test_crawl_run_counts_the_rejected_course(crawled):
    with sqlite3.connect(crawled["db"]) as db:
        run = db.execute("SELECT status, fetched, new, rejected, errors FROM crawl_runs").fetchall()
        errors = db.execute("SELECT kind, url, message FROM crawl_errors WHERE kind = 'rejected'").fetchall()
    assert run == [("complete", 7, 6, 1, 0)]
    assert len(errors) == 1 and "source_id" in errors[0][2] and errors[0][1].endswith(FEED)


def test_a_feed_that_is_not_json_fails_the_crawl_and_marks_nothing_gone(crawled):
    route = next(r for r in crawled["site"].routes if r.path == FEED)
    saved = route.file
    route.body, route.file = "<html><body>Servizio non disponibile</body></html>", None
    try:
        result = run_mooc("crawl", "--platform", "fixeduopen", registry=crawled["registry"], db=crawled["db"],
                          check=False)
    finally:
        route.body, route.file = None, saved
    assert result.returncode == 1 and "failed" in result.stderr
    assert len(export_jsonl(crawled["db"])) == 6
    with sqlite3.connect(crawled["db"]) as db:
        kind, url, message = db.execute("SELECT kind, url, message FROM crawl_errors WHERE kind = 'parse'").fetchone()
    assert url.endswith(FEED) and "not JSON" in message
