"""Study effort and course length in any notation → hours per week and weeks.

Forms: numbers (hours), "2:00", ISO 8601 durations ("PT1H30M", "P6W"),
free text in the seeded platforms' languages ("4-6 hours/week", "3 시간",
"每周3小时", "2-3 Stunden pro Woche"), MOOChub v3 workload objects and
K-MOOC's "00:15@07#01:40$07:00". A range becomes its midpoint.
"""
from __future__ import annotations

import re
from typing import Any

import isodate

from harvester.normalize._common import is_missing, real_number, text_input
from harvester.normalize.errors import Unparseable

_MAX_LEN = 300
_MAX_HOURS_PER_WEEK = 168.0
_MAX_WEEKS = 520.0

# K-MOOC: learning time per week (hh:mm) @ weeks # total video time (hh:mm) $ total effort (hh:mm).
_KMOOC_RE = re.compile(r"(\d{1,3}):([0-5]\d)@(\d{1,3})(?:#(\d{1,3}):([0-5]\d))?(?:\$(\d{1,3}):([0-5]\d))?")
_CLOCK_RE = re.compile(r"(\d{1,3}):([0-5]\d)(?::([0-5]\d))?")  # "2:00", "01:30:00"
_NUMBER_RE = re.compile(r"\d{1,4}(?:[.,]\d{1,3})?")
_ISO_WEEKS_RE = re.compile(r"P(\d{1,4}(?:[.,]\d+)?)W", re.IGNORECASE)


