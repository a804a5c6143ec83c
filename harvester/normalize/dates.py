"""Dates and times in the forms platforms use → ISO 8601 in UTC.

A date-only input stays a date ("2024-03-01"); anything with a time becomes
"YYYY-MM-DDTHH:MM:SSZ". A time without a zone is taken as UTC.
"""
from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from dateutil import parser as dateutil_parser
from dateutil.parser import UnknownTimezoneWarning

from harvester.normalize._common import is_missing, real_number, text_input
from harvester.normalize.errors import Unparseable

_MAX_LEN = 100
_MIN_YEAR, _MAX_YEAR = 1900, 2199  # outside this a value is a sentinel or garbage, not a course date
# Epoch numbers: below 1e8 (March 1973) a number is a year, a count or a mistake, not a
# course date; from 1e11 on it is milliseconds (1e11 s would be the year 5138).
_EPOCH_MIN, _EPOCH_MS_FROM, _EPOCH_MS_MAX = 1e8, 1e11, 1e14

_TIME = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
_YMD_RE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME)  # 2024-3-1, 2024/03/01, 2024.03.01
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")  # 20240301
_DMY_DOT_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME)  # 01.03.2024: day first everywhere
_SLASH_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME)  # 01/03/2024: day or month first?
_CJK_RE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")  # 2024年3月1日, 2030년 1월 2일
_EPOCH_RE = re.compile(r"\d{9,14}(?:\.\d{1,6})?")
_LETTERS_RE = re.compile(r"[A-Za-z]{3}")
_RFC2822_RE = re.compile(
    r"(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s+(?:[+-]\d{4}|(?P<zone>[A-Za-z]{1,5})))?"
)

_UTC = UTC


def to_utc_iso(value: Any) -> str | None:
    """ISO 8601 / epoch / RFC 2822 / common local forms → "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC)."""
    parsed = _parse(value)
    if parsed is None:
        return None
    if isinstance(parsed, datetime):
        return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")
    return parsed.isoformat()


def to_utc_datetime(value: Any) -> datetime | None:
    """Like to_utc_iso but an aware UTC datetime; a date-only value becomes midnight UTC."""
    parsed = _parse(value)
    if parsed is None or isinstance(parsed, datetime):
        return parsed
    return datetime(parsed.year, parsed.month, parsed.day, tzinfo=_UTC)


def _parse(value: Any) -> date | datetime | None:
    if isinstance(value, datetime):
        return _checked(value, value)
    if isinstance(value, date):
        return _checked(value, value)
    number = real_number(value)  # NaN and ±Infinity, as numbers or names, raise here
    if number is not None:
        return _from_epoch(value if isinstance(value, int) else number, value)
    if is_missing(value):
        return None
    text = text_input(value, _MAX_LEN)
    try:
        result = _parse_text(text)
    except (ValueError, OverflowError, TypeError) as exc:
        raise Unparseable(value, str(exc)[:80]) from None
    if result is None:
        raise Unparseable(value, "not a date")
    return _checked(result, value)


def _checked(result: date | datetime, raw: Any) -> date | datetime:
    if isinstance(result, datetime):
        result = result.replace(tzinfo=_UTC) if result.tzinfo is None else result.astimezone(_UTC)
        result = result.replace(microsecond=0)
    if not _MIN_YEAR <= result.year <= _MAX_YEAR:
        raise Unparseable(raw, "year out of range")
    return result


def _from_epoch(number: float, raw: Any) -> datetime | None:
    if number == 0:
        return None  # Moodle and others send 0 for "no date"
    if number < _EPOCH_MIN or number >= _EPOCH_MS_MAX:
        raise Unparseable(raw, "not an epoch timestamp")
    seconds = number / 1000 if number >= _EPOCH_MS_FROM else number
    return _checked(datetime.fromtimestamp(seconds, _UTC), raw)


def _with_time(day: date, hh: str | None, mm: str | None, ss: str | None) -> date | datetime:
    if hh is None:
        return day
    return datetime(day.year, day.month, day.day, int(hh), int(mm), int(ss or 0))


def _parse_text(text: str) -> date | datetime | None:
    if _EPOCH_RE.fullmatch(text):
        return _from_epoch(float(text), text)
    if m := _COMPACT_RE.fullmatch(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YMD_RE.fullmatch(text):
        return _with_time(date(int(m[1]), int(m[3]), int(m[4])), m[5], m[6], m[7])
    if m := _DMY_DOT_RE.fullmatch(text):
        return _with_time(date(int(m[3]), int(m[2]), int(m[1])), m[4], m[5], m[6])
    if m := _SLASH_RE.fullmatch(text):
        first, second = int(m[1]), int(m[2])
        if first != second and first <= 12 and second <= 12:
            raise ValueError("day/month order unknown")
        day, month = (first, second) if first > 12 else (second, first)
        return _with_time(date(int(m[3]), month, day), m[4], m[5], m[6])
    if m := _CJK_RE.fullmatch(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if text[:1].isdigit():
        try:
            return datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            pass
    if _LETTERS_RE.search(text):
        return _rfc2822(text) if _RFC2822_RE.fullmatch(text) else _named_month(text)
    return None


def _rfc2822(text: str) -> datetime | None:
    """RSS pubDate: "Tue, 10 Jun 2003 04:00:00 GMT"."""
    try:
        result = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    if result.tzinfo is None and _RFC2822_RE.fullmatch(text)["zone"]:
        return None  # a zone name the email module does not know: the time is not known
    return result


_DEFAULTS = (datetime(2001, 1, 1, 0), datetime(2002, 2, 2, 1))  # differ in every date part and the hour


def _named_month(text: str) -> date | datetime | None:
    """"June 29, 2021", "29 Jun 2021 10:00" — only when day, month and year are all given.

    dateutil fills what is missing from a default; parsing against two different
    defaults shows what the text left out: a missing date part is an error, a
    missing time means a date.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownTimezoneWarning)
        try:
            a, b = (dateutil_parser.parse(text, default=d) for d in _DEFAULTS)
        except (ValueError, OverflowError, UnknownTimezoneWarning):
            return None
    if a.date() != b.date():
        return None
    if a.hour != b.hour:
        if a.tzinfo is not None or b.tzinfo is not None:
            return None
        return a.date()
    return a
