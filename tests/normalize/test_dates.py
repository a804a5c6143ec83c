import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.normalize import Unparseable, to_utc_datetime, to_utc_iso


@pytest.mark.parametrize("value, expected", [
    # ISO 8601 as Open edX, MOOChub, FutureLearn and iMooX send it
    ("2016-09-12T18:00:00Z", "2016-09-12T18:00:00Z"),
    ("2021-06-29t00:00:00z", "2021-06-29T00:00:00Z"),
    ("2015-04-14T13:00:00.000+02:00", "2015-04-14T11:00:00Z"),
    ("2016-10-24T00:00:00+02:00", "2016-10-23T22:00:00Z"),  # an offset can move the day
    ("2015-12-06T11:00:00+01:00", "2015-12-06T10:00:00Z"),
    ("2024-03-01T10:00:00.123456Z", "2024-03-01T10:00:00Z"),
    ("2024-03-01T10:00", "2024-03-01T10:00:00Z"),  # naive = UTC
    ("2016-04-25 00:00:00", "2016-04-25T00:00:00Z"),  # edX RSS course:start
    ("2024-03-01 10:00:00 UTC", "2024-03-01T10:00:00Z"),
    ("20240301T101500Z", "2024-03-01T10:15:00Z"),
    # date only stays a date
    ("2024-03-01", "2024-03-01"), ("2024-3-1", "2024-03-01"), ("2024/03/01", "2024-03-01"),
    ("2024.03.01", "2024-03-01"), ("20240301", "2024-03-01"), ("01.03.2024", "2024-03-01"),
    ("1.3.2024 14:30", "2024-03-01T14:30:00Z"), ("2024/03/01 09:05", "2024-03-01T09:05:00Z"),
    ("13/03/2024", "2024-03-13"), ("03/13/2024", "2024-03-13"), ("05/05/2024", "2024-05-05"),
    ("2030년 1월 2일", "2030-01-02"), ("2024年3月1日", "2024-03-01"),
    ("June 29, 2021", "2021-06-29"), ("29 June 2021", "2021-06-29"),
    ("Jun 10 2003 4:00 PM", "2003-06-10T16:00:00Z"),
    # RFC 2822 (RSS pubDate)
    ("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00Z"),
    ("Tue, 12 Jan 2016 11:52:58 -0500", "2016-01-12T16:52:58Z"),
    ("Tue, 10 Jun 2003 04:00:00 EST", "2003-06-10T09:00:00Z"),
    ("Tue, 10 Jun 2003 04:00:00 -0000", "2003-06-10T04:00:00Z"),
    ("10 Jun 2003 04:00 +0200", "2003-06-10T02:00:00Z"),
    ("Tue, 10 Jun 2003", "2003-06-10"),
    # epoch seconds (Moodle) and milliseconds (icourse163, oncampus)
    (1698012000, "2023-10-22T22:00:00Z"), ("1698012000", "2023-10-22T22:00:00Z"),
    (1698012000.9, "2023-10-22T22:00:00Z"), (1676858400000, "2023-02-20T02:00:00Z"),
    ("1676858400000", "2023-02-20T02:00:00Z"), (1447095621493, "2015-11-09T19:00:21Z"),
    # Python objects
    (datetime(2024, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=9))), "2024-03-01T03:00:00Z"),
    (datetime(2024, 3, 1, 12, 0), "2024-03-01T12:00:00Z"), (date(2024, 3, 1), "2024-03-01"),
])
def test_to_utc_iso(value, expected):
    assert to_utc_iso(value) == expected


@pytest.mark.parametrize("value", [None, "", "  ", "null", 0, "None"])
def test_missing(value):
    assert to_utc_iso(value) is None
    assert to_utc_datetime(value) is None


@pytest.mark.parametrize("value", [
    "TBA", "garbage", "soon", "2024-13-45", "2024-02-30", "32.01.2024", "Monday", "March 2024",
    "2024", "2024-03", "10:00", "PT3H", "01/03/2024",  # day or month first? unknown
    "Tue, 10 Jun 2003 04:00:00 XYZ",  # unknown zone
    "0001-01-01T00:00:00Z", "9999-12-31",  # sentinels, not course dates
    2024, -5, 1e20, float("nan"), float("inf"), True, [2024], "x" * 101,
    "1" * 10_000, "2024-03-01" + " " * 10_000 + "x",
])
def test_unparseable(value):
    with pytest.raises(Unparseable):
        to_utc_iso(value)


def test_to_utc_datetime():
    assert to_utc_datetime("2016-10-24T00:00:00+02:00") == datetime(2016, 10, 23, 22, tzinfo=UTC)
    assert to_utc_datetime("2024-03-01") == datetime(2024, 3, 1, tzinfo=UTC)
    assert to_utc_datetime(1698012000).tzinfo == UTC


def test_hostile_input_is_quick():
    start = time.perf_counter()
    for value in ["9" * 99, "2024-" * 20, "a" * 99, "1." * 49, "June " * 19]:
        with pytest.raises(Unparseable):
            to_utc_iso(value)
    assert time.perf_counter() - start < 1


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.integers(), st.floats(), st.none()))
def test_any_input_gives_a_value_none_or_unparseable(value):
    for parser in (to_utc_iso, to_utc_datetime):
        try:
            parser(value)
        except Unparseable:
            pass
