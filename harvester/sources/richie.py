"""Richie course search API (FUN-MOOC, NAU): pure extract and transform.

``GET {site}/api/v1.0/courses/?limit=N&offset=M`` answers
``{"meta": {"count", "offset", "total_count"}, "objects": [...], "filters": {...}}``
in the language of ``Accept-Language``. Objects name their categories and
organizations by search keys only; the ``filters`` facets of the same page give
those keys' names (``levels`` → level, other category facets → subjects).
Runs without an end carry Richie's MAX_DATE (year 9999), which means "none".
Registry option: ``page_size`` (default 50).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from harvester.registry import Platform
from harvester.sources.listing_api import Page, PageError, PageRequest, broken_record, load_json, on_site, option_int
from harvester.sources.objects import object_at

API_PATH = "/api/v1.0/courses/"
DEFAULT_PAGE_SIZE = 50
FREE_OFFERS = {"free": True, "partially_free": True, "paid": False, "subscription": False}
NOT_CATEGORY_FACETS = {"organizations", "persons", "languages", "licences", "availability", "new", "pace"}


def page_request(root: str, limit: int, offset: int, headers: dict[str, str]) -> PageRequest:
    return PageRequest(url=f"{root}{API_PATH}?{urlencode({'limit': limit, 'offset': offset})}",
                       headers=headers, state={"root": root, "limit": limit, "offset": offset})


def first_request(platform: Platform, env: Mapping[str, str]) -> PageRequest:
    limit = option_int(platform, "page_size", DEFAULT_PAGE_SIZE)
    headers = {"Accept": "application/json"}
    if platform.languages:
        headers["Accept-Language"] = platform.languages[0]
    return page_request(platform.url.rstrip("/"), limit, 0, headers)


def facet_names(filters: Any) -> dict[str, tuple[str, str]]:
    """Search key → (facet name, human name), from a page's ``filters``."""
    names: dict[str, tuple[str, str]] = {}
    if not isinstance(filters, dict):
        return names
    for facet, spec in filters.items():
        values = spec.get("values") if isinstance(spec, dict) else None
        for value in values if isinstance(values, list) else ():
            if isinstance(value, dict) and value.get("key") is not None and value.get("human_name"):
                names[str(value["key"])] = (str(facet), str(value["human_name"]))
    return names


def parse_page(text: str, request: PageRequest) -> Page:
    payload = load_json(text)
    if not isinstance(payload, dict) or not isinstance(payload.get("objects"), list):
        raise PageError("not a Richie course search page (no 'objects' list)")
    objects = payload["objects"]
    names = facet_names(payload.get("filters"))
    root = request.state["root"]
    drafts = [transform(o, root, names) if isinstance(o, dict) else broken_record(o) for o in objects]
    meta = object_at(payload, "meta")
    offset: int = meta["offset"] if isinstance(meta.get("offset"), int) else request.state["offset"]
    total = meta.get("total_count")
    following = None
    if objects and isinstance(total, int) and offset + len(objects) < total:
        following = page_request(root, request.state["limit"], offset + len(objects), request.headers)
    return Page(drafts, following)


def _date(value: Any) -> Any:
    """Richie's MAX_DATE (9999-12-31) stands for no date."""
    return None if isinstance(value, str) and value.startswith("9999") else value


def _names(keys: Any, names: dict[str, tuple[str, str]], facets: set[str] | None = None,
           exclude: frozenset[str] | set[str] = frozenset()) -> list[str]:
    out = []
    for key in keys if isinstance(keys, list) else ():
        facet, name = names.get(str(key), (None, None))
        if name and (facets is None or facet in facets) and facet not in exclude and name not in out:
            out.append(name)
    return out


def transform(course: dict, root: str, names: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """One Richie course object → a draft."""
    runs = sorted((r for r in course.get("course_runs") or () if isinstance(r, dict)),
                  key=lambda r: str(r.get("start") or ""))
    languages: list[str] = []
    for run in runs:
        for language in run.get("languages") or ():
            if language not in languages:
                languages.append(language)
    cover = object_at(course, "cover_image")
    organizations = [course.get("organization_highlighted")] if course.get("organization_highlighted") else []
    organizations += _names(course.get("organizations"), names, {"organizations"})
    levels = _names(course.get("categories"), names, {"levels"})
    certificate_offer = course.get("certificate_offer")
    return {
        "source_id": str(course["id"]) if course.get("id") not in (None, "") else None,
        "title": course.get("title"),
        "url": on_site(course.get("absolute_url"), root) or None,
        "summary": course.get("introduction") or None,
        "languages": languages,
        "subjects": _names(course.get("categories"), names, exclude=NOT_CATEGORY_FACETS | {"levels"}),
        "level": levels[0] if levels else None,
        "organizations": organizations,
        "image_url": on_site(cover.get("src"), root) or None,
        "runs": [{"start": _date(r.get("start")), "end": _date(r.get("end")),
                  "enrollment_start": _date(r.get("enrollment_start")),
                  "enrollment_end": _date(r.get("enrollment_end"))} for r in runs],
        "effort": course.get("effort") or None,
        "duration_weeks": course.get("duration") or None,
        "is_free": FREE_OFFERS.get(offer) if isinstance(offer := course.get("offer"), str) else None,
        "certificate": {
            "available": True if certificate_offer else None,
            "price": course.get("certificate_price"),
            "currency": course.get("price_currency") if course.get("certificate_price") is not None else None,
        },
    }
