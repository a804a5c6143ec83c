"""icourse163: pure parsing, and end to end through `mooc crawl` against the fixture site (cookie, then POSTs)."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, replace
from urllib.parse import parse_qs

import jsonschema
import pytest

from harvester.registry import Platform
from harvester.schema import shipped_json_schema
from harvester.sources import icourse163
from spiders.base import PageError
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site

CSRF = "f1x7ur3c5rfk3y0123456789abcdef"
LIST_PATH = "/web/j/courseBean.getCourseListBySchoolId.rpc"


def crawl(tmp_path, site):
    registry = write_registry(tmp_path, {
        "id": "icourse163", "name": "中国大学MOOC", "country": "CN", "family": "icourse163", "url": site.base,
        "languages": ["zh"], "school_ids": [13001, "10003"], "page_size": 2})
    db = tmp_path / "catalogue.db"
    return db, run_mooc("crawl", "--platform", "icourse163", registry=registry, db=db, check=False)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with fixture_site("icourse163") as site:
        db, result = crawl(tmp_path_factory.mktemp("icourse163"), site)
        assert result.returncode == 0, result.stderr[-4000:]
        yield {"db": db, "site": site, "result": result, "records": {r["id"]: r for r in export_jsonl(db)}}


# pure ------------------------------------------------------------------------

PLATFORM = Platform(id="icourse163", name="icourse163", country="CN", family="icourse163",
                    url="https://www.icourse163.org", options={"school_ids": [13001, "10003"]})


def home():
    return icourse163.first_request(PLATFORM, {})


def test_the_crawl_starts_at_the_home_page_and_needs_schools():
    assert (home().url, home().method) == ("https://www.icourse163.org/", "GET")
    assert home().state["then"]["schools"] == ("13001", "10003")
    without = Platform(id="x", name="x", country="CN", family="icourse163", url="https://www.icourse163.org")
    with pytest.raises(PageError, match="school_ids"):
        icourse163.first_request(without, {})


def test_csrf_key_comes_from_the_cookie():
    assert icourse163.csrf_key(["JSESSIONID=1; Path=/", "NTESSTUDYSI=abc123; Path=/; HttpOnly"]) == "abc123"
    assert icourse163.csrf_key([], "EDUWEBDEVICE=x; NTESSTUDYSI=sent1") == "sent1"
    with pytest.raises(PageError, match="NTESSTUDYSI"):
        icourse163.csrf_key(["JSESSIONID=1"], None)


def test_list_requests_post_the_form_and_take_the_csrf_key():
    request = icourse163.list_request(home().state["then"])
    assert request.method == "POST"
    assert request.url == f"https://www.icourse163.org{LIST_PATH}?schoolId=13001&p=1"
    assert icourse163.with_csrf(request.url, "a/b").endswith("?schoolId=13001&p=1&csrfKey=a%2Fb")
    assert parse_qs(request.body) == {"schoolId": ["13001"], "p": ["1"], "psize": ["20"], "type": ["1"],
                                      "courseStatus": ["30"]}


def list_page(items, page_count=1, code=0):
    return json.dumps({"code": code, "message": "bad csrf" if code else "",
                       "result": {"query": {"pageIndex": 1, "totlePageCount": page_count}, "list": items}})


def test_paging_follows_totle_page_count_then_goes_to_the_next_school():
    request = icourse163.list_request(home().state["then"])
    item = {"id": 5, "name": "课程", "schoolSN": "PKU"}
    page = icourse163.parse_page(list_page([item], page_count=2), request)
    assert (page.next.state["school"], page.next.state["page"]) == (0, 2) and "p=2" in page.next.body
    after = icourse163.parse_page(list_page([item], page_count=2), page.next).next
    assert (after.state["school"], after.state["page"]) == (1, 1) and "schoolId=10003" in after.body
    assert icourse163.parse_page(list_page([], page_count=9), after).next is None  # empty page, last school


@pytest.mark.parametrize("text, message", [
    (list_page([], code=-1), "icourse163 error -1: bad csrf"),
    ('{"code": 0, "result": {"list": {"a": 1}}}', "no result.list"),
    ("<html>登录</html>", "not JSON"),
])
def test_bad_pages_fail(text, message):
    request = icourse163.list_request(home().state["then"])
    with pytest.raises(PageError, match=message):
        icourse163.parse_page(text, request)


# end to end ------------------------------------------------------------------

def test_every_course_of_every_school_is_stored(crawled):
    assert sorted(crawled["records"]) == ["icourse163:1001234567", "icourse163:1001234568",
                                          "icourse163:1001234569", "icourse163:1002000001"]


def test_exported_records_validate_against_the_shipped_schema(crawled):
    for record in crawled["records"].values():
        jsonschema.validate(record, shipped_json_schema())


def test_chinese_course_fields(crawled):
    course = crawled["records"]["icourse163:1001234567"]
    assert course["platform"] == "icourse163" and course["source_id"] == "1001234567" and course["country"] == "CN"
    assert course["title"] == "数据结构与算法"
    assert course["url"] == f"{crawled['site'].base}/course/PKU-1001234567"
    assert course["organizations"] == [{"name": "北京大学", "country": None}]
    assert course["instructors"] == ["张铭", "赵海燕"]
    assert course["image_url"] == "http://edu-image.nosdn.127.net/fixture-ds.png"
    assert course["keywords"] == ["国家精品"]
    assert course["runs"] == [{"start": "2026-03-02T01:00:00Z", "end": "2026-06-11T16:00:00Z",
                               "enrollment_start": None, "enrollment_end": None, "pacing": None}]
    assert course["languages"] == ["zh"] and course["language_source"] == "detected"  # no language field: Han script
    assert course["unparsed"] == {} and course["status"] == "active"


def test_missing_fields_and_the_school_code_taken_from_the_page(crawled):
    course = crawled["records"]["icourse163:1001234568"]
    assert course["title"] == "古代汉语（上）"
    assert course["url"] == f"{crawled['site'].base}/course/PKU-1001234568"
    assert (course["instructors"], course["image_url"], course["runs"], course["keywords"]) == ([], None, [], [])


def test_markup_string_epochs_and_bad_dates(crawled):
    course = crawled["records"]["icourse163:1001234569"]
    assert course["title"] == "Python语言程序设计 (英文授课)"
    assert course["image_url"] == "https://edu-image.nosdn.127.net/fixture-py.jpg"  # was protocol-relative
    assert course["runs"][0]["start"] == "2026-09-01T00:00:00Z" and course["runs"][0]["end"] is None
    assert course["unparsed"] == {"runs[0].end": "明年"}
    other = crawled["records"]["icourse163:1002000001"]
    assert other["url"].endswith("/course/THU-1002000001")
    assert other["organizations"] == [{"name": "清华大学", "country": None}]


def test_run_counts(crawled):
    with sqlite3.connect(crawled["db"]) as db:
        run = db.execute("SELECT status, fetched, new, rejected, errors FROM crawl_runs").fetchone()
        rejected = db.execute("SELECT url FROM crawl_errors WHERE kind = 'rejected'").fetchall()
    assert run == ("complete", 6, 4, 2, 0)
    assert sorted(url for (url,) in rejected) == [
        f"{crawled['site'].base}{LIST_PATH}?schoolId=10003&p=1&csrfKey={CSRF}",
        f"{crawled['site'].base}{LIST_PATH}?schoolId=13001&p=2&csrfKey={CSRF}"]


def test_home_page_first_then_schools_in_turn_with_cookie_form_and_retries(crawled):
    site = crawled["site"]
    assert [r.path for r in site.requests[:2]] == ["/robots.txt", "/"]
    posts = site.requests_to(LIST_PATH)
    assert all(r.method == "POST" and f"NTESSTUDYSI={CSRF}" in r.headers.get("Cookie", "") for r in posts)
    assert all(r.query["csrfKey"] == [CSRF] for r in posts)
    assert [(r.query["schoolId"][0], r.query["p"][0], r.status) for r in posts] == [
        ("13001", "1", 200), ("13001", "2", 429), ("13001", "2", 200), ("10003", "1", 500), ("10003", "1", 200)]
    forms = {(f["schoolId"][0], f["p"][0]): f for f in (parse_qs(r.body.decode()) for r in posts)}
    assert forms[("13001", "2")] == {"schoolId": ["13001"], "p": ["2"], "psize": ["2"], "type": ["1"],
                                     "courseStatus": ["30"]}
    assert all(r.headers["Content-Type"].startswith("application/x-www-form-urlencoded") for r in posts)


def test_no_cookie_or_a_refused_csrf_key_fails_the_crawl(tmp_path):
    with fixture_site("icourse163") as site:
        home = next(r for r in site.routes if r.path == "/")
        home.headers = {}
        db, _ = crawl(tmp_path, site)
        assert site.requests_to(LIST_PATH) == []
        home.headers = {"Set-Cookie": "NTESSTUDYSI=stale0; Path=/"}
        _, _ = crawl(tmp_path, site)
    with sqlite3.connect(db) as connection:
        runs = connection.execute("SELECT status, errors FROM crawl_runs ORDER BY id").fetchall()
        errors = connection.execute("SELECT run_id, kind, message FROM crawl_errors ORDER BY id").fetchall()
    assert runs == [("failed", 1), ("failed", 1)]
    assert errors == [(1, "parse", "the home page set no NTESSTUDYSI cookie (needed as csrfKey)"),
                      (2, "parse", "PageError: icourse163 error -1: csrfKey invalid")]


def test_a_school_page_that_keeps_failing_does_not_stop_the_next_school(tmp_path):
    with fixture_site("icourse163") as site:
        first_page = next(r for r in site.routes if r.query.get("schoolId") == "13001" and r.query.get("p") == "1")
        first_page.fail_first = [{"status": 503}] * 10
        db, _ = crawl(tmp_path, site)
    with sqlite3.connect(db) as connection:
        run = connection.execute("SELECT status, new, errors FROM crawl_runs").fetchone()
        error = connection.execute("SELECT kind, url, message FROM crawl_errors WHERE kind = 'http'").fetchone()
    assert run == ("incomplete", 1, 1)  # 10003's course; nothing can be marked gone
    assert error[1].endswith("?schoolId=13001&p=1&csrfKey=" + CSRF) and error[2] == "HTTP 503"
    assert {r["id"] for r in export_jsonl(db)} == {"icourse163:1002000001"}


def test_a_resumed_crawl_gets_a_fresh_csrf_key_before_its_checkpoint(tmp_path):
    from harvester.store import Store

    with fixture_site("icourse163") as site:
        platform = Platform(id="icourse163", name="x", country="CN", family="icourse163", url=site.base,
                            options={"school_ids": [13001, "10003"], "page_size": 2})
        then = icourse163.first_request(platform, {}).state["then"]
        stale = replace(icourse163.list_request({**then, "school": 1}), url="stale csrfKey=old")
        db = tmp_path / "catalogue.db"
        with Store(db) as store:  # a run killed after school 13001, its checkpoint at school 10003
            run_id = store.start_run("icourse163", "icourse163")
            store.checkpoint(run_id, asdict(stale))
            store.db.execute("UPDATE crawl_runs SET status = 'incomplete', finish_reason = 'interrupted'")
        _, result = crawl(tmp_path, site)
        calls = [(r.method, r.path, r.query.get("schoolId"), r.query.get("csrfKey")) for r in site.requests
                 if r.path != "/robots.txt"]
    assert calls == [("GET", "/", None, None), ("POST", LIST_PATH, ["10003"], [CSRF]),
                     ("POST", LIST_PATH, ["10003"], [CSRF])]  # a 500, then the page
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT status, resumes FROM crawl_runs WHERE id = 2").fetchone() == ("complete", 1)
