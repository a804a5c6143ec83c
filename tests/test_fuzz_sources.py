"""Property-based tests of every family's page parser and of the course normalizer.

Whatever a platform sends, a parser returns a Page or raises PageError/ValueError (reported as a
failed page); it never crashes the crawl with another exception and never hangs. Whatever a draft
holds, normalizing it gives a schema-valid record or a RejectedListing.
"""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvester.normalize.course import RejectedListing, normalize_course
from harvester.pipelines.validate import schema_errors
from harvester.registry import Platform
from harvester.sources import (
    eduopen,
    federica,
    feeds,
    icourse163,
    kmooc,
    moochub,
    moodle,
    openedx,
    openlearning,
    richie,
    swayam,
)
from harvester.sources.paging import Page, PageError, PageRequest

ENV = {"MOOC_KMOOC_API_KEY": "k", "MOOC_OPENLEARNING_API_KEY": "k"}
SOURCES = {
    "richie": richie, "moochub": moochub, "eduopen": eduopen, "kmooc": kmooc, "openlearning": openlearning,
    "swayam": swayam, "icourse163": icourse163, "moodle": moodle, "rss": feeds, "federica": federica,
}
OPTIONS = {"icourse163": {"school_ids": [13001]}}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=40)

# keys the parsers look for, so that random documents reach past the first checks
KEYS = ["results", "pagination", "next", "data", "links", "attributes", "objects", "meta", "total_count",
        "items", "header", "totalCount", "result", "list", "query", "totlePageCount", "edges", "node",
        "pageInfo", "courseList", "name", "title", "id", "url", "startDate", "inLanguage", "courses"]
shaped = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**12) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    max_leaves=60)

markup = st.lists(st.sampled_from([
    "<rss>", "</rss>", "<channel>", "<item>", "</item>", "<title>", "</title>", "<link>", "</link>",
    "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "</entry>", "<div class='coursebox' data-courseid='3'>",
    "<a href='/course/view.php?id=3'>", "</a>", "</div>", "&amp;", "&bogus;", "<![CDATA[x]]>", "é", "한국어",
    "<?xml version='1.0'?>", "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", "&a;", "\x00", "<", ">",
]), max_size=30).map("".join)


def first_request(family: str) -> PageRequest:
    platform = Platform(id="fuzz", name="Fuzz", country="FR", family=family, url="https://fuzz.example",
                        languages=("fr",), options=OPTIONS.get(family, {}))
    first = SOURCES[family].first_request(platform, ENV)
    if family == "icourse163":  # the first request fetches the csrf cookie; lists come after it
        return icourse163.list_request(first.state["then"])
    return first


def parse_safely(family: str, text: str) -> None:
    try:
        page = SOURCES[family].parse_page(text, first_request(family))
    except (PageError, ValueError):
        return
    assert isinstance(page, Page)
    assert all(isinstance(d, dict) for d in page.drafts)


# CI runs a fast variant; `make fuzz` sets MOOC_FUZZ_EXAMPLES for a long run.
EXAMPLES = int(os.environ.get("MOOC_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None if EXAMPLES > 60 else 2000,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("family", sorted(SOURCES))
@FUZZ
@given(document=json_values | shaped)
def test_parsers_survive_any_json(family, document):
    parse_safely(family, json.dumps(document))


@pytest.mark.parametrize("family", sorted(SOURCES))
@FUZZ
@given(text=st.text(max_size=300) | markup)
def test_parsers_survive_any_text_and_markup(family, text):
    parse_safely(family, text)


@pytest.mark.parametrize("family", sorted(SOURCES))
def test_parsers_survive_deep_nesting_and_huge_fields(family):
    deep = "[" * 5000 + "]" * 5000
    parse_safely(family, deep)
    parse_safely(family, json.dumps({"results": [{"name": "x" * 2_000_000, "id": "y"}], "data": []}))


@FUZZ
@given(document=json_values | shaped)
def test_openedx_pages_and_transform_survive_any_json(document):
    try:
        results, _ = openedx.parse_page(document)
    except (openedx.PageError, ValueError):
        return
    for key, runs in openedx.group_runs(results).items():
        openedx.transform(key, runs, "https://lms.example", datetime(2026, 11, 30, tzinfo=UTC))


draft_values = st.none() | st.text(max_size=60) | st.integers(-10**6, 10**12) | st.floats(allow_nan=True) \
    | st.lists(st.text(max_size=20) | st.dictionaries(st.text(max_size=8), st.text(max_size=20)), max_size=4)
drafts = st.fixed_dictionaries(
    {"source_id": st.text(max_size=20), "title": st.text(max_size=80), "url": st.text(max_size=40)
     | st.just("https://x.example/c") | st.just("/relative")},
    optional={k: draft_values for k in (
        "summary", "description", "languages", "subtitle_languages", "subjects", "keywords", "level",
        "organizations", "instructors", "image_url", "license", "effort", "duration_weeks", "is_free")}
    | {"runs": st.lists(st.dictionaries(st.sampled_from(["start", "end", "pacing", "enrollment_end"]),
                                        draft_values, max_size=4) | draft_values, max_size=3),
       "certificate": st.dictionaries(st.sampled_from(["available", "price", "currency"]), draft_values)})


@settings(max_examples=EXAMPLES * 5, deadline=None if EXAMPLES > 60 else 2000,
          suppress_health_check=[HealthCheck.too_slow])
@given(draft=drafts)
def test_any_draft_normalizes_to_a_schema_valid_record_or_is_rejected(draft):
    try:
        record = normalize_course(draft, platform_id="fuzz", country="FR", harvested_at="2026-11-30T00:00:00Z",
                                  base_url="https://x.example/")
    except RejectedListing:
        return
    assert schema_errors(record) is None, (draft, schema_errors(record))
