"""Course records for the index tests: every SCHEMA.md field, a valid content hash."""
from __future__ import annotations

from typing import Any

from harvester.pipelines.hash import content_hash
from harvester.schema import Course


def run(start: str | None = None, end: str | None = None, pacing: str | None = "instructor_paced",
        enrollment_start: str | None = None, enrollment_end: str | None = None) -> dict[str, Any]:
    return {"start": start, "end": end, "enrollment_start": enrollment_start, "enrollment_end": enrollment_end,
            "pacing": pacing}


def course(source_id: str, title: str, *, platform: str = "testmooc", country: str = "TH",
           languages: tuple[str, ...] = ("en",), runs: list[dict] | None = None, **fields: Any) -> dict[str, Any]:
    """A normalized, hashed record as the store holds it (store-kept fields included)."""
    record: dict[str, Any] = {
        "id": f"{platform}:{source_id}", "platform": platform, "source_id": source_id,
        "url": f"https://{platform}.example.org/courses/{source_id}", "country": country,
        "harvested_at": "2026-01-10T08:00:00Z", "first_seen": "2026-01-10T08:00:00Z",
        "last_seen": "2026-01-10T08:00:00Z", "status": "active", "unparsed": {},
        "title": title, "summary": None, "description": None, "languages": list(languages),
        "language_source": "declared", "subtitle_languages": [], "subjects": [], "isced_fields": [],
        "keywords": [], "level": None, "organizations": [], "instructors": [], "image_url": None,
        "license": None, "runs": runs if runs is not None else [run("2020-01-01", "2020-03-01")],
        "effort_hours_per_week": None, "duration_weeks": None, "is_free": True,
        "certificate": {"available": None, "price": None, "currency": None},
    }
    record.update(fields)
    Course.model_validate(record)
    record["content_hash"] = content_hash(record)
    return record
