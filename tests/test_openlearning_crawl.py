"""OpenLearning API v2.1: pure parsing, and end to end through `mooc crawl` against the fixture API."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict

import jsonschema
import pytest

from harvester.registry import Platform
from harvester.schema import shipped_json_schema
from harvester.sources import openlearning
from spiders.base import PageError
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site
from tests.secret_leaks import assert_no_secret, store_dump

KEY = "ol-fixture-Key+9f/3c"
API_PATH = "/v2.1/courses/"
SITE = "https://www.openlearning.com"


def crawl(tmp_path, site, key: str, *flags: str):
    registry = write_registry(tmp_path, {
        "id": "openlearning", "name": "OpenLearning", "country": "MY", "family": "openlearning",
        "url": f"{site.base}/v2.1", "languages": ["en", "ms"], "page_size": 2})
    db = tmp_path / "catalogue.db"
    result = run_mooc("crawl", *flags, "--platform", "openlearning", registry=registry, db=db, check=False,
                      env={openlearning.KEY_ENV: key, "MOOC_LOG_LEVEL": "DEBUG"})
    return db, result


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with fixture_site("openlearning") as site:
        db, result = crawl(tmp_path_factory.mktemp("openlearning"), site, KEY, "--verbose")
        assert result.returncode == 0, result.stderr[-4000:]
        yield {"db": db, "site": site, "result": result, "records": {r["id"]: r for r in export_jsonl(db)}}


# pure ------------------------------------------------------------------------

def platform(url: str) -> Platform:
    return Platform(id="openlearning", name="OpenLearning", country="MY", family="openlearning", url=url)


@pytest.mark.parametrize("url", ["https://api.openlearning.com", "https://api.openlearning.com/v2.1/"])
def test_first_request_with_or_without_the_version_in_the_registry_url(url):
    request = openlearning.first_request(platform(url), {openlearning.KEY_ENV: KEY})
    assert request.url == "https://api.openlearning.com/v2.1/courses/?page=1&itemsPerPage=100"
    assert_no_secret(KEY, json.dumps(asdict(request)))  # the spider adds the key on the way out


def test_a_missing_key_is_a_clear_error():
    with pytest.raises(PageError, match="set MOOC_OPENLEARNING_API_KEY"):
        openlearning.first_request(platform("https://api.openlearning.com"), {})


def test_paging_stops_only_on_an_empty_page():
    first = openlearning.first_request(platform("https://api.openlearning.com"), {openlearning.KEY_ENV: KEY})
    short = openlearning.parse_page(json.dumps({"meta": {"status": 200}, "data": [{"id": 1}]}), first)
    assert short.next.state["page"] == 2
    assert openlearning.parse_page('{"meta": {"status": 200}, "data": []}', short.next).next is None


@pytest.mark.parametrize("text, message", [
    ('{"meta": {"status": 403, "error": "Quota exceeded"}, "data": []}', r"error \(403\): Quota exceeded"),
    ('{"meta": {}, "data": {"id": 1}}', "'data' is dict"),
    ("Bad Gateway", "not JSON"),
])
def test_bad_pages_fail(text, message):
    first = openlearning.first_request(platform("https://api.openlearning.com"), {openlearning.KEY_ENV: KEY})
    with pytest.raises(PageError, match=message):
        openlearning.parse_page(text, first)


# end to end ------------------------------------------------------------------

def test_every_course_is_stored(crawled):
    assert sorted(crawled["records"]) == [
        "openlearning:5f2a9c0e1b2d3a4f5e6d7c8b", "openlearning:5f2a9c0e1b2d3a4f5e6d7c8c",
        "openlearning:5f2a9c0e1b2d3a4f5e6d7c8d", "openlearning:9001"]


def test_exported_records_validate_against_the_shipped_schema(crawled):
    for record in crawled["records"].values():
        jsonschema.validate(record, shipped_json_schema())


def test_malay_self_paced_course(crawled):
    course = crawled["records"]["openlearning:5f2a9c0e1b2d3a4f5e6d7c8b"]
    assert course["platform"] == "openlearning" and course["country"] == "MY"
    assert course["source_id"] == "5f2a9c0e1b2d3a4f5e6d7c8b"
    assert course["title"] == "Pengenalan Kepada Kecerdasan Buatan"
    assert course["url"] == f"{SITE}/malaysiamoocs/courses/pengenalan-kecerdasan-buatan/"
    assert course["image_url"] == "https://cdn.openlearning.com/fixture/ai.png"
    assert course["runs"] == [{"start": None, "end": None, "enrollment_start": None, "enrollment_end": None,
                               "pacing": "self_paced"}]
    assert course["language_source"] == "detected"  # no language field (Malay or Indonesian, by the title)
    assert course["unparsed"] == {} and course["status"] == "active"


def test_tamil_course_with_links_relative_to_the_site(crawled):
    course = crawled["records"]["openlearning:5f2a9c0e1b2d3a4f5e6d7c8c"]
    assert course["title"] == "தமிழ் இலக்கிய அறிமுகம் (Introduction to Tamil Literature)"
    assert course["url"] == f"{SITE}/umalaya/courses/tamil-ilakkiyam/"
    assert course["image_url"] == f"{SITE}/media/courses/tamil.png"
    assert course["runs"][0]["pacing"] == "instructor_paced"
    assert course["languages"] == ["ta"]


def test_missing_and_hostile_values(crawled):
    bare = crawled["records"]["openlearning:5f2a9c0e1b2d3a4f5e6d7c8d"]
    assert (bare["title"], bare["image_url"], bare["runs"]) == ("Asas Keusahawanan Digital", None, [])
    hostile = crawled["records"]["openlearning:9001"]
    assert hostile["title"] == "Bahasa Melayu & Budaya 马来语与文化"
    assert hostile["image_url"] is None and hostile["unparsed"] == {"image_url": "javascript:alert(1)"}
    assert hostile["runs"] == []  # self_paced "yes please" is no flag


def test_run_counts_and_rejections(crawled):
    with sqlite3.connect(crawled["db"]) as db:
        run = db.execute("SELECT status, fetched, new, rejected, errors FROM crawl_runs").fetchone()
        rejected = db.execute("SELECT url FROM crawl_errors WHERE kind = 'rejected' ORDER BY id").fetchall()
    assert run == ("complete", 6, 4, 2, 0)
    assert [url for (url,) in rejected] == [
        f"{crawled['site'].base}{API_PATH}?page={n}&itemsPerPage=2&api_key=***" for n in (2, 3)]  # masked


def test_pages_until_an_empty_one_with_retries(crawled):
    calls = [(r.query["page"][0], r.status) for r in crawled["site"].requests_to(API_PATH)]
    assert calls == [("1", 200), ("2", 429), ("2", 200), ("3", 500), ("3", 200), ("4", 200)]
    assert {r.query["api_key"][0] for r in crawled["site"].requests_to(API_PATH)} == {KEY}


def test_the_key_is_in_no_log_line_and_nowhere_in_the_store(crawled):
    result = crawled["result"]
    assert "Crawled (200) <GET" in result.stderr and "api_key=***" in result.stderr
    assert_no_secret(KEY, result.stdout, result.stderr, store_dump(crawled["db"]))


def test_a_refused_key_is_reported_without_the_key(tmp_path):
    wrong = "not-the-key-42"
    with fixture_site("openlearning") as site:
        db, result = crawl(tmp_path, site, wrong)
    with sqlite3.connect(db) as connection:
        run = connection.execute("SELECT status, errors FROM crawl_runs").fetchone()
        error = connection.execute("SELECT kind, url, message FROM crawl_errors").fetchone()
    assert run == ("failed", 1)
    assert error[0] == "parse" and error[1].endswith("&api_key=***")
    assert error[2] == "PageError: OpenLearning API error (401): Invalid or missing api_key"
    assert_no_secret(wrong, result.stdout, result.stderr, store_dump(db))
