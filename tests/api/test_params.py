"""The search parameter table and its parser (pure functions), and the API under arbitrary query strings."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.base import FACETS, SearchQuery
from search_api.params import FILTERS, SEARCH_PARAMS, ParameterError, openapi_parameters, parse_search, query_pairs


def test_the_table_declares_every_facet_with_its_course_field():
    assert tuple(p.name for p in FILTERS) == FACETS
    assert all(p.field for p in FILTERS)
    assert [p["name"] for p in openapi_parameters()] == [p.name for p in SEARCH_PARAMS]


def test_values_are_normalized():
    query = parse_search([("country", "th, kr"), ("language", "EN"), ("isced", "6"), ("free", "YES"),
                          ("certificate", "0"), ("starts_after", "2026-01-01T09:00:00+07:00"),
                          ("starts_before", "2026-12-31"), ("q", "  data\x00science  "), ("page", "+2")])
    assert query == SearchQuery(
        q="data science", filters={"country": ("TH", "KR"), "language": ("en",), "isced": ("06",),
                                   "free": ("true",), "certificate": ("false",)},
        starts_after="2026-01-01T02:00:00Z", starts_before="2026-12-31", page=2)


def test_repeated_values_are_kept_once_in_order():
    assert parse_search([("country", "KR"), ("country", "TH"), ("country", "kr")]).filters == {
        "country": ("KR", "TH")}


def test_page_parameters_of_a_page_can_be_ignored():
    with pytest.raises(ParameterError) as error:
        parse_search([("lang", "fr")])
    assert (error.value.parameter, error.value.status) == ("lang", 400)
    assert parse_search([("lang", "fr"), ("q", "x")], ignore={"lang"}).q == "x"


def test_query_pairs_round_trip_and_changes():
    pairs = [("q", "data"), ("country", "TH"), ("country", "KR"), ("free", "true"), ("sort", "newest"),
             ("page", "3"), ("size", "50"), ("starts_after", "2026-01-01")]
    query = parse_search(pairs)
    assert parse_search(query_pairs(query)) == query
    assert parse_search(query_pairs(query, page=None, country=None)) == SearchQuery(
        q="data", filters={"free": ("true",)}, sort="newest", size=50, starts_after="2026-01-01")
    assert ("page", "4") in query_pairs(query, page=4)


pair = st.tuples(st.sampled_from([p.name for p in SEARCH_PARAMS] + ["other"]),
                 st.one_of(st.text(max_size=40), st.sampled_from(["TH", "06", "true", "open", "2026-01-01", "100",
                                                                  "0", "-1", "", " ", "a,b", "1e3"]),
                           st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())))


@given(st.lists(pair, max_size=8))
@settings(max_examples=400, deadline=None)
def test_any_query_string_parses_or_names_the_parameter(pairs):
    try:
        query = parse_search(pairs)
    except ParameterError as error:
        assert error.parameter in {name for name, _ in pairs} and error.message
        assert error.status in (400, 422)
    else:
        assert 1 <= query.size <= 100 and query.page * query.size <= 10_000
        assert set(query.filters) <= set(FACETS)


@given(q=st.text(max_size=120))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_query_answers_200(client, q):
    for path in ("/api/v1/search", "/api/v1/suggest"):
        response = client.get(path, params={"q": q, "size": 5})
        assert response.status_code in (200, 422), (path, q, response.text[:300])
        if response.status_code == 422:
            assert response.json()["error"]["parameter"] == "q"
    assert client.get("/api/v1/search", params={"q": q}).status_code == 200