def _units(*words: str) -> str:
    """An alternation, longest first; Latin/Cyrillic words must not run on into a letter."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        if re.match(r"[a-zà-ÿ\u0400-\u04ff]", word):
            escaped += r"(?![a-zà-ÿ\u0400-\u04ff])"
        parts.append(escaped)
    return "|".join(parts)


_HOURS = _units(
    "h", "hr", "hrs", "hour", "hours", "heure", "heures", "stunde", "stunden", "std", "std.",
    "hora", "horas", "ora", "ore", "uur", "godz", "godz.", "godzina", "godziny", "godzin",
    "час", "часа", "часов", "ч", "jam", "giờ", "óra", "ώρα", "ώρες",
    "시간", "ชั่วโมง", "ชม.", "小时", "小時", "個小時", "个小时", "時間",
)
_MINUTES = _units(
    "m", "min", "mins", "min.", "minute", "minutes", "minuten", "minuti", "minuto", "minutos",
    "minut", "minuty", "минут", "минуты", "мин", "menit", "phút", "perc", "λεπτά",
    "분", "นาที", "分钟", "分鐘", "分",
)
_WEEKS = _units(
    "week", "weeks", "wk", "wks", "semaine", "semaines", "woche", "wochen", "settimana", "settimane",
    "semana", "semanas", "tydzień", "tygodnie", "tygodni", "неделя", "недели", "недель",
    "minggu", "tuần", "hét", "εβδομάδες", "εβδομάδα",
    "주", "주간", "สัปดาห์", "周", "週", "星期", "週間",
)
_DAYS = _units("day", "days", "jour", "jours", "tag", "tage", "tagen", "día", "días", "giorni",
               "hari", "ngày", "일", "วัน", "天", "日", "дней", "дня", "dni")
_MONTHS = _units("month", "months", "mois", "monat", "monate", "mes", "meses", "mese", "mesi",
                 "bulan", "tháng", "개월", "เดือน", "个月", "個月", "ヶ月", "か月", "месяц", "месяца",
                 "месяцев", "miesiąc", "miesiące", "miesięcy")

_NUM = r"\d{1,4}(?:[.,]\d{1,2})?"
_RANGE_SEP = r"-|~|to|bis|à|a|до|ถึง|至|到|〜|～"
_AMOUNT_RE = re.compile(
    rf"(?P<a>{_NUM})(?:\s*(?:{_RANGE_SEP})\s*(?P<b>{_NUM}))?\s*"
    rf"(?:(?P<h>{_HOURS})|(?P<m>{_MINUTES})|(?P<w>{_WEEKS})|(?P<d>{_DAYS})|(?P<mo>{_MONTHS}))",
    re.IGNORECASE,
)
_COMPACT_HM_RE = re.compile(r"(\d{1,2})\s*h\s*([0-5]\d)(?!\d)", re.IGNORECASE)  # "2h30", "1 h 15"

# Effort stated per day or per month cannot become per week without assuming a schedule.
_PER_DAY_RE = re.compile(
    r"per day|a day|/\s*day|daily|pro tag|täglich|par jour|por día|al giorno|per hari|"
    r"mỗi ngày|dziennie|в день|每天|每日|하루|매일|ต่อวัน|/\s*วัน", re.IGNORECASE)
_PER_MONTH_RE = re.compile(
    r"per month|a month|/\s*month|monthly|pro monat|par mois|por mes|al mese|per bulan|"
    r"mỗi tháng|miesięcznie|в месяц|每月|매월|ต่อเดือน", re.IGNORECASE)
# A total over the whole course: hours per week only if the text also gives the weeks.
_TOTAL_RE = re.compile(
    r"total|insgesamt|gesamt|au total|en total|in totale|łącznie|всего|tổng|总|總|총|รวม", re.IGNORECASE)

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"})


def parse_effort(value: Any) -> tuple[float | None, float | None]:
    """Any effort notation → (hours_per_week, duration_weeks); (None, None) when missing."""
    number = real_number(value)
    if number is not None:
        return _hours(number, value), None
    if isinstance(value, dict):
        return _moochub_workload(value), None
    text = text_input(value, _MAX_LEN)
    if text is None:
        return None, None
    if m := _KMOOC_RE.fullmatch(text):
        return _kmooc(m, value)
    if m := _CLOCK_RE.fullmatch(text):
        return _hours(int(m[1]) + int(m[2]) / 60 + int(m[3] or 0) / 3600, value), None
    if _NUMBER_RE.fullmatch(text):
        return _hours(_to_float(text), value), None
    if text[:1] in "Pp":
        return _iso_effort(text, value)
    return _free_text(text, value)


def parse_weeks(value: Any) -> float | None:
    """A course length → weeks: 6, "07", "6 weeks", "6주", "6 semaines", "P6W", "P14D"; months are not converted."""
    number = real_number(value)
    if number is not None:
        return _weeks(number, value)
    text = text_input(value, _MAX_LEN)
    if text is None:
        return None
    if _NUMBER_RE.fullmatch(text):
        return _weeks(_to_float(text), value)
    if text[:1] in "Pp":
        if m := _ISO_WEEKS_RE.fullmatch(text):
            return _weeks(_to_float(m[1]), value)
        duration = _iso_duration(text, value)
        if duration.seconds or duration.microseconds:
            raise Unparseable(value, "not a whole number of days")
        return _weeks(duration.days / 7, value)
    weeks = _scan(text.translate(_DASHES), value)[2]
    if weeks is None:
        raise Unparseable(value, "no length in weeks")
    return weeks


def _to_float(text: str) -> float:
    return float(text.replace(",", "."))


def _rounded(x: float) -> float:
    return float(round(x, 2))


def _hours(hours: float, raw: Any) -> float:
    if not 0 <= hours <= _MAX_HOURS_PER_WEEK:
        raise Unparseable(raw, "not a plausible number of hours per week")
    return _rounded(hours)


def _weeks(weeks: float, raw: Any) -> float:
    if not 0 < weeks <= _MAX_WEEKS:
        raise Unparseable(raw, "not a plausible number of weeks")
    return _rounded(weeks)


def _kmooc(m: re.Match, raw: Any) -> tuple[float | None, float | None]:
    per_week = int(m[1]) + int(m[2]) / 60
    weeks = int(m[3])
    total = int(m[6]) + int(m[7]) / 60 if m[6] is not None else 0.0
    if total > 0 and weeks > 0:
        per_week = total / weeks
    return _hours(per_week, raw), (_weeks(weeks, raw) if weeks > 0 else None)


def _moochub_workload(value: dict) -> float | None:
    """MOOChub v3 {"timeValue": 3, "timeUnit": "h/week"}; h/day and h/month would need a schedule."""
    amount, unit = value.get("timeValue"), value.get("timeUnit")
    if is_missing(amount):
        return None
    number = real_number(amount)
    if number is None and isinstance(amount, str) and _NUMBER_RE.fullmatch(amount.strip()):
        number = _to_float(amount.strip())
    if number is None or unit != "h/week":
        raise Unparseable(value, "not hours per week")
    return _hours(number, value)


def _iso_duration(text: str, raw: Any):
    try:
        duration = isodate.parse_duration(text.upper())
    except (isodate.ISO8601Error, ValueError, OverflowError):
        raise Unparseable(raw, "not an ISO 8601 duration") from None
    if isinstance(duration, isodate.Duration):  # has years or months: no fixed length
        raise Unparseable(raw, "months or years have no fixed length")
    return duration


def _iso_effort(text: str, raw: Any) -> tuple[float | None, float | None]:
    if m := _ISO_WEEKS_RE.fullmatch(text):
        return None, _weeks(_to_float(m[1]), raw)
    if not text.upper().startswith("PT"):
        raise Unparseable(raw, "days are no weekly effort")
    duration = _iso_duration(text, raw)
    return _hours(duration.total_seconds() / 3600, raw), None


def _scan(text: str, raw: Any) -> tuple[list[float], list[float], float | None]:
    """Amounts of hours, of minutes, and the one length in weeks (or days) the text gives."""
    hours: list[float] = []
    minutes: list[float] = []
    weeks: list[float] = []
    for m in _AMOUNT_RE.finditer(_COMPACT_HM_RE.sub(r"\1 h \2 min", text)):
        a = _to_float(m["a"])
        amount = (a + _to_float(m["b"])) / 2 if m["b"] else a
        if m["h"]:
            hours.append(amount)
        elif m["m"]:
            minutes.append(amount)
        elif m["w"]:
            weeks.append(amount)
        elif m["d"]:
            weeks.append(amount / 7)
    if len(weeks) > 1:
        raise Unparseable(raw, "more than one length")
    return hours, minutes, (_weeks(weeks[0], raw) if weeks else None)


def _free_text(text: str, raw: Any) -> tuple[float | None, float | None]:
    text = text.translate(_DASHES)
    hours, minutes, duration = _scan(text, raw)
    if not hours and not minutes:
        if duration is None:
            raise Unparseable(raw, "no amount of time")
        return None, duration
    if len(hours) > 1 or len(minutes) > 1:
        raise Unparseable(raw, "more than one amount of time")
    if _PER_DAY_RE.search(text) or _PER_MONTH_RE.search(text):
        raise Unparseable(raw, "effort per day or per month")
    effort = (hours[0] if hours else 0.0) + (minutes[0] / 60 if minutes else 0.0)
    if _TOTAL_RE.search(text):
        if not duration:
            raise Unparseable(raw, "a total without the number of weeks")
        effort /= duration
    return _hours(effort, raw), duration
