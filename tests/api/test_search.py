"""/api/v1/search through the app (TestClient) over a written catalogue in a real store and a real index."""
from __future__ import annotations

import pytest

from harvester.schema import Course
from indexer.base import FACETS
from tests.api.catalogue_data import availability, facet_values

COURSE_FIELDS = set(Course.model_fields)


def search(client, *pairs, status=200):
    response = client.get("/api/v1/search", params=list(pairs))
    assert response.status_code == status, response.text
    return response.json()


def ids(body) -> set[str]:
    return {r["id"] for r in body["results"]}


def matching(records, now, filters: dict[str, set[str]], skip: str | None = None) -> list[dict]:
    return [r for r in records
            if all(facet_values(r, f, now) & values for f, values in filters.items() if f != skip)]


def expected_facets(records, now, filters: dict[str, set[str]]) -> dict[str, dict[str, int]]:
    """A faceted search's counts: each facet counts the courses matching every *other* filter."""
    out = {}
    for facet in FACETS:
        counts: dict[str, int] = {}
        for record in matching(records, now, filters, skip=facet):
            for value in facet_values(record, facet, now):
                counts[value] = counts.get(value, 0) + 1
        out[facet] = counts
    return out


def facet_counts(body) -> dict[str, dict[str, int]]:
    return {name: {item["value"]: item["count"] for item in items} for name, items in body["facets"].items()}


def every_value(records, now):
    return sorted({(facet, value) for r in records for facet in FACETS for value in facet_values(r, facet, now)})


def test_without_query_every_course_is_found_with_the_answer_shape(client, records):
    body = search(client, ("size", "100"))
    assert set(body) == {"total", "results", "facets", "next_cursor"}
    assert body["total"] == len(records) and ids(body) == {r["id"] for r in records}
    assert body["next_cursor"] is None
    assert set(body["facets"]) == set(FACETS)
    for result in body["results"]:
        assert set(result) == COURSE_FIELDS | {"highlights"}
        Course(**{k: v for k, v in result.items() if k != "highlights"})


def test_results_are_the_stored_records(client, records):
    by_id = {r["id"]: r for r in records}
    for result in search(client, ("size", "100"))["results"]:
        stored = by_id[result["id"]]
        for field in ("title", "languages", "isced_fields", "runs", "certificate", "organizations", "country"):
            assert result[field] == stored[field], field


def test_every_filter_value_selects_exactly_the_courses_that_have_it(client, records, now):
    for facet, value in every_value(records, now):
        expected = {r["id"] for r in matching(records, now, {facet: {value}})}
        body = search(client, (facet, value), ("size", "100"))
        assert ids(body) == expected, (facet, value)
        assert body["total"] == len(expected), (facet, value)


@pytest.mark.parametrize("pairs, filters", [
    ([("country", "TH"), ("country", "KR")], {"country": {"TH", "KR"}}),
    ([("country", "th,kr")], {"country": {"TH", "KR"}}),
    ([("language", "en"), ("isced", "6")], {"language": {"en"}, "isced": {"06"}}),
    ([("free", "true"), ("certificate", "true"), ("level", "introductory")],
     {"free": {"true"}, "certificate": {"true"}, "level": {"introductory"}}),
    ([("free", "false")], {"free": {"false"}}),
    ([("availability", "open"), ("availability", "upcoming"), ("language", "fr")],
     {"availability": {"open", "upcoming"}, "language": {"fr"}}),
    ([("availability", "archived"), ("country", "FR")], {"availability": {"archived"}, "country": {"FR"}}),
    ([("pacing", "self_paced")], {"pacing": {"self_paced"}}),
    ([("platform", "kmooc"), ("platform", "jmooc"), ("isced", "06"), ("isced", "05")],
     {"platform": {"kmooc", "jmooc"}, "isced": {"06", "05"}}),
])
def test_filters_or_within_and_across_with_faceted_counts(client, records, now, pairs, filters):
    body = search(client, *pairs, ("size", "100"))
    assert ids(body) == {r["id"] for r in matching(records, now, filters)}
    expected = expected_facets(records, now, filters)
    assert facet_counts(body) == expected
    # facet lists are ordered by count, highest first
    for items in body["facets"].values():
        assert [i["count"] for i in items] == sorted((i["count"] for i in items), reverse=True)


def test_facet_counts_without_filters(client, records, now):
    counts = facet_counts(search(client))
    assert counts == expected_facets(records, now, {})
    assert counts["country"] == {"TH": 4, "KR": 4, "FR": 4, "CN": 3, "JP": 2, "DE": 3}


def test_availability_of_the_written_runs(client, records, now):
    # the written runs cover every availability; the API's meaning matches the tests' own reading
    seen = set().union(*(availability(r, now) for r in records))
    assert seen == {"open", "upcoming", "self_paced", "archived"}


