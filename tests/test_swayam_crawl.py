"""SWAYAM GraphQL: pure parsing, and end to end through `mooc crawl` against the fixture site."""
from __future__ import annotations

import json
import sqlite3
from urllib.parse import unquote

import jsonschema
import pytest

from harvester.registry import Platform
from harvester.schema import shipped_json_schema
from harvester.sources import swayam
from spiders.base import PageError
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site

QUERY_PATH = "/modules/gql/query"


def crawl(tmp_path, site):
    registry = write_registry(tmp_path, {
        "id": "swayam", "name": "SWAYAM", "country": "IN", "family": "swayam", "url": site.base,
        "languages": ["en", "hi"], "page_size": 2})
    db = tmp_path / "catalogue.db"
    return db, run_mooc("crawl", "--platform", "swayam", registry=registry, db=db, check=False)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with fixture_site("swayam") as site:
        db, result = crawl(tmp_path_factory.mktemp("swayam"), site)
        assert result.returncode == 0, result.stderr[-4000:]
        yield {"db": db, "site": site, "base": site.base, "records": {r["id"]: r for r in export_jsonl(db)}}


# pure ------------------------------------------------------------------------

PLATFORM = Platform(id="swayam", name="SWAYAM", country="IN", family="swayam", url="https://swayam.gov.in",
                    options={"page_size": 2, "statuses": ["Ongoing"]})


def test_query_quotes_the_cursor():
    query = swayam.graphql("Upcoming", 5, 'x"}) {evil')
    assert 'first: 5, after: "x\\"}) {evil")' in query and 'status: "Upcoming"' in query


def wrap(edges, has_next=False, cursor="c1", guard=")]}'\n"):
    return guard + json.dumps({"data": {"courseList": {"edges": edges,
                                                       "pageInfo": {"endCursor": cursor, "hasNextPage": has_next}}}})


def test_relay_paging_then_the_next_status():
    platform = Platform(id="swayam", name="S", country="IN", family="swayam", url="https://swayam.gov.in",
                        options={"page_size": 2})
    first = swayam.first_request(platform, {})
    edge = {"node": {"id": "a", "title": "T", "url": "u"}}
    page = swayam.parse_page(wrap([edge], has_next=True, cursor="c1"), first)
    assert page.next.state["after"] == "c1" and page.next.state["status"] == 0
    page = swayam.parse_page(wrap([edge], has_next=False), page.next)
    assert page.next.state == {**first.state, "status": 1, "after": None}
    assert 'status: "Ongoing"' in unquote(page.next.url)
    assert swayam.parse_page(wrap([]), page.next).next is None


def test_has_next_page_without_edges_or_cursor_stops():
    first = swayam.first_request(PLATFORM, {})
    assert swayam.parse_page(wrap([], has_next=True), first).next is None
    assert swayam.parse_page(wrap([{"node": {"id": "a"}}], has_next=True, cursor=None), first).next is None


@pytest.mark.parametrize("text, message", [
    (")]}'\n{\"errors\": [{\"message\": \"Cannot query field \\\"x\\\"\"}], \"data\": null}",
     'GraphQL errors: Cannot query field "x"'),
    (")]}'\n{\"data\": {\"other\": 1}}", "no data.courseList.edges"),
    (")]}'\n<html>", "not JSON"),
])
def test_bad_pages_fail(text, message):
    with pytest.raises(PageError, match=message):
        swayam.parse_page(text, swayam.first_request(PLATFORM, {}))


def test_a_body_without_the_guard_is_read_too():
    page = swayam.parse_page(wrap([{"node": {"id": "a"}}], guard=""), swayam.first_request(PLATFORM, {}))
    assert [d["source_id"] for d in page.drafts] == ["a"]


# end to end ------------------------------------------------------------------

def test_every_listed_course_of_both_statuses_is_stored(crawled):
    assert sorted(crawled["records"]) == ["swayam:aic26_yoga", "swayam:cec26_hi01", "swayam:imb26_mg01",
                                          "swayam:noc26_cs01", "swayam:ugc26_ge05"]


def test_exported_records_validate_against_the_shipped_schema(crawled):
    for record in crawled["records"].values():
        jsonschema.validate(record, shipped_json_schema())


