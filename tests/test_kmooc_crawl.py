"""K-MOOC open data v2: pure page parsing, and end to end through `mooc crawl` against the fixture portal."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict

import jsonschema
import pytest

from harvester.registry import Platform
from harvester.schema import shipped_json_schema
from harvester.sources import kmooc
from spiders.base import PageError
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site
from tests.secret_leaks import assert_no_secret, store_dump

KEY = "fixture+Key/ABC=="  # the portal's keys hold + / = : they must be %-encoded once
API_PATH = "/B552881/kmooc_v2_0/courseList_v2_0"


def entry(base: str, **extra) -> dict:
    return {"id": "kmooc", "name": "K-MOOC", "country": "KR", "family": "kmooc",
            "url": f"{base}/B552881/kmooc_v2_0", "languages": ["ko", "en"], "page_size": 3, **extra}


def crawl(tmp_path, site, key: str, *flags: str):
    registry = write_registry(tmp_path, entry(site.base))
    db = tmp_path / "catalogue.db"
    result = run_mooc("crawl", *flags, "--platform", "kmooc", registry=registry, db=db, check=False,
                      env={kmooc.KEY_ENV: key, "MOOC_LOG_LEVEL": "DEBUG"})
    return db, result


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with fixture_site("kmooc") as site:
        db, result = crawl(tmp_path_factory.mktemp("kmooc"), site, KEY, "--verbose")
        assert result.returncode == 0, result.stderr[-4000:]
        yield {"db": db, "site": site, "result": result, "records": {r["id"]: r for r in export_jsonl(db)}}


# pure ------------------------------------------------------------------------

PLATFORM = Platform(id="kmooc", name="K-MOOC", country="KR", family="kmooc",
                    url="https://apis.data.go.kr/B552881/kmooc_v2_0/", options={"page_size": 2})


def first(key: str = KEY):
    return kmooc.first_request(PLATFORM, {kmooc.KEY_ENV: key})


def test_page_requests_never_hold_the_key():
    """The spider adds it on the way out: page states and resume checkpoints must not contain it."""
    assert first().url == "https://apis.data.go.kr/B552881/kmooc_v2_0/courseList_v2_0?Page=1&Size=2&_type=json"
    following = kmooc.parse_page(body([{"id": 1}, {"id": 2}]), first()).next
    assert_no_secret(KEY, json.dumps([asdict(first()), asdict(following)]))


@pytest.mark.parametrize("env", [{}, {kmooc.KEY_ENV: "  "}])
def test_a_missing_key_is_a_clear_error(env):
    with pytest.raises(PageError, match="set MOOC_KMOOC_API_KEY"):
        kmooc.first_request(PLATFORM, env)


def body(items, total=3, code="00", message="NORMAL SERVICE."):
    return json.dumps({"header": {"page": 1, "size": 2, "totalCount": total}, "resultCode": code,
                       "resultMsg": message, "totalCount": total, "items": items})


def test_paging_stops_once_page_times_size_reaches_the_total():
    item = {"id": 1, "name": "강좌", "url": "/view/course/detail/1"}
    page1 = kmooc.parse_page(body([item, item]), first())
    assert page1.next is not None and page1.next.state["page"] == 2 and "?Page=2&" in page1.next.url
    assert kmooc.parse_page(body([item]), page1.next).next is None
    assert kmooc.parse_page(body([], total=50), first()).next is None  # an empty page ends paging too


def test_relative_links_point_at_the_kmooc_site_not_the_api_host():
    page = kmooc.parse_page(body([{"id": 1, "name": "강좌", "url": "/view/course/detail/1",
                                   "course_image": "/upload/1.png"}]), first())
    assert page.drafts[0]["url"] == "https://www.kmooc.kr/view/course/detail/1"
    assert page.drafts[0]["image_url"] == "https://www.kmooc.kr/upload/1.png"


def test_a_single_item_wrapped_the_data_go_kr_way_is_read():
    wrapped = json.dumps({"resultCode": "00", "totalCount": 1, "items": {"item": {"id": 7, "name": "강좌", "url": "u"}}})
    assert [d["source_id"] for d in kmooc.parse_page(wrapped, first()).drafts] == [7]


def test_an_error_result_code_fails_the_page_with_the_portal_message():
    with pytest.raises(PageError, match="22.*LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"):
        kmooc.parse_page(body([], code="22", message="LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"), first())


def test_the_portal_xml_error_body_fails_the_page():
    xml = ("<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>"
           "SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg><returnReasonCode>30</returnReasonCode>"
           "</cmmMsgHeader></OpenAPI_ServiceResponse>")
    with pytest.raises(PageError, match="30: SERVICE_KEY_IS_NOT_REGISTERED_ERROR"):
        kmooc.parse_page(xml, first())


@pytest.mark.parametrize("text, message", [
    ("", "not JSON"), ("{", "not JSON"), ("[1, 2]", "not a JSON object"),
    ('{"resultCode": "00", "items": "none"}', "'items' is str"),
    ("<response><header><resultCode>00</resultCode></header></response>", "answered XML, not JSON"),
])
def test_malformed_pages_fail(text, message):
    with pytest.raises(PageError, match=message):
        kmooc.parse_page(text, first())


# end to end ------------------------------------------------------------------

def test_every_public_course_is_stored_once(crawled):
    assert sorted(crawled["records"]) == ["kmooc:10245", "kmooc:10246", "kmooc:10248", "kmooc:10249", "kmooc:10251"]


def test_exported_records_validate_against_the_shipped_schema(crawled):
    for record in crawled["records"].values():
        jsonschema.validate(record, shipped_json_schema())


def test_korean_course_with_kst_times_converted_to_utc(crawled):
    course = crawled["records"]["kmooc:10245"]
    assert course["platform"] == "kmooc" and course["source_id"] == "10245" and course["country"] == "KR"
    assert course["title"] == "인공지능과 윤리 (AI and Ethics)"
    assert course["url"] == "https://www.kmooc.kr/view/course/detail/10245"
    assert course["image_url"] == "https://cdn.kmooc.kr/course/10245/%EB%8C%80%ED%91%9C%EC%9D%B4%EB%AF%B8%EC%A7%80.png"
    assert course["organizations"] == [{"name": "서울대학교", "country": None}]
    assert course["instructors"] == ["김민수", "이지은"]
    assert course["languages"] == ["ko"] and course["language_source"] == "detected"  # no language field: Hangul
    assert course["runs"] == [{"start": "2026-03-01T15:00:00Z", "end": "2026-06-14T14:59:59Z",
                               "enrollment_start": "2026-02-16T00:00:00Z", "enrollment_end": "2026-03-15T14:59:59Z",
                               "pacing": None}]
    assert course["summary"] is None and course["is_free"] is True and course["unparsed"] == {}
    assert course["status"] == "active" and course["first_seen"] and course["content_hash"]


def test_compact_dates_stay_dates_and_compact_times_are_kst(crawled):
    course = crawled["records"]["kmooc:10246"]
    assert course["runs"] == [{"start": "2026-04-01", "end": "2026-06-30", "enrollment_start": "2026-03-15T00:00:00Z",
                               "enrollment_end": "2026-03-31", "pacing": None}]
    assert course["organizations"] == [{"name": "KNUk", "country": None}]  # no org_name: the org code
    assert course["image_url"] == "https://www.kmooc.kr/upload/course/10246.jpg"


def test_times_with_a_zone_are_kept_and_short_times_read(crawled):
    course = crawled["records"]["kmooc:10251"]
    assert course["title"] == "양자역학 입문 — Quantum Mechanics I"
    assert course["runs"] == [{"start": "2026-09-07T01:00:00Z", "end": "2026-12-18T09:00:00Z",
                               "enrollment_start": "2026-08-31T15:00:00Z", "enrollment_end": "2026-09-14T09:00:00Z",
                               "pacing": None}]
    assert course["instructors"] == ["한동훈", "윤서연"]
    assert course["organizations"] == [{"name": "한국과학기술원(KAIST)", "country": None}]


def test_missing_fields_become_empty(crawled):
    course = crawled["records"]["kmooc:10248"]
    assert course["title"] == "Data Literacy for Everyone"
    assert (course["image_url"], course["runs"], course["instructors"], course["organizations"]) == (None, [], [], [])
    assert course["languages"] == ["en"] and course["unparsed"] == {}


def test_hostile_and_unparseable_values(crawled):
    course = crawled["records"]["kmooc:10249"]
    assert "<" not in course["title"] and "alert" not in course["title"]
    assert "미래 사회와 기술 & 윤리" in course["title"]
    assert course["image_url"] is None
    assert course["unparsed"] == {"image_url": "javascript:alert(1)", "runs[0].start": "미정"}
    assert course["runs"] == [{"start": None, "end": "2026-12-20T14:59:59Z", "enrollment_start": "2026-07-31T15:00:00Z",
                               "enrollment_end": "2026-08-31T14:59:59Z", "pacing": None}]
    assert course["instructors"] == ["최유진", "정하늘"]


def test_run_counts_rejections_and_courses_withheld_from_the_public(crawled):
    with sqlite3.connect(crawled["db"]) as db:
        run = db.execute("SELECT status, fetched, new, rejected, errors, stats FROM crawl_runs").fetchone()
        rejected = db.execute("SELECT url, message FROM crawl_errors WHERE kind = 'rejected' ORDER BY id").fetchall()
    assert run[:5] == ("complete", 7, 5, 2, 0)
    assert json.loads(run[5])["mooc/skipped_not_public"] == 1
    assert "kmooc:10247" not in crawled["records"]
    assert len(rejected) == 2 and all("serviceKey=***" in url for url, _ in rejected)
    assert "?Page=2&" in rejected[0][0] and "?Page=3&" in rejected[1][0]
    assert "title" in rejected[1][1]


def test_pages_are_requested_with_the_key_retried_and_not_past_the_total(crawled):
    calls = crawled["site"].requests_to(API_PATH)
    assert [(c.query["Page"][0], c.status) for c in calls] == [
        ("1", 200), ("2", 500), ("2", 200), ("3", 429), ("3", 200)]
    assert {c.query["serviceKey"][0] for c in calls} == {KEY}
    assert {(c.query["Size"][0], c.query["_type"][0]) for c in calls} == {("3", "json")}


def test_the_key_is_in_no_log_line_and_nowhere_in_the_store(crawled):
    result = crawled["result"]
    assert "Crawled (200) <GET" in result.stderr and "serviceKey=***" in result.stderr  # Scrapy's own lines, redacted
    assert_no_secret(KEY, result.stdout, result.stderr, store_dump(crawled["db"]))


def test_an_unregistered_key_fails_the_crawl_cleanly_and_is_not_reported(tmp_path):
    wrong = "wrong/Key+0123456789=="
    with fixture_site("kmooc") as site:
        db, result = crawl(tmp_path, site, wrong)
    with sqlite3.connect(db) as connection:
        status = connection.execute("SELECT status, errors FROM crawl_runs").fetchone()
        errors = connection.execute("SELECT kind, url, message FROM crawl_errors").fetchall()
    assert status == ("failed", 1)
    assert errors[0][0] == "parse" and "SERVICE_KEY_IS_NOT_REGISTERED_ERROR" in errors[0][2]
    assert errors[0][1].endswith("?Page=1&Size=3&_type=json&serviceKey=***")
    assert_no_secret(wrong, result.stdout, result.stderr, store_dump(db))


def test_without_a_key_nothing_is_fetched_and_the_run_says_why(tmp_path):
    with fixture_site("kmooc") as site:
        db, result = crawl(tmp_path, site, "")
        assert site.requests_to(API_PATH) == []
    with sqlite3.connect(db) as connection:
        status = connection.execute("SELECT status FROM crawl_runs").fetchone()
        errors = connection.execute("SELECT kind, message FROM crawl_errors").fetchall()
    assert status == ("failed",)
    assert errors == [("config", "kmooc needs an API key: set MOOC_KMOOC_API_KEY in the environment")]