def test_a_date_window_applies_to_one_and_the_same_run(client):
    # xuetangx:PKU+ECON runs in 2020 and 2031: a window between them matches neither run
    assert "xuetangx:PKU+ECON" not in ids(search(client, ("starts_after", "2024-01-01"),
                                                 ("starts_before", "2029-12-31"), ("size", "100")))
    assert "xuetangx:PKU+ECON" in ids(search(client, ("starts_after", "2031-01-01"), ("size", "100")))
    assert "xuetangx:PKU+ECON" in ids(search(client, ("starts_before", "2020-12-31"), ("size", "100")))
    assert ids(search(client, ("starts_after", "2031-01-01"), ("starts_before", "2031-12-31"))) == {
        "xuetangx:PKU+ECON"}


def test_starts_after_and_before_select_runs_by_start(client, records):
    body = search(client, ("starts_after", "2021-01-01"), ("size", "100"))
    expected = {r["id"] for r in records if any(run["start"] and run["start"][:10] >= "2021-01-01"
                                                for run in r["runs"])}
    assert ids(body) == expected


def test_sort_by_start_date_and_newest_are_accepted_and_keep_the_total(client, records):
    for sort in ("relevance", "start_date", "newest"):
        body = search(client, ("sort", sort), ("size", "100"))
        assert body["total"] == len(records) and len(body["results"]) == len(records)


def test_sort_by_start_date_puts_the_next_start_first(client, now):
    body = search(client, ("sort", "start_date"), ("availability", "upcoming"), ("size", "100"))
    starts = [min(run["start"] for run in r["runs"] if run["start"] >= now.strftime("%Y-%m-%d"))
              for r in body["results"]]
    assert starts == sorted(starts) and len(starts) >= 4


def test_pages_do_not_overlap_and_cover_everything(client, records):
    seen: list[str] = []
    for page in (1, 2, 3, 4):
        body = search(client, ("size", "6"), ("page", str(page)), ("sort", "start_date"))
        assert body["total"] == len(records)
        seen += [r["id"] for r in body["results"]]
    assert len(seen) == len(set(seen)) == len(records)
    assert search(client, ("size", "6"), ("page", "5"))["results"] == []


