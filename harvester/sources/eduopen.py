"""EduOpen course feed (``https://learn.eduopen.org/rss/courses.php``): pure extract and transform.

Despite its path the feed is one JSON array, unpaginated, of courses with
``uuid``, ``course_name_it``/``course_name_en``, ``language``, ``encategory``,
``description_local``, ``course_url``, ``course_image_url``,
``has_attendance_certificates``, ``hours_per_weeks``, ``duration_in_weeks``,
``organisation_name_en``, ``start_date`` (unix time) and ``enstatus``.
The title is the name in the course's own language where there is one, else English.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from harvester.normalize.languages import normalize_languages
from harvester.registry import Platform
from harvester.sources.listing_api import Page, PageError, PageRequest, broken_record, load_json

_BARE_AMOUNT = re.compile(r"\s*\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+(?:[.,]\d+)?)?\s*")


def first_request(platform: Platform, env: Mapping[str, str]) -> PageRequest:
    return PageRequest(url=platform.url, headers={"Accept": "application/json"})


def parse_page(text: str, request: PageRequest) -> Page:
    payload = load_json(text)
    if isinstance(payload, dict) and isinstance(payload.get("courses"), list):
        payload = payload["courses"]
    if not isinstance(payload, list):
        raise PageError("not an EduOpen course feed (no JSON array)")
    return Page([transform(c) if isinstance(c, dict) else broken_record(c) for c in payload])


def _filled(value: Any) -> Any:
    return value if value not in (None, "") and not (isinstance(value, str) and not value.strip()) else None


def _is_italian(language: Any) -> bool:
    try:
        codes, _ = normalize_languages(language)
    except Exception:  # noqa: BLE001 - an odd language value only decides which name to take
        return False
    return "it" in codes


def _start(value: Any) -> Any:
    """Unix time; 0 means not scheduled."""
    return None if value in (0, "0") else _filled(value)


def _hours_per_week(value: Any) -> Any:
    """The field's name gives the unit a bare "2-3" lacks."""
    if isinstance(value, str) and _BARE_AMOUNT.fullmatch(value):
        return f"{value.strip()} hours/week"
    return _filled(value)


def transform(course: dict) -> dict[str, Any]:
    name_it, name_en = _filled(course.get("course_name_it")), _filled(course.get("course_name_en"))
    title = (name_it or name_en) if _is_italian(course.get("language")) else (name_en or name_it)
    uuid = _filled(course.get("uuid"))
    certificates = course.get("has_attendance_certificates")
    start = _start(course.get("start_date"))
    return {
        "source_id": str(uuid).strip() if uuid is not None else None,
        "title": title,
        "url": _filled(course.get("course_url")),
        "description": _filled(course.get("description_local")),
        "languages": _filled(course.get("language")),
        "subjects": [course["encategory"]] if _filled(course.get("encategory")) else [],
        "organizations": [course["organisation_name_en"]] if _filled(course.get("organisation_name_en")) else [],
        "image_url": _filled(course.get("course_image_url")),
        "runs": [{"start": start}] if start is not None else [],
        "effort": _hours_per_week(course.get("hours_per_weeks")),
        "duration_weeks": _filled(course.get("duration_in_weeks")),
        "certificate": {"available": certificates if _filled(certificates) is not None else None},
    }
