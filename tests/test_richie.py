"""End to end: crawl the Richie fixture site (FUN-MOOC / NAU search API) into a fresh store, check field by field."""
from __future__ import annotations

import sqlite3

import jsonschema
import pytest

from harvester.schema import shipped_json_schema
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site

API = "/api/v1.0/courses/"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("richie")
    with fixture_site("richie") as site:
        registry = write_registry(tmp, {"id": "fixrichie", "name": "Fixture Richie", "country": "FR",
                                        "family": "richie", "url": site.base, "languages": ["fr", "pt"],
                                        "page_size": 3})
        db = tmp / "catalogue.db"
        result = run_mooc("crawl", "--platform", "fixrichie", registry=registry, db=db)
        yield {"registry": registry, "db": db, "site": site, "result": result,
               "records": {r["id"]: r for r in export_jsonl(db)}}


def test_every_course_of_every_page_is_stored(crawled):
    assert sorted(crawled["records"]) == [f"fixrichie:{n}" for n in (101, 102, 103, 105, 106, 107)]
    schema = shipped_json_schema()
    for record in crawled["records"].values():
        jsonschema.validate(record, schema)


def test_paging_by_offset_with_a_retried_500_and_the_platform_language(crawled):
    calls = [(r.query["offset"][0], r.query["limit"][0], r.status) for r in crawled["site"].requests_to(API)]
    assert calls == [("0", "3", 200), ("3", "3", 500), ("3", "3", 200), ("6", "3", 200)]
    assert all(r.headers.get("Accept-Language") == "fr" for r in crawled["site"].requests_to(API))


def test_french_course_with_facet_names_runs_and_offer(crawled):
    course = crawled["records"]["fixrichie:101"]
    base = crawled["site"].base
    assert course["title"] == "Introduction à la statistique"
    assert course["url"] == f"{base}/fr/cours/introduction-a-la-statistique/"
    assert course["source_id"] == "101" and course["country"] == "FR"
    assert course["summary"] == "Apprenez à décrire des données, à estimer et à tester des hypothèses."
    assert course["languages"] == ["fr"] and course["language_source"] == "declared"
    # category keys are named by the page's facets; the facet root "P-0001" has no name and is left out
    assert course["subjects"] == ["Mathématiques et statistiques"]
    assert course["level"] == "introductory"
    assert course["organizations"] == [{"name": "Université de Lille", "country": None}]
    assert course["image_url"] == (f"{base}/media/filer_public_thumbnails/filer_public/ab/12/"
                                   "stat.jpg__300x170_q85_crop_subsampling-2_upscale.jpg")
    # runs in start order; Richie's MAX_DATE (year 9999) means no end
    assert course["runs"] == [
        {"start": "2024-01-08T00:00:00Z", "end": "2024-03-01T00:00:00Z",
         "enrollment_start": "2023-12-01T00:00:00Z", "enrollment_end": "2024-02-15T00:00:00Z", "pacing": None},
        {"start": "2026-02-02T08:00:00Z", "end": None,
         "enrollment_start": "2026-01-05T00:00:00Z", "enrollment_end": None, "pacing": None}]
    assert course["effort_hours_per_week"] == 3.0 and course["duration_weeks"] == 7
    assert course["is_free"] is True  # partially free: the course is, the certificate is not
    assert course["certificate"] == {"available": True, "price": 49.0, "currency": "EUR"}
    assert course["unparsed"] == {}


def test_portuguese_courses(crawled):
    course = crawled["records"]["fixrichie:102"]
    assert course["title"] == "Literacia Financeira: poupar e investir"
    assert course["languages"] == ["pt"]
    assert course["subjects"] == ["Économie et finance"]
    assert course["organizations"] == [{"name": "Universidade de Lisboa", "country": None}]
    assert course["effort_hours_per_week"] == 2.0 and course["duration_weeks"] == 8
    assert course["is_free"] is True
    assert course["certificate"] == {"available": True, "price": None, "currency": None}
    python = crawled["records"]["fixrichie:107"]
    assert python["title"] == "Programação em Python — introdução"
    assert python["runs"] == [{"start": "2026-10-05T09:00:00Z", "end": "2026-12-14T10:00:00Z",
                               "enrollment_start": "2026-08-31T23:00:00Z",
                               "enrollment_end": "2026-10-18T23:00:00Z", "pacing": None}]
    assert python["subjects"] == ["Informatique"] and python["level"] == "introductory"
    assert python["certificate"] == {"available": None, "price": None, "currency": None}


