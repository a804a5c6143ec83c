"""A small catalogue written for the API tests: every filter value occurs, several scripts, runs around today.

``courses(now)`` gives schema-valid records; ``expected_*`` compute from the same
records what the API must answer, so the tests compare the API with an
independent count rather than with numbers copied by hand.
"""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from harvester.schema import Course

HARVESTED = "2026-11-01T00:00:00Z"


def _day(now: datetime, days: int) -> str:
    return (now + timedelta(days=days)).strftime("%Y-%m-%dT00:00:00Z")


def _runs(kind: str, now: datetime) -> list[dict[str, Any]]:
    run = {"enrollment_start": None, "enrollment_end": None}
    if kind == "open":          # started, ends later, instructor-paced
        return [{**run, "start": _day(now, -30), "end": _day(now, 30), "pacing": "instructor_paced"}]
    if kind == "upcoming":      # starts later
        return [{**run, "start": _day(now, 60), "end": _day(now, 120), "pacing": "instructor_paced"}]
    if kind == "self_paced":    # self-paced, started, no end
        return [{**run, "start": _day(now, -100), "end": None, "pacing": "self_paced"}]
    if kind == "archived":      # every run ended
        return [{**run, "start": _day(now, -400), "end": _day(now, -300), "pacing": "instructor_paced"}]
    if kind == "far_apart":     # one run long ago, one far ahead: a date window between them matches neither
        return [{**run, "start": "2020-03-01", "end": "2020-06-01", "pacing": "instructor_paced"},
                {**run, "start": "2031-03-01", "end": "2031-06-01", "pacing": "instructor_paced"}]
    return []


# platform, country, key, title, languages, isced, level, free, certificate, runs, extra
ROWS: list[tuple] = [
    ("thaimooc", "TH", "CU+PY101", "การเขียนโปรแกรมคอมพิวเตอร์ด้วยไพทอน", ["th"], ["06"], "introductory", True, True,
     "open", {"organizations": [{"name": "จุฬาลงกรณ์มหาวิทยาลัย", "country": "TH"}]}),
    ("thaimooc", "TH", "MU+HLTH1", "สุขภาพจิตในที่ทำงาน", ["th"], ["09"], "introductory", True, False,
     "self_paced", {}),
    ("thaimooc", "TH", "KU+AGRI2", "Sustainable Rice Farming", ["en", "th"], ["08"], "intermediate", True, True,
     "upcoming", {"summary": "Water management for rice paddies in the Mekong basin."}),
    ("thaimooc", "TH", "CMU+TOUR", "การท่องเที่ยวเชิงวัฒนธรรม", ["th"], ["10"], None, None, None, "archived", {}),
    ("kmooc", "KR", "SNU+AI01", "인공지능의 이해", ["ko"], ["06"], "introductory", True, True, "open",
     {"instructors": ["김철수"]}),
    ("kmooc", "KR", "KAIST+DS02", "데이터과학입문", ["ko"], ["05", "06"], "intermediate", True, False, "upcoming", {}),
    ("kmooc", "KR", "YU+HIST", "한국사의 이해", ["ko"], ["02"], "introductory", True, True, "archived", {}),
    ("kmooc", "KR", "POSTECH+PHY", "Quantum Physics for Engineers", ["en", "ko"], ["05", "07"], "advanced", False,
     True, "self_paced", {}),
    ("funmooc", "FR", "INRIA+PROG", "Introduction à la programmation", ["fr"], ["06"], "introductory", True, True,
     "open", {"summary": "Apprendre les bases de la programmation avec des exercices."}),
    ("funmooc", "FR", "UPS+NEUR", "Les réseaux de neurones", ["fr"], ["06"], "advanced", True, False, "archived",
     {"description": "Comprendre comment fonctionnent les réseaux de neurones profonds."}),
    ("funmooc", "FR", "SORB+PHILO", "Philosophie des sciences", ["fr"], ["02"], "intermediate", False, True,
     "upcoming", {}),
    ("funmooc", "FR", "CNAM+MGMT", "Management de projet", ["fr", "en"], ["04"], None, True, None, "self_paced",
     {"keywords": ["gestion", "projet"]}),
    ("xuetangx", "CN", "THU+ML01", "机器学习基础", ["zh"], ["06"], "intermediate", True, True, "open",
     {"organizations": [{"name": "清华大学", "country": "CN"}]}),
    ("xuetangx", "CN", "PKU+ECON", "经济学原理", ["zh"], ["03"], "introductory", False, True, "far_apart", {}),
    ("xuetangx", "CN", "FDU+MED1", "Medical Statistics", ["en"], ["05", "09"], "advanced", True, False, "none", {}),
    ("jmooc", "JP", "UT+DS101", "データサイエンス入門", ["ja"], ["05", "06"], "introductory", True, False, "open", {}),
    ("jmooc", "JP", "KYOTO+JLIT", "日本文学の世界", ["ja"], ["02"], "intermediate", True, True, "archived", {}),
    ("openhpi", "DE", "HPI+ML", "Maschinelles Lernen in der Praxis", ["de"], ["06"], "intermediate", True, True,
     "self_paced", {}),
    ("openhpi", "DE", "HPI+SEC", "Internet Security for Beginners", ["en", "de"], ["06"], "introductory", True, True,
     "upcoming", {"instructors": ["Christoph Meinel"]}),
    ("openhpi", "DE", "HPI+BLOCK", "Blockchain: Hype or Innovation?", ["en"], ["04", "06"], "advanced", False, False,
     "archived", {}),
]