def test_english_course_fields(crawled):
    course = crawled["records"]["swayam:noc26_cs01"]
    assert course["platform"] == "swayam" and course["source_id"] == "noc26_cs01" and course["country"] == "IN"
    assert course["title"] == "Programming in Java"
    assert course["url"] == "https://onlinecourses.nptel.ac.in/noc26_cs01/preview"
    assert course["summary"] == "Learn Java from scratch – objects, threads and GUIs."
    assert course["subjects"] == ["Computer Science and Engineering"] and course["keywords"] == []
    assert course["organizations"] == [{"name": "IIT Kharagpur", "country": None}]
    assert course["instructors"] == ["Prof. Debasis Samanta"]
    assert course["image_url"] == "https://storage.googleapis.com/swayam-fixture/noc26_cs01/java.jpg"
    assert course["runs"] == [{"start": "2026-07-20", "end": "2026-10-09", "enrollment_start": None,
                               "enrollment_end": "2026-07-27T18:29:00Z", "pacing": None}]
    assert course["effort_hours_per_week"] == 3.0 and course["duration_weeks"] == 12
    assert course["is_free"] is True
    assert course["languages"] == ["en"] and course["language_source"] == "detected"
    assert course["unparsed"] == {}


def test_hindi_course_with_relative_links(crawled):
    course = crawled["records"]["swayam:cec26_hi01"]
    assert course["title"] == "हिंदी साहित्य का इतिहास"
    assert course["url"] == f"{crawled['base']}/cec26_hi01/preview"
    assert course["image_url"] == f"{crawled['base']}/assets/img/cec26_hi01.png"
    assert course["languages"] == ["hi"]
    assert course["instructors"] == ["डॉ. राम प्रसाद", "डॉ. सीमा शर्मा"]
    assert course["organizations"] == [{"name": "दिल्ली विश्वविद्यालय", "country": None}]
    assert course["subjects"] == ["Humanities", "Hindi"] and course["keywords"] == ["UG"]
    assert course["duration_weeks"] == 15 and course["effort_hours_per_week"] is None
    assert course["runs"] == [{"start": "2026-08-01", "end": "2026-11-30", "enrollment_start": None,
                               "enrollment_end": "2026-08-15", "pacing": None}]


def test_missing_fields_and_the_minus_one_weeks_sentinel(crawled):
    course = crawled["records"]["swayam:ugc26_ge05"]
    assert course["title"] == "Environmental Studies"
    assert (course["summary"], course["image_url"], course["duration_weeks"]) == (None, None, None)
    assert (course["runs"], course["instructors"], course["organizations"], course["subjects"]) == ([], [], [], [])
    assert course["unparsed"] == {}


def test_hostile_values_and_a_date_to_be_announced(crawled):
    course = crawled["records"]["swayam:aic26_yoga"]
    assert "<" not in course["title"] and "onerror" not in course["title"]
    assert course["title"].endswith("Yoga & Well-being / योग")
    assert "alert" not in course["summary"] and course["summary"].endswith("Daily practice.")
    assert course["unparsed"] == {"image_url": "javascript:alert(1)", "runs[0].start": "TBA"}
    assert course["runs"] == [{"start": None, "end": "2026-12-31", "enrollment_start": None, "enrollment_end": None,
                               "pacing": None}]
    assert course["effort_hours_per_week"] == 3.0 and course["duration_weeks"] == 8


def test_instructors_joined_with_an_ampersand(crawled):
    course = crawled["records"]["swayam:imb26_mg01"]
    assert course["instructors"] == ["Prof. Jayanta Chatterjee", "Prof. Shashi Shekhar Mishra"]


def test_run_counts(crawled):
    with sqlite3.connect(crawled["db"]) as db:
        run = db.execute("SELECT status, fetched, new, rejected, errors FROM crawl_runs").fetchone()
    assert run == ("complete", 7, 5, 2, 0)  # a null node and a node without id rejected; the hidden one skipped
    assert "swayam:aic26_internal" not in crawled["records"]


def test_statuses_are_paged_in_turn_with_retries(crawled):
    calls = [(r.query["q"][0], r.status) for r in crawled["site"].requests_to(QUERY_PATH)]
    assert [(swayam.graphql(*args), status) for args, status in [
        (("Upcoming", 2), 200), (("Upcoming", 2, "YXJyYXljb25uZWN0aW9uOjE="), 500),
        (("Upcoming", 2, "YXJyYXljb25uZWN0aW9uOjE="), 200), (("Ongoing", 2), 200),
        (("Ongoing", 2, 'on:2"'), 429), (("Ongoing", 2, 'on:2"'), 200)]] == calls


def test_graphql_errors_fail_the_page_and_keep_what_was_found(tmp_path):
    with fixture_site("swayam") as site:
        ongoing = next(r for r in site.routes if r.file == "ongoing1.json")
        ongoing.file, ongoing.body = None, ')]}\'\n{"errors": [{"message": "Cannot query field \\"semester\\""}]}'
        db, result = crawl(tmp_path, site)
    with sqlite3.connect(db) as connection:
        run = connection.execute("SELECT status, new, errors FROM crawl_runs").fetchone()
        error = connection.execute("SELECT kind, message FROM crawl_errors WHERE kind = 'parse'").fetchone()
    assert run == ("incomplete", 3, 1)
    assert error == ("parse", 'PageError: GraphQL errors: Cannot query field "semester"')
