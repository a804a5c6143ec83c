import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.normalize import Unparseable, parse_effort, parse_weeks


@pytest.mark.parametrize("value, expected", [
    # Open edX "effort", Coursera "workload", FutureLearn "hours_per_week", MOOChub "workload"
    ("2:00", (2.0, None)), ("01:30", (1.5, None)), ("01:30:00", (1.5, None)),
    ("12 hours/week", (12.0, None)), ("5-10 hours/week", (7.5, None)), ("4-8 hours/week", (6.0, None)),
    ("4-6 hours/week", (5.0, None)), ("4–6 hours per week", (5.0, None)), ("4 — 6 hrs/wk", (5.0, None)),
    ("4 to 6 hours a week", (5.0, None)), ("Approximately 3 hours per week", (3.0, None)),
    (4, (4.0, None)), (2.5, (2.5, None)), ("3", (3.0, None)), ("3,5", (3.5, None)), ("0", (0.0, None)),
    ({"timeValue": 3, "timeUnit": "h/week"}, (3.0, None)), ({"timeValue": "2.5", "timeUnit": "h/week"}, (2.5, None)),
    # ISO 8601 durations
    ("PT3H", (3.0, None)), ("PT1H30M", (1.5, None)), ("pt90m", (1.5, None)), ("PT19M21S", (0.32, None)),
    ("P6W", (None, 6.0)),
    # units in many languages
    ("90 minutes", (1.5, None)), ("90 min", (1.5, None)), ("2h", (2.0, None)), ("2h30", (2.5, None)),
    ("1 hour 30 minutes", (1.5, None)), ("2 heures par semaine", (2.0, None)),
    ("2-3 Stunden pro Woche", (2.5, None)), ("1,5 Std./Woche", (1.5, None)),
    ("4 a 6 horas por semana", (5.0, None)), ("3-4 ore a settimana", (3.5, None)),
    ("2 godziny tygodniowo", (2.0, None)), ("3-4 часа в неделю", (3.5, None)),
    ("3 jam per minggu", (3.0, None)), ("2 giờ mỗi tuần", (2.0, None)),
    ("3 시간", (3.0, None)), ("3시간", (3.0, None)), ("주당 3시간", (3.0, None)), ("2~3시간", (2.5, None)),
    ("30분", (0.5, None)), ("1 ชั่วโมง", (1.0, None)), ("1-2 ชั่วโมงต่อสัปดาห์", (1.5, None)),
    ("1 ชั่วโมง 30 นาที", (1.5, None)), ("每周3小时", (3.0, None)), ("约3小时/周", (3.0, None)),
    ("週2時間", (2.0, None)),
    # hours and length in one text; a total is spread over the weeks
    ("6 weeks, 3-5 hours per week", (4.0, 6.0)), ("6주, 주당 2시간", (2.0, 6.0)),
    ("20 hours total over 10 weeks", (2.0, 10.0)), ("总计20小时，共10周", (2.0, 10.0)),
    ("6 weeks", (None, 6.0)),
    # K-MOOC: weekly learning time @ weeks # video time $ total effort
    ("00:15@07#01:40$07:00", (1.0, 7.0)),  # total 7 h over 7 weeks
    ("09:08@07#04:03$06:05", (0.87, 7.0)),
    ("01:30@10#05:00$00:00", (1.5, 10.0)),  # no total: the weekly learning time
    ("00:30@00#00:00$00:00", (0.5, None)),  # no weeks
    ("02:00@06", (2.0, 6.0)),
])
def test_parse_effort(value, expected):
    assert parse_effort(value) == expected


@pytest.mark.parametrize("value", [None, "", "  ", "null"])
def test_effort_missing(value):
    assert parse_effort(value) == (None, None)


@pytest.mark.parametrize("value", [
    "self-study", "varies", "TBA", "lots", "soon", "flexible",
    "2 hours per day", "3 Stunden täglich", "하루 1시간", "10 hours per month",  # need a schedule
    "10 hours total",  # a total without the weeks
    "2 hours, 3 hours", "1 week 2 weeks",  # which one?
    "P1D", "P2M4D", "Pxyz",
    "1080", 1080, 200, -1, float("inf"), float("nan"), True, [3],
    {"timeValue": 3, "timeUnit": "h/month"}, {"timeValue": 3, "timeUnit": "h/day"}, {"timeValue": "x", "timeUnit": "h/week"},
    "99:99", "x" * 301,
])
def test_effort_unparseable(value):
    with pytest.raises(Unparseable):
        parse_effort(value)


@pytest.mark.parametrize("value, weeks", [
    (6, 6.0), (6.5, 6.5), ("07", 7.0), ("6 weeks", 6.0), ("6주", 6.0), ("6주간", 6.0), ("6 semaines", 6.0),
    ("6 Wochen", 6.0), ("6周", 6.0), ("8 สัปดาห์", 8.0), ("6 tygodni", 6.0), ("4-6 weeks", 5.0),
    ("P6W", 6.0), ("P14D", 2.0), ("14 days", 2.0), ("6 weeks, 3 hours a day", 6.0),
])
def test_parse_weeks(value, weeks):
    assert parse_weeks(value) == weeks


@pytest.mark.parametrize("value", [None, "", "null"])
def test_weeks_missing(value):
    assert parse_weeks(value) is None


@pytest.mark.parametrize("value", [
    "2 months", "P2M4D", "PT5H", "soon", "self-paced", 0, -2, 1000, "0", True, "x" * 301,
])
def test_weeks_unparseable(value):
    with pytest.raises(Unparseable):
        parse_weeks(value)


def test_hostile_input_is_quick():
    start = time.perf_counter()
    for value in ["1-" * 150, "9" * 300, "1 " * 150, "h" * 300, "1:" * 150, "P" + "1" * 299]:
        with pytest.raises(Unparseable):
            parse_effort(value)
    assert time.perf_counter() - start < 1


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.integers(), st.floats(), st.none()))
def test_any_input_gives_a_value_none_or_unparseable(value):
    for parser in (parse_effort, parse_weeks):
        try:
            parser(value)
        except Unparseable:
            pass
