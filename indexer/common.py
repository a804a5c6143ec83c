"""What both backends derive the same way: facet values and run times of a course, the user's query
parsed into words and phrases, script runs for the n-gram field, query times, cursors.

Availability (``now`` given by the query, never by the index):
  open        a run has started and not ended (start <= now, end missing or >= now), any pacing
  upcoming    a run starts after now
  self_paced  a self-paced run can be taken now (start missing or <= now, end missing or >= now)
  archived    the course has runs and every one of them has ended (each has an end, all < now)
A course can be several of these at once (a run open now and another one upcoming).
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from indexer.base import QueryError, SearchQuery

# --- course → facet values ---------------------------------------------------------------------

def _bool_value(value: Any) -> list[str]:
    return [] if value is None else ["true" if value else "false"]


def facet_values(course: dict[str, Any]) -> dict[str, list[str]]:
    """Static facet values (availability excepted: it depends on the query's ``now``)."""
    certificate = course.get("certificate") or {}
    return {
        "country": [course["country"]] if course.get("country") else [],
        "language": list(dict.fromkeys(course.get("languages") or [])),
        "platform": [course["platform"]] if course.get("platform") else [],
        "isced": list(dict.fromkeys(course.get("isced_fields") or [])),
        "level": [course["level"]] if course.get("level") else [],
        "free": _bool_value(course.get("is_free")),
        "certificate": _bool_value(certificate.get("available") if isinstance(certificate, dict) else None),
        "pacing": sorted({r["pacing"] for r in course.get("runs") or [] if r.get("pacing")}),
    }


# --- times ---------------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_epoch(value: Any, end_of_day: bool = False) -> int | None:
    """ISO date or datetime → seconds since 1970 (UTC); a bare date is its first second, or with
    ``end_of_day`` its last. Anything unparseable → None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        if _DATE.match(value):
            day = date.fromisoformat(value)
            ts = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
            return ts + 86399 if end_of_day else ts
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class RunTimes:
    start: int | None
    end: int | None          # last second of the run (a bare end date counts as a whole day)
    self_paced: bool


def run_times(course: dict[str, Any]) -> list[RunTimes]:
    out = []
    for run in course.get("runs") or []:
        if not isinstance(run, dict):
            continue
        out.append(RunTimes(to_epoch(run.get("start")), to_epoch(run.get("end"), end_of_day=True),
                            run.get("pacing") == "self_paced"))
    return out


def availability(course: dict[str, Any], now: int) -> set[str]:
    """The reference definition (module docstring); the backends compute the same in their engines."""
    runs = run_times(course)
    found = set()
    for r in runs:
        not_ended = r.end is None or r.end >= now
        if r.start is not None and r.start <= now and not_ended:
            found.add("open")
        if r.start is not None and r.start > now:
            found.add("upcoming")
        if r.self_paced and (r.start is None or r.start <= now) and not_ended:
            found.add("self_paced")
    if runs and all(r.end is not None and r.end < now for r in runs):
        found.add("archived")
    return found


def query_now(query: SearchQuery) -> int:
    if query.now:
        ts = to_epoch(query.now)
        if ts is None:
            raise QueryError("now", f"{query.now!r} is not an ISO 8601 date or datetime")
        return ts
    return int(datetime.now(UTC).timestamp())


def start_bounds(query: SearchQuery) -> tuple[int | None, int | None]:
    """starts_after/starts_before → inclusive bounds in seconds (a bare date counts as a whole day)."""
    lo = hi = None
    if query.starts_after:
        lo = to_epoch(query.starts_after)
        if lo is None:
            raise QueryError("starts_after", f"{query.starts_after!r} is not an ISO 8601 date")
    if query.starts_before:
        hi = to_epoch(query.starts_before, end_of_day=True)
        if hi is None:
            raise QueryError("starts_before", f"{query.starts_before!r} is not an ISO 8601 date")
    return lo, hi


# --- the user's query ----------------------------------------------------------------------------

def _marks() -> str:
    ranges, start, prev = [], None, None
    for cp in range(0x300, 0x30000):
        if unicodedata.category(chr(cp)).startswith("M"):
            if start is None:
                start = cp
            elif cp != prev + 1:
                ranges.append((start, prev))
                start = cp
            prev = cp
    ranges.append((start, prev))
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b != a else "") for a, b in ranges)


# A word: letters and digits with their combining marks (Thai vowel signs, Devanagari matras…).
WORD = re.compile(rf"(?:[^\W_]|[{_marks()}])+")
# Characters that separate words in query syntax (Lucene, FTS5): never part of a phrase.
_SYNTAX = re.compile(r"[:()\[\]{}^~*?\\/!+&|<>=;,]+")
_SUFFIX = re.compile(r"[\^~]\d*(?:\.\d+)?(?=$|[\s)])")   # Lucene boost^2 and fuzzy~1 suffixes
_FIELD = re.compile(r"(?<!\S)[A-Za-z_][\w.]*:(?=\S)")      # Lucene field prefixes: title:word
_OPERATORS = {"AND", "OR", "TO", "&&", "||", "NEAR"}
MAX_TERMS = 32

# Scripts written without spaces between words (and Hangul, for parts of compounds).
NOSPACE = re.compile(
    "[\u0E00-\u0E7F\u0E80-\u0EFF\u1000-\u109F\u1780-\u17FF\u1100-\u11FF\u3040-\u30FF\u31F0-\u31FF"
    "\u3130-\u318F\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\U00020000-\U0002FFFF]+")


def required_terms(n: int) -> int:
    """How many of n words must match: all of one or two, three quarters of more."""
    return n if n <= 2 else -(-3 * n // 4)


@dataclass(frozen=True)
class ParsedQuery:
    """Words (matched in any field, most of them required), phrases ("quoted", or words joined
    by punctuation like e-learning), and excluded words or phrases (-word, NOT word, -"a b")."""
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms and not self.phrases

    def required(self) -> int:
        return required_terms(len(self.terms))

    def positive(self) -> tuple[str, ...]:
        return self.terms + self.phrases


def _chunks(text: str) -> list[str]:
    """One raw token → words or phrases: syntax characters split, other punctuation joins."""
    out = []
    for part in _SYNTAX.split(text):
        words = WORD.findall(part)
        if words:
            out.append(" ".join(words))
    return out


def parse_user_query(q: str) -> ParsedQuery:
    """Any string → words and phrases; never raises, interprets no field names or operators except
    quotes and exclusion."""
    q = _FIELD.sub("", (q or "")[:1000])
    terms: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    rest = []
    pos = 0
    for m in re.finditer(r'(-?)"([^"]*)"', q):
        rest.append(q[pos:m.start()])
        pos = m.end()
        words = WORD.findall(m.group(2))
        if words:
            (excluded if m.group(1) else phrases).append(" ".join(words))
    rest.append(q[pos:])
    negate_next = False
    for token in " ".join(rest).replace('"', " ").split():
        token = _SUFFIX.sub("", token)
        if not token or token in _OPERATORS:
            continue
        if token == "NOT":
            negate_next = True
            continue
        negate = negate_next or (token[0] in "-!" and len(token) > 1)
        negate_next = False
        for chunk in _chunks(token.lstrip("-!") if negate else token):
            if negate:
                excluded.append(chunk)
            elif " " in chunk:
                phrases.append(chunk)
            else:
                terms.append(chunk)
    dedup = lambda items: tuple(dict.fromkeys(items))[:MAX_TERMS]  # noqa: E731
    return ParsedQuery(dedup(terms), dedup(phrases), dedup(excluded))


def nospace_runs(text: str) -> list[str]:
    return NOSPACE.findall(text or "")


def bigrams(run: str) -> list[str]:
    return [run] if len(run) < 2 else [run[i:i + 2] for i in range(len(run) - 1)]


def ngram_text(*texts: str | None) -> str:
    """Bigrams of the runs of space-less scripts, space-separated, runs kept apart by "|" so that a
    phrase of bigrams never spans two runs."""
    return " | ".join(" ".join(bigrams(run)) for text in texts for run in nospace_runs(text or ""))


# --- cursors -------------------------------------------------------------------------------------

def fingerprint(query: SearchQuery) -> str:
    key = json.dumps([query.q, sorted((k, sorted(v)) for k, v in query.filters.items() if v),
                      query.starts_after, query.starts_before, query.sort], ensure_ascii=False)
    return hashlib.sha1(key.encode()).hexdigest()[:10]


def encode_cursor(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, query: SearchQuery) -> dict[str, Any]:
    """A cursor of this same search (query words, filters, sort), or QueryError."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        raise QueryError("cursor", "not a cursor returned by this search") from None
    if not isinstance(payload, dict) or payload.get("f") != fingerprint(query):
        raise QueryError("cursor", "the cursor belongs to another search (query, filters or sort changed)")
    offset, now, after = payload.get("o", 0), payload.get("n"), payload.get("sa")
    if (not isinstance(offset, int) or offset < 0 or (now is not None and not isinstance(now, int))
            or (after is not None and not isinstance(after, list))):
        raise QueryError("cursor", "not a cursor returned by this search")
    return payload


def highlight_html(text: str, spans: list[tuple[int, int]], window: int | None = None) -> str:
    """Text with the given character spans in <mark>, everything else HTML-escaped; with ``window``,
    only about that many characters around the first span (… where cut)."""
    from html import escape
    spans = sorted(spans)
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    lo, hi = 0, len(text)
    if window and len(text) > window and merged:
        lo = max(0, merged[0][0] - window // 3)
        hi = min(len(text), lo + window)
        while lo > 0 and not text[lo - 1].isspace() and merged[0][0] - lo < window // 2:
            lo -= 1
        while hi < len(text) and not text[hi].isspace() and hi - lo < window + 30:
            hi += 1
    out, pos = [], lo
    for a, b in merged:
        if b <= lo or a >= hi:
            continue
        a, b = max(a, lo), min(b, hi)
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:hi]))
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else "")