def test_missing_fields_become_null(crawled):
    course = crawled["records"]["fixrichie:103"]
    assert course["title"] == "Le cours sans détails, écrit en français"
    assert course["summary"] is None and course["image_url"] is None
    assert course["runs"] == [] and course["organizations"] == [] and course["subjects"] == []
    assert course["effort_hours_per_week"] is None and course["duration_weeks"] is None
    assert course["is_free"] is None and course["level"] is None
    assert course["languages"] == ["fr"] and course["language_source"] == "detected"
    assert course["unparsed"] == {}


def test_unknown_keys_are_dropped_and_paid_offers_are_not_free(crawled):
    course = crawled["records"]["fixrichie:106"]
    # L-09990001 and L-00039999 are not in the facets: no raw key leaks into names
    assert course["subjects"] == ["Informatique"] and course["level"] == "advanced"
    assert course["organizations"] == [{"name": "Inria", "country": None}]
    assert course["languages"] == ["fr", "en"]
    assert course["is_free"] is False
    assert course["certificate"]["available"] is True


def test_hostile_values_are_made_harmless(crawled):
    course = crawled["records"]["fixrichie:105"]
    assert course["title"] == "Cours & « sécurité »"
    assert "alert" not in course["summary"] and course["summary"] == "Protégez vos données."
    assert course["image_url"] is None and course["unparsed"]["image_url"] == "javascript:alert(1)"
    assert course["unparsed"]["runs[0].start"] == "bientôt"
    assert course["runs"][0]["enrollment_start"] == "2026-05-01"
    assert course["effort_hours_per_week"] == 3.0 and course["is_free"] is False


def test_crawl_run_counts_the_rejected_course(crawled):
    with sqlite3.connect(crawled["db"]) as db:
        run = db.execute("SELECT status, fetched, new, rejected, errors FROM crawl_runs").fetchall()
        errors = db.execute("SELECT kind, url, message FROM crawl_errors WHERE kind = 'rejected'").fetchall()
    assert run == [("complete", 7, 6, 1, 0)]
    assert len(errors) == 1 and "title" in errors[0][2] and "offset=3" in errors[0][1]


def test_a_page_failing_for_good_leaves_the_crawl_incomplete_and_marks_nothing_gone(crawled):
    site = crawled["site"]
    page = next(r for r in site.routes if r.query.get("offset") == "6")
    page.status = 500
    try:
        result = run_mooc("crawl", "--platform", "fixrichie", registry=crawled["registry"], db=crawled["db"])
    finally:
        page.status = 200
    assert "incomplete" in result.stderr
    assert len(export_jsonl(crawled["db"])) == 6
    with sqlite3.connect(crawled["db"]) as db:
        status, errors = db.execute("SELECT status, errors FROM crawl_runs ORDER BY id DESC").fetchone()
        kind, url, message = db.execute("SELECT kind, url, message FROM crawl_errors WHERE kind = 'http'").fetchone()
    assert (status, errors) == ("incomplete", 1)
    assert "offset=6" in url and "500" in message


def test_an_empty_page_ends_paging_even_if_total_count_says_more(crawled):
    site = crawled["site"]
    page = next(r for r in site.routes if r.query.get("offset") == "3")
    saved = page.file
    page.body, page.file = '{"meta": {"count": 0, "offset": 3, "total_count": 70}, "objects": []}', None
    try:  # MOOC_MAX_DROP=1: losing half the courses is expected here, not held as suspicious
        run_mooc("crawl", "--platform", "fixrichie", registry=crawled["registry"], db=crawled["db"],
                 env={"MOOC_MAX_DROP": "1"})
    finally:
        page.body, page.file = None, saved
    offsets = [r.query["offset"][0] for r in site.requests_to(API)]
    assert offsets[-2:] == ["0", "3"]  # no request past the empty page
    everything = {r["id"]: r["status"] for r in export_jsonl(crawled["db"], "--include-gone")}
    assert everything["fixrichie:105"] == "gone" and everything["fixrichie:101"] == "active"