def test_cursor_reads_every_course_once_and_ends_with_null(client, records):
    for sort in ("relevance", "start_date", "newest"):
        seen: list[str] = []
        cursor = None
        for _ in range(10):
            pairs = [("size", "7"), ("sort", sort)] + ([("cursor", cursor)] if cursor else [])
            body = search(client, *pairs)
            assert body["total"] == len(records)
            seen += [r["id"] for r in body["results"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == len(records), sort


def test_cursor_keeps_the_filters_of_the_query(client, records, now):
    expected = {r["id"] for r in matching(records, now, {"free": {"true"}})}
    seen, cursor = [], None
    while True:
        body = search(client, ("free", "true"), ("size", "3"), *([("cursor", cursor)] if cursor else []))
        seen += [r["id"] for r in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(expected)


def test_text_query_finds_and_highlights(client):
    body = search(client, ("q", "programmation"))
    assert "funmooc:INRIA+PROG" in ids(body)
    hit = next(r for r in body["results"] if r["id"] == "funmooc:INRIA+PROG")
    fragments = [f for values in hit["highlights"].values() for f in values]
    assert any("<mark>" in f and "programmation" in f.lower() for f in fragments), hit["highlights"]
    assert not search(client, ("q", "programmation"), ("highlight", "false"))["results"][0]["highlights"]


@pytest.mark.parametrize("q, course", [
    ("réseau", "funmooc:UPS+NEUR"),        # French stemming: réseaux
    ("学习", "xuetangx:THU+ML01"),           # Chinese word inside a title without spaces
    ("サイエンス", "jmooc:UT+DS101"),         # Japanese
    ("과학", "kmooc:KAIST+DS02"),            # inside a Korean compound
    ("โปรแกรม", "thaimooc:CU+PY101"),       # Thai without spaces
    ("Meinel", "openhpi:HPI+SEC"),           # instructor
    ("清华大学", "xuetangx:THU+ML01"),        # organization
])
def test_multilingual_text_matches(client, q, course):
    assert course in ids(search(client, ("q", q), ("size", "100")))


def test_text_query_with_filters_and_facets(client):
    body = search(client, ("q", "security"), ("country", "DE"))
    assert ids(body) == {"openhpi:HPI+SEC"}
    assert facet_counts(body)["country"].get("DE") == 1


HOSTILE = [
    '"', "'", "(", ")", "((", "a)", "[", "]", "{", "}", "[a TO z]", "{* TO *}", "*", "?", "~", "~2", "^", "a^2",
    "\\", "\\\\", "/", "//", "/regex/", ":", "title:", "title:foo", "a:b:c", "_exists_:title", "+", "-", "--",
    "+-", "&&", "||", "!", "AND", "OR", "NOT", "a AND", "OR b", "NOT NOT", '"unterminated', 'a"b"c',
    "NEAR(a b)", "a NEAR/2 b", "^title", "*:*", "* OR 1=1", "'; DROP TABLE courses; --", "%", "%25", "\u0000",
    "\u200f\u202e", "😀🎓", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}", "\ttab\nnewline",
    "a" * 500, "ก" * 300, " ".join(["AND"] * 100), "(" * 200, "title:(a OR b) AND -c^3~ [1 TO 2]",
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_fail(client, q):
    for endpoint in ("/api/v1/search", "/api/v1/suggest"):
        response = client.get(endpoint, params={"q": q})
        assert response.status_code in (200, 422), (endpoint, response.status_code, response.text[:500])
        body = response.json()
        if response.status_code == 422:
            assert body["error"]["parameter"] == "q"
        elif endpoint.endswith("search"):
            assert isinstance(body["total"], int) and isinstance(body["results"], list)
        else:
            assert isinstance(body["suggestions"], list)
    assert client.get("/api/v1/search", params={"q": q}).status_code == 200  # any q up to 500 characters


def test_query_strings_that_are_not_utf8_never_fail(client):
    for raw in ("q=%ED%A0%80", "q=%FF%FE", "q=%C3", "country=%FF", "q=a%00b", "q=%%%"):
        response = client.get(f"/api/v1/search?{raw}")
        assert response.status_code in (200, 422), (raw, response.text)


def test_a_query_too_long_is_refused_naming_q(client):
    body = search(client, ("q", "x" * 501), status=422)
    assert body == {"error": {"parameter": "q", "message": "longer than 500 characters"}}


@pytest.mark.parametrize("pairs, parameter, status", [
    ([("size", "101")], "size", 422),
    ([("size", "0")], "size", 422),
    ([("size", "ten")], "size", 422),
    ([("page", "0")], "page", 422),
    ([("page", "-1")], "page", 422),
    ([("page", "99999999999")], "page", 422),
    ([("page", "501"), ("size", "20")], "page", 422),
    ([("country", "Thailand")], "country", 422),
    ([("country", "T1")], "country", 422),
    ([("language", "English")], "language", 422),
    ([("platform", "../etc")], "platform", 422),
    ([("isced", "11")], "isced", 422),
    ([("isced", "6a")], "isced", 422),
    ([("level", "expert")], "level", 422),
    ([("free", "maybe")], "free", 422),
    ([("free", "true"), ("free", "false")], "free", 422),
    ([("certificate", "2")], "certificate", 422),
    ([("pacing", "fast")], "pacing", 422),
    ([("availability", "now")], "availability", 422),
    ([("starts_after", "yesterday")], "starts_after", 422),
    ([("starts_before", "2026-02-30")], "starts_before", 422),
    ([("starts_after", "0001-01-01T00:00:00+01:00")], "starts_after", 422),
    ([("starts_after", "0999-12-31")], "starts_after", 422),
    ([("starts_before", "9999-12-31T23:59:59-01:00")], "starts_before", 422),
    ([("starts_after", "2027-01-01"), ("starts_before", "2026-01-01")], "starts_before", 422),
    ([("sort", "popularity")], "sort", 422),
    ([("cursor", "not a cursor!")], "cursor", 422),
    ([("highlight", "perhaps")], "highlight", 422),
    ([("q", "a"), ("q", "b")], "q", 422),
    ([("contry", "TH")], "contry", 400),
    ([("size", "10"), ("limit", "5")], "limit", 400),
])
def test_bad_parameters_get_a_json_error_naming_them(client, pairs, parameter, status):
    body = search(client, *pairs, status=status)
    assert set(body) == {"error"} and set(body["error"]) == {"parameter", "message"}
    assert body["error"]["parameter"] == parameter and body["error"]["message"]


def test_a_forged_cursor_is_a_4xx_not_a_500(client):
    for cursor in ("AAAA", "eyJ4IjoxfQ", "e30", "x" * 300, "bnVsbA", "W10"):
        response = client.get("/api/v1/search", params={"cursor": cursor})
        assert response.status_code in (200, 422), (cursor, response.text)
        if response.status_code == 422:
            assert response.json()["error"]["parameter"] == "cursor"


def test_empty_values_are_absent_values(client, records):
    body = search(client, ("q", ""), ("country", ""), ("free", ""), ("size", "100"))
    assert body["total"] == len(records)


@pytest.mark.parametrize("pairs", [
    [("starts_after", "1000-01-01"), ("starts_before", "9999-12-31")],
    [("starts_after", "1000-01-01T00:00:00Z"), ("starts_before", "9999-12-31T23:59:59Z")],
    [("starts_after", "9999-12-31T23:59:59Z")],
    [("page", "500"), ("size", "20")],
    [("page", "100"), ("size", "100"), ("sort", "start_date")],
    [("size", "100"), ("sort", "newest"), ("q", "a")],
    [(facet, value) for facet, value in (("country", "ZZ"), ("language", "xyz"), ("platform", "nope"))],
])
def test_extreme_but_valid_values_answer_200(client, pairs):
    body = search(client, *pairs)
    assert isinstance(body["total"], int) and isinstance(body["results"], list)
