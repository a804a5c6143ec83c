"""Open edX LMS Course List API (``/api/courses/v1/courses/``): pure extract and transform.

One page is ``{"results": [...], "pagination": {"next", "count", "num_pages"}}``.
Each result is one *run* (``course-v1:ORG+NUM+RUN``); runs of the same course
``ORG+NUM`` make one record. K-MOOC's LMS adds fields (teachers, org_name,
classfy_name, language_name, its effort encoding, week) used where present.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from harvester.normalize.dates import to_utc_iso
from harvester.sources.listing_api import split_names

API_PATH = "/api/courses/v1/courses/"
PAGE_SIZE = 100


class PageError(ValueError):
    """A response that is not a course-list page."""


def first_page_url(lms_url: str) -> str:
    return f"{lms_url.rstrip('/')}{API_PATH}?page_size={PAGE_SIZE}"


def parse_page(payload: Any) -> tuple[list[dict], str | None]:
    """Results of one page and the next page's URL (None on the last page)."""
    if isinstance(payload, list):  # some old LMSs answer a bare list, unpaginated
        return [r for r in payload if isinstance(r, dict)], None
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise PageError("not an Open edX course-list page (no 'results' list)")
    pagination = payload.get("pagination") if isinstance(payload.get("pagination"), dict) else payload
    next_url = pagination.get("next")
    results = payload["results"]
    return [r for r in results if isinstance(r, dict)], next_url if isinstance(next_url, str) and next_url else None


_KEY = re.compile(r"^(?:course-v1|ccx-v1):([^+]+)\+([^+]+)\+")


def course_key(run_key: str) -> str:
    """``course-v1:ORG+NUM+RUN`` → ``ORG+NUM``; old-style ``ORG/NUM/RUN`` → ``ORG/NUM``."""
    match = _KEY.match(run_key)
    if match:
        return f"{match.group(1)}+{match.group(2)}"
    parts = run_key.split("/")
    if len(parts) == 3:
        return f"{parts[0]}/{parts[1]}"
    return run_key


def is_listed(result: dict) -> bool:
    return not (result.get("hidden") is True or result.get("invitation_only") is True)


def run_key(result: dict) -> str | None:
    key = result.get("id") or result.get("course_id")
    return str(key) if key else None


def group_runs(results: Iterable[dict]) -> dict[str, list[dict]]:
    """Listed runs grouped by course key, in first-seen order."""
    courses: dict[str, list[dict]] = {}
    for result in results:
        key = run_key(result)
        if key and is_listed(result):
            courses.setdefault(course_key(key), []).append(result)
    return courses


def _start(result: dict) -> str:
    try:
        return to_utc_iso(result.get("start")) or ""
    except ValueError:
        return ""


def representative_run(runs: list[dict], now: datetime) -> dict:
    """The current run, else the next one to start, else the latest."""
    today = now.strftime("%Y-%m-%dT%H:%M:%SZ")

    def end(result: dict) -> str:
        try:
            return to_utc_iso(result.get("end")) or "9999"
        except ValueError:
            return "9999"

    current = [r for r in runs if _start(r) and _start(r) <= today < end(r)]
    if current:
        return max(current, key=_start)
    upcoming = [r for r in runs if _start(r) > today]
    if upcoming:
        return min(upcoming, key=_start)
    return max(runs, key=_start)


def _image(result: dict) -> str | None:
    media = result.get("media") if isinstance(result.get("media"), dict) else {}
    image = media.get("image") if isinstance(media.get("image"), dict) else {}
    for candidate in (image.get("large"), image.get("raw"),
                      (media.get("course_image") or {}).get("uri") if isinstance(media.get("course_image"), dict) else None):
        if candidate:
            return candidate
    return None


def transform(key: str, runs: list[dict], lms_url: str, now: datetime) -> dict[str, Any]:
    """Runs of one course → a draft listing (raw values, schema field names)."""
    main = representative_run(runs, now)
    lms = lms_url.rstrip("/")
    subjects = [main.get(k) for k in ("classfy_name", "middle_classfy_name") if main.get(k)]
    return {
        "source_id": key,
        "title": main.get("name"),
        "url": f"{lms}/courses/{quote(run_key(main) or '', safe=':+@')}/about",
        "summary": main.get("short_description") or None,
        "description": main.get("overview") or None,
        "languages": main.get("language") or main.get("language_name"),
        "subjects": subjects,
        "level": main.get("level") or None,
        "organizations": [main.get("org_name") or main.get("org")] if (main.get("org_name") or main.get("org")) else [],
        "instructors": split_names(main.get("teachers")),
        "image_url": _image(main),
        "runs": [
            {
                "start": r.get("start"),
                "end": r.get("end"),
                "enrollment_start": r.get("enrollment_start"),
                "enrollment_end": r.get("enrollment_end"),
                "pacing": r.get("pacing"),
            }
            for r in sorted(runs, key=_start)
        ],
        "effort": main.get("effort") or None,
        "duration_weeks": main.get("week") or None,
    }
