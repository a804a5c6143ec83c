"""Issue 11 #1: NaN and ±Infinity (as JSON floats or as strings) never enter a record.

Python's json module reads ``NaN``, ``Infinity``, ``-Infinity`` and ``1e999`` as floats; a record that
keeps one is written back as non-standard JSON, which SQLite's JSON functions and strict readers refuse.
"""
import json

import pytest

from harvester.normalize import Unparseable
from harvester.normalize.course import normalize_course
from harvester.normalize.finite import finite_number, is_non_finite, json_safe, move_non_finite, non_finite_paths

NAN, INF = float("nan"), float("inf")
NON_FINITE = [NAN, INF, -INF, json.loads("1e999"), json.loads("-1e999"), json.loads("NaN"),
              "NaN", "nan", "Infinity", "-Infinity", "+Infinity", "inf", "-inf", " NaN ", "∞"]


@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_values_are_recognised(value):
    assert is_non_finite(value)


@pytest.mark.parametrize("value", [0, 1.5, -3, "12", "Nancy", "information", "infinite loop", None, True, [NAN]])
def test_other_values_are_not_non_finite(value):
    assert not is_non_finite(value)


@pytest.mark.parametrize("value", NON_FINITE + [10**400, -(10**400)])
def test_finite_number_rejects_non_finite_and_overflowing_numbers(value):
    with pytest.raises(Unparseable):
        finite_number(value)


@pytest.mark.parametrize("value, expected", [
    (3, 3.0), (2.5, 2.5), (0, 0.0), (-1, -1.0), (True, None), ("3", None), (None, None), ([3], None),
])
def test_finite_number_passes_finite_numbers_and_ignores_the_rest(value, expected):
    assert finite_number(value) == expected


@pytest.mark.parametrize("value, expected", [
    (NAN, "NaN"), (INF, "Infinity"), (-INF, "-Infinity"), (1.5, 1.5), ("NaN", "NaN"),
    ({"timeValue": NAN, "timeUnit": "h/week"}, {"timeValue": "NaN", "timeUnit": "h/week"}),
    ([1, INF, [NAN]], [1, "Infinity", ["NaN"]]), ((INF,), ["Infinity"]), ({1: NAN}, {"1": "NaN"}),
    (10**400, str(10**400)),
])
def test_json_safe_keeps_non_finite_numbers_as_text(value, expected):
    assert json_safe(value) == expected
    json.dumps(json_safe(value), allow_nan=False)


def test_json_safe_survives_deep_nesting():
    deep: list = []
    for _ in range(5000):
        deep = [deep, NAN]
    json.dumps(json_safe(deep), allow_nan=False)


def test_non_finite_paths_names_each_place():
    assert non_finite_paths({"a": 1, "b": [2, NAN], "c": {"d": INF}}) == ["b[1]", "c.d"]
    assert non_finite_paths({"a": [1, "NaN"]}) == []


def _normalize(draft):
    return normalize_course({"source_id": "c1", "title": "T", "url": "https://x.example/c", **draft},
                            platform_id="p", country="FR", harvested_at="2026-12-02T00:00:00Z")


# field in the draft → (where its value lands in the record, the unparsed key)
NUMERIC_FIELDS = [
    ("effort", lambda r: r["effort_hours_per_week"], "effort_hours_per_week"),
    ("duration_weeks", lambda r: r["duration_weeks"], "duration_weeks"),
    ("is_free", lambda r: r["is_free"], "is_free"),
    ("certificate.price", lambda r: r["certificate"]["price"], "certificate.price"),
    ("certificate.available", lambda r: r["certificate"]["available"], "certificate.available"),
    ("runs.start", lambda r: r["runs"], "runs[0].start"),
]


def _draft_with(field, value):
    if field.startswith("certificate."):
        return {"certificate": {field.split(".")[1]: value}}
    if field == "runs.start":
        return {"runs": [{"start": value}]}
    return {field: value}


@pytest.mark.parametrize("field, get, unparsed_key", NUMERIC_FIELDS)
@pytest.mark.parametrize("value, text", [
    (NAN, "NaN"), (INF, "Infinity"), (-INF, "-Infinity"), ("NaN", "NaN"), ("Infinity", "Infinity"),
    ("-Infinity", "-Infinity"),
])
def test_a_non_finite_value_is_kept_as_text_in_unparsed(field, get, unparsed_key, value, text):
    record = _normalize(_draft_with(field, value))
    assert get(record) in (None, [])
    assert record["unparsed"][unparsed_key] == text
    json.dumps(record, allow_nan=False)  # strict JSON


@pytest.mark.parametrize("draft, unparsed_key", [
    ({"effort": {"timeValue": NAN, "timeUnit": "h/week"}}, "effort_hours_per_week"),
    ({"effort": 10**400}, "effort_hours_per_week"),
    ({"certificate": {"price": 10**400}}, "certificate.price"),
    ({"runs": [NAN]}, "runs[0]"),
    ({"runs": [{"end": INF}]}, "runs[0].end"),
    ({"languages": [NAN, "en"]}, "languages"),
    ({"subjects": [NAN, "Physics"]}, "subjects"),
    ({"keywords": [INF]}, "keywords"),
    ({"instructors": [-INF, "Ada Lovelace"]}, "instructors"),
    ({"organizations": [{"name": NAN}, {"name": "MIT", "country": INF}]}, "organizations"),
    ({"level": NAN}, "level"),
    ({"license": INF}, "license"),
    ({"summary": NAN}, "summary"),
    ({"image_url": NAN}, "image_url"),
])
def test_no_draft_field_lets_a_non_finite_number_into_the_record(draft, unparsed_key):
    record = _normalize(draft)
    json.dumps(record, allow_nan=False)
    assert non_finite_paths(record) == []
    assert any(key.startswith(unparsed_key) for key in record["unparsed"]), record["unparsed"]
    assert not any(str(v) in ("nan", "inf", "-inf") for v in record["subjects"] + record["keywords"]
                   + record["instructors"] + [o["name"] for o in record["organizations"]])


def test_the_last_guard_moves_a_stray_non_finite_number_to_unparsed():
    record = {"a": 1.0, "certificate": {"price": INF}, "runs": [{"x": NAN}]}
    unparsed: dict = {}
    assert move_non_finite(record, unparsed) == ["certificate.price", "runs[0].x"]
    assert record == {"a": 1.0, "certificate": {"price": None}, "runs": [{"x": None}]}
    assert unparsed == {"certificate.price": "Infinity", "runs[0].x": "NaN"}
