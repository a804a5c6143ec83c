"""Draft listing → shared-schema record (pure).

A family's ``transform`` produces a *draft*: a dict with the schema's field
names whose values are still as the platform gave them (language names, HTML,
local date strings, effort in any notation, relative URLs). ``normalize_course``
turns it into a record of SCHEMA.md. A field that cannot be normalized becomes
null (or is left out of a list) and its raw value goes to ``unparsed``.

Draft keys (all optional but ``source_id``, ``title`` and ``url``):
``source_id, title, url, summary, description, languages, subtitle_languages,
subjects, keywords, level, organizations, instructors, image_url, license,
runs [{start, end, enrollment_start, enrollment_end, pacing}], effort,
duration_weeks, is_free, certificate {available, price, currency}``.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from harvester.normalize.dates import to_utc_iso
from harvester.normalize.effort import parse_effort, parse_weeks
from harvester.normalize.errors import Unparseable
from harvester.normalize.finite import is_non_finite, json_safe, move_non_finite
from harvester.normalize.languages import detect_language, normalize_languages
from harvester.normalize.license import to_spdx
from harvester.normalize.subjects import isced_fields, normalize_level
from harvester.normalize.text import clean_title, html_to_text
from harvester.normalize.urls import absolute_url
from harvester.normalize.values import parse_bool, parse_price, to_country, to_currency

logger = logging.getLogger(__name__)

MAX_TEXT = 20_000  # characters kept of a description; longer ones are cut at a word
MAX_SOURCE_ID = 500


class RejectedListing(ValueError):
    """A listing that cannot yield id, title and url."""


_PACING = {"self": "self_paced", "self_paced": "self_paced", "self-paced": "self_paced",
           "instructor": "instructor_paced", "instructor_paced": "instructor_paced",
           "instructor-paced": "instructor_paced", "scheduled": "instructor_paced"}


def _as_list(value: Any) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v not in (None, "")]
    return [value]


def _strings(value: Any, unparsed: dict[str, Any], name: str) -> list[str]:
    """Distinct one-line strings; a non-finite number in the list goes to ``unparsed`` as text."""
    out: list[str] = []
    bad: list[Any] = []
    for item in _as_list(value):
        if isinstance(item, float) and is_non_finite(item):
            bad.append(json_safe(item))
            continue
        text = clean_title(str(item))
        if text and text not in out:
            out.append(text)
    if bad:
        unparsed[name] = bad
    return out


def _cap(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_TEXT:
        return text
    return text[:MAX_TEXT].rsplit(" ", 1)[0] + " …"


class _Normalizer:
    """Applies field parsers, collecting what they cannot parse into ``unparsed``."""

    def __init__(self) -> None:
        self.unparsed: dict[str, Any] = {}

    def field(self, name: str, parser: Callable[[Any], Any], raw: Any) -> Any:
        try:
            return parser(raw)
        except Unparseable:
            self.keep(name, raw)
            return None

    def keep(self, name: str, raw: Any) -> None:
        """Keep a raw value in ``unparsed``, as strict-JSON text where it is NaN or ±Infinity."""
        self.unparsed[name] = json_safe(raw)

    def pacing(self, raw: Any, name: str) -> str | None:
        if raw in (None, ""):
            return None
        key = str(raw).strip().lower()
        if key in _PACING:
            return _PACING[key]
        self.keep(name, raw)
        return None

    def runs(self, raw_runs: Any) -> list[dict[str, Any]]:
        runs = []
        for i, raw in enumerate(_as_list(raw_runs)):
            if not isinstance(raw, dict):
                self.keep(f"runs[{i}]", raw)
                continue
            run = {key: self.field(f"runs[{i}].{key}", to_utc_iso, raw.get(key))
                   for key in ("start", "end", "enrollment_start", "enrollment_end")}
            run["pacing"] = self.pacing(raw.get("pacing"), f"runs[{i}].pacing")
            if any(v is not None for v in run.values()):
                runs.append(run)
        return runs

    def organizations(self, raw: Any) -> list[dict[str, Any]]:
        orgs: list[dict[str, Any]] = []
        for item in _as_list(raw):
            name, country = (item.get("name"), item.get("country")) if isinstance(item, dict) else (item, None)
            if isinstance(name, float) and is_non_finite(name):
                self.keep(f"organizations[{len(orgs)}].name", name)
                continue
            name = clean_title(str(name)) if name else None
            if not name or any(o["name"] == name for o in orgs):
                continue
            orgs.append({"name": name, "country": self.field(f"organizations.{name}.country", to_country, country)})
        return orgs


def normalize_course(draft: dict[str, Any], *, platform_id: str, country: str, harvested_at: str,
                     base_url: str | None = None, language_hints: tuple[str, ...] = ()) -> dict[str, Any]:
    """Return a schema record (without store-kept fields) or raise RejectedListing."""
    n = _Normalizer()
    source_id = " ".join(str(draft.get("source_id") or "").split())[:MAX_SOURCE_ID]  # ids are one line
    title = n.field("title", clean_title, draft.get("title"))
    url = n.field("url", lambda v: absolute_url(v, base_url), draft.get("url"))
    missing = [name for name, value in (("source_id", source_id), ("title", title), ("url", url)) if not value]
    if missing:
        raise RejectedListing(f"missing {', '.join(missing)}")

    summary = _cap(n.field("summary", html_to_text, draft.get("summary")))
    description = _cap(n.field("description", html_to_text, draft.get("description")))
    languages, bad_languages = normalize_languages(draft.get("languages"))
    if bad_languages:
        n.keep("languages", bad_languages)
    language_source = "declared" if languages else None
    if not languages:
        detected = detect_language(" ".join(t for t in (title, summary, description) if t), language_hints)
        if detected:
            languages, language_source = [detected], "detected"
    subtitle_languages, bad_subtitles = normalize_languages(draft.get("subtitle_languages"))
    if bad_subtitles:
        n.keep("subtitle_languages", bad_subtitles)

    subjects = _strings(draft.get("subjects"), n.unparsed, "subjects")
    keywords = _strings(draft.get("keywords"), n.unparsed, "keywords")
    hours, weeks_from_effort = (None, None)
    if draft.get("effort") not in (None, ""):
        hours, weeks_from_effort = n.field("effort_hours_per_week", parse_effort, draft.get("effort")) or (None, None)
    weeks = n.field("duration_weeks", parse_weeks, draft.get("duration_weeks"))
    certificate = draft.get("certificate") or {}
    record = {
        "id": f"{platform_id}:{source_id}",
        "platform": platform_id,
        "source_id": source_id,
        "url": url,
        "country": country,
        "harvested_at": harvested_at,
        "title": title,
        "summary": summary,
        "description": description,
        "languages": languages,
        "language_source": language_source,
        "subtitle_languages": subtitle_languages,
        "subjects": subjects,
        "isced_fields": isced_fields(subjects + keywords),
        "keywords": keywords,
        "level": n.field("level", normalize_level, draft.get("level")),
        "organizations": n.organizations(draft.get("organizations")),
        "instructors": _strings(draft.get("instructors"), n.unparsed, "instructors"),
        "image_url": n.field("image_url", lambda v: absolute_url(v, base_url or url), draft.get("image_url")),
        "license": n.field("license", to_spdx, draft.get("license")),
        "runs": n.runs(draft.get("runs")),
        "effort_hours_per_week": hours,
        "duration_weeks": weeks if weeks is not None else weeks_from_effort,
        "is_free": n.field("is_free", parse_bool, draft.get("is_free")),
        "certificate": {
            "available": n.field("certificate.available", parse_bool, certificate.get("available")),
            "price": n.field("certificate.price", parse_price, certificate.get("price")),
            "currency": n.field("certificate.currency", to_currency, certificate.get("currency")),
        },
        "unparsed": n.unparsed,
    }
    if moved := move_non_finite(record, n.unparsed):
        logger.error("%s: non-finite number reached the record at %s (a normalizer bug); moved to unparsed",
                     record["id"], ", ".join(moved))
    return record