PLATFORMS = [
    {"id": "thaimooc", "name": "Thai MOOC", "country": "TH", "family": "openedx", "url": "https://lms.thaimooc.example",
     "languages": ["th", "en"]},
    {"id": "kmooc", "name": "K-MOOC", "country": "KR", "family": "openedx", "url": "https://www.kmooc.example",
     "languages": ["ko"]},
    {"id": "funmooc", "name": "FUN MOOC", "country": "FR", "family": "openedx", "url": "https://lms.fun-mooc.example",
     "languages": ["fr"]},
    {"id": "xuetangx", "name": "XuetangX", "country": "CN", "family": "openedx", "url": "https://www.xuetangx.example",
     "languages": ["zh"]},
    {"id": "jmooc", "name": "JMOOC", "country": "JP", "family": "openedx", "url": "https://www.jmooc.example",
     "languages": ["ja"]},
    {"id": "openhpi", "name": "openHPI", "country": "DE", "family": "openedx", "url": "https://open.hpi.example",
     "languages": ["de", "en"]},
]


def courses(now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or datetime.now(UTC)
    out = []
    for platform, country, key, title, languages, isced, level, free, certificate, runs, extra in ROWS:
        record = {
            "id": f"{platform}:{key}", "platform": platform, "source_id": key,
            "url": f"https://{platform}.example/courses/{key}/about", "country": country,
            "harvested_at": HARVESTED, "title": title, "languages": languages,
            "language_source": "declared", "isced_fields": isced, "level": level, "is_free": free,
            "certificate": {"available": certificate, "price": None, "currency": None},
            "runs": _runs(runs, now), **extra,
        }
        record = Course(**record).model_dump()
        # any hash that changes with the content serves the store and the incremental index
        record["content_hash"] = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
        out.append(record)
    return out


def facet_values(record: dict[str, Any], facet: str, now: datetime) -> set[str]:
    """The values a course has for one facet: the meaning the API's filters must have."""
    if facet == "country":
        return {record["country"]}
    if facet == "language":
        return set(record["languages"])
    if facet == "platform":
        return {record["platform"]}
    if facet == "isced":
        return set(record["isced_fields"])
    if facet == "level":
        return {record["level"]} if record["level"] else set()
    if facet == "free":
        return set() if record["is_free"] is None else {str(record["is_free"]).lower()}
    if facet == "certificate":
        available = record["certificate"]["available"]
        return set() if available is None else {str(available).lower()}
    if facet == "pacing":
        return {r["pacing"] for r in record["runs"] if r["pacing"]}
    if facet == "availability":
        return availability(record, now)
    raise KeyError(facet)


def _at(value: str | None, end_of_day: bool = False) -> datetime | None:
    if not value:
        return None
    if len(value) == 10:
        value += "T23:59:59Z" if end_of_day else "T00:00:00Z"
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def availability(record: dict[str, Any], now: datetime) -> set[str]:
    """open: a run started and not ended; upcoming: a run starts later; self_paced: a self-paced run
    can be taken now; archived: there are runs and all have ended."""
    found = set()
    runs = [(_at(r["start"]), _at(r["end"], end_of_day=True), r["pacing"]) for r in record["runs"]]
    for start, end, pacing in runs:
        not_ended = end is None or end >= now
        if start is not None and start <= now and not_ended:
            found.add("open")
        if start is not None and start > now:
            found.add("upcoming")
        if pacing == "self_paced" and (start is None or start <= now) and not_ended:
            found.add("self_paced")
    if runs and all(end is not None and end < now for _, end, _ in runs):
        found.add("archived")
    return found
