"""MOOChub course feeds (JSON:API, v3 with v1/v2 drift): pure extract and transform.

A page is ``{"links": {"self", "next", …}, "data": [{"id", "type", "attributes": {…}}]}``.
Real feeds drift from the spec (see reference/ENDPOINTS.md): v2 keys next to v3 keys,
``data`` as one object, typos (``abtract``, ``licence``, ``learningobjectives``),
booleans as strings, image as a string, ``links`` empty or ``next`` equal to ``self``.
Every attribute read here tolerates those shapes; what stays unreadable is left to the
normalizer, which keeps it in ``unparsed``.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import zip_longest
from typing import Any
from urllib.parse import urljoin

from harvester.registry import Platform
from harvester.sources.listing_api import broken_record, load_json
from harvester.sources.objects import object_at
from harvester.sources.paging import Page, PageError, PageRequest

ACCEPT = "application/vnd.api+json; moochub-version=3"
HEADERS = {"Accept": ACCEPT}

# v3 courseMode values that say how a course is paced; the others (online, blended, onsite) do not.
_PACING = {"asynchronous": "self_paced", "synchronous": "instructor_paced"}
_HOURS_PER_WEEK = {"h/week": 1.0, "h/month": 12 / 52}


def first_request(platform: Platform, env: Mapping[str, str]) -> PageRequest:
    return PageRequest(platform.url, headers=dict(HEADERS))


def parse_page(text: str, request: PageRequest) -> Page:
    """Drafts of one feed page and the next page to fetch (None on the last page)."""
    payload = load_json(text)
    if not isinstance(payload, dict) or "data" not in payload:
        raise PageError("not a MOOChub page (no 'data')")
    data = payload["data"]
    if isinstance(data, dict):  # one course given as an object, not a list
        data = [data]
    elif data is None:
        data = []
    elif not isinstance(data, list):
        raise PageError(f"'data' is a {type(data).__name__}, not a list")
    drafts = [transform(record) for record in data]
    next_url = next_page_url(payload.get("links"), request.url) if drafts else None
    return Page(drafts, PageRequest(next_url, headers=dict(HEADERS)) if next_url else None)


def next_page_url(links: Any, current_url: str) -> str | None:
    """``links.next`` as an absolute URL, unless it is empty or the page itself."""
    if not isinstance(links, dict):
        return None
    target = links.get("next")
    if not isinstance(target, str) or not target.strip():
        return None
    target = urljoin(current_url, target.strip())
    self_link = links.get("self")
    here = {current_url}
    if isinstance(self_link, str) and self_link.strip():
        here.add(urljoin(current_url, self_link.strip()))
    return None if target in here else target


# --- attribute readers --------------------------------------------------------------------

def _list(value: Any) -> list:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _first(attrs: dict, *keys: str) -> Any:
    """The first of ``keys`` present with a non-empty value."""
    for key in keys:
        value = attrs.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def label(value: Any) -> str | None:
    """A display string from a string, a ``{name}`` object or a v3 multilingual label list."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "label", "prefLabel", "title"):
            if value.get(key) not in (None, ""):
                return label(value[key])
        return None
    if isinstance(value, list):  # [{"inLanguage": "en", "name": "INTERMEDIATE"}, …]
        for item in value:
            found = label(item)
            if found:
                return found
    return None


def _labels(*values: Any) -> list[str]:
    out: list[str] = []
    for value in values:
        items = value.split(",") if isinstance(value, str) else _list(value)
        for item in items:
            text = label(item)
            if text and text not in out:
                out.append(text)
    return out


def _is_organization(entity: Any) -> bool:
    return isinstance(entity, dict) and str(entity.get("type") or "").lower() == "organization"


def people_and_organizations(attrs: dict) -> tuple[list[str], list[str]]:
    """Instructor names and organization names; Organization entries of creator/instructor
    lists count as organizations, everything else there as a person."""
    people: list[str] = []
    orgs: list[str] = []
    for key in ("instructor", "instructors", "creator"):
        for entity in _list(attrs.get(key)):
            name = label(entity)
            target = orgs if _is_organization(entity) else people
            if name and name not in target:
                target.append(name)
    for key in ("publisher", "provider", "contributor", "partnerInstitute", "partnerInstitutes", "moocProvider"):
        for entity in _list(attrs.get(key)):
            if isinstance(entity, dict) and str(entity.get("type") or "").lower() == "person":
                continue
            name = label(entity)
            if name and name not in orgs:
                orgs.append(name)
    return people, orgs


def image_url(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return next((url for url in map(image_url, value) if url), None)
    if isinstance(value, dict):
        for key in ("contentUrl", "url", "src"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
    return None


def license_of(attrs: dict) -> str | None:
    """The first license: its SPDX-like identifier where given, else its URL. MOOChub's
    "proprietary" names no license: only its own license document (``contentUrl``) is kept."""
    value = _first(attrs, "license", "licence", "courseLicenses", "licenses")
    for item in _list(value):
        if isinstance(item, str) and item.strip():
            if item.strip().lower() != "proprietary":
                return item.strip()
        elif isinstance(item, dict):
            proprietary = str(item.get("identifier") or item.get("id") or "").strip().lower() == "proprietary"
            for key in ("contentUrl",) if proprietary else ("identifier", "id", "url", "contentUrl"):
                if isinstance(item.get(key), str) and item[key].strip():
                    return item[key].strip()
    return None


def effort(value: Any) -> Any:
    """Workload as an effort notation the normalizer reads; unknown shapes are passed raw.

    v3: ``{"timeValue": 3, "timeUnit": "h/week"}`` (h/month is converted to weekly hours);
    v2: an integer of weekly hours; schema.org ``timeRequired``: an ISO 8601 duration.
    """
    if isinstance(value, dict):
        amount, unit = value.get("timeValue"), str(value.get("timeUnit") or "").strip().lower()
        if isinstance(amount, (int, float)) and not isinstance(amount, bool) and unit in _HOURS_PER_WEEK:
            return f"{round(amount * _HOURS_PER_WEEK[unit], 2):g} hours/week"
        return f"{amount} {unit}".strip() if amount is not None else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g} hours/week" if 0 < value <= 168 else value
    return value or None


def is_free(attrs: dict) -> Any:
    """``isAccessibleForFree`` as given (bool or "true"/"false"), else from ``access`` or offers."""
    if attrs.get("isAccessibleForFree") not in (None, ""):
        return attrs["isAccessibleForFree"]
    access = [str(a).lower() for a in _list(attrs.get("access"))]
    if access:
        return "free" in access
    course_prices = [price for o in _offers(attrs)
                     if str(o.get("category") or "course").lower() in ("course", "complete")
                     and (price := _price(o)) is not None]
    if course_prices:
        return min(course_prices) == 0
    return None


def _offers(attrs: dict) -> list[dict]:
    return [o for o in _list(_first(attrs, "offers", "offer")) if isinstance(o, dict)]


def _price(offer: dict) -> float | None:
    """A finite price, or None (a platform's ``NaN`` is no price)."""
    value = offer.get("price")
    if not isinstance(value, int | float | str) or isinstance(value, bool):
        return None
    try:
        price = float(value)
    except ValueError:
        return None
    return price if math.isfinite(price) else None


def certificate(attrs: dict) -> dict[str, Any]:
    for offer in _offers(attrs):
        if str(offer.get("category") or "").lower() == "certificate":
            return {"available": True, "price": offer.get("price"), "currency": offer.get("priceCurrency")}
    awarded = [str(a).lower() for a in _list(attrs.get("educationalCredentialsAwarded"))]
    if any("certificate" in a for a in awarded):
        return {"available": True, "price": None, "currency": None}
    return {}


def _dates(value: Any) -> list[Any]:
    return [v for v in _list(value) if v not in (None, "")]


def _pacing(mode: Any) -> str | None:
    paces = {_PACING[m] for m in (str(v).strip().lower() for v in _list(mode)) if m in _PACING}
    return paces.pop() if len(paces) == 1 else None


def runs(attrs: dict) -> list[dict[str, Any]]:
    """Runs from ``hasCourseInstance`` if present, else from parallel startDate[]/endDate[] lists."""
    pacing = _pacing(attrs.get("courseMode"))
    instances = [i for i in _list(attrs.get("hasCourseInstance")) if isinstance(i, dict)]
    if instances:
        return [{"start": i.get("startDate"), "end": i.get("endDate"),
                 "enrollment_start": i.get("applicationStartDate"),
                 "enrollment_end": i.get("applicationDeadline"),
                 "pacing": _pacing(i.get("courseMode")) or pacing} for i in instances]
    found = [{"start": start, "end": end, "enrollment_start": None, "enrollment_end": None, "pacing": pacing}
             for start, end in zip_longest(_dates(attrs.get("startDate")), _dates(attrs.get("endDate")))]
    enrol_start, enrol_end = attrs.get("applicationStartDate"), attrs.get("applicationDeadline")
    if (enrol_start or enrol_end) and len(found) <= 1:  # enrollment dates only fit a single run
        if not found:
            found = [{"start": None, "end": None, "pacing": pacing}]
        found[0].update(enrollment_start=enrol_start or None, enrollment_end=enrol_end or None)
    return found


def transform(record: Any) -> dict[str, Any]:
    """One ``data`` entry → a draft listing (raw values, schema field names)."""
    if not isinstance(record, dict):
        return broken_record(record)
    attrs = object_at(record, "attributes", record)
    people, orgs = people_and_organizations(attrs)
    objectives = _first(attrs, "teaches", "learningObjectives", "learningobjectives")
    record_id = record.get("id")
    return {
        "source_id": str(record_id).strip() if record_id not in (None, "") else None,
        "title": label(attrs.get("name")),
        "url": attrs.get("url") if isinstance(attrs.get("url"), str) else None,
        "summary": _first(attrs, "abstract", "abtract"),
        "description": attrs.get("description") or None,
        "languages": _first(attrs, "inLanguage", "languages", "language"),
        "subjects": _labels(attrs.get("about"), attrs.get("educationalAlignment")),
        # v3 skills (``teaches``) have short names; v2 learning objectives are sentences, not keywords.
        "keywords": _labels(attrs.get("keywords"), [o for o in _list(objectives) if isinstance(o, dict)]),
        "level": label(attrs.get("educationalLevel")),
        "organizations": orgs,
        "instructors": people,
        "image_url": image_url(attrs.get("image")),
        "license": license_of(attrs),
        "runs": runs(attrs),
        "effort": effort(_first(attrs, "workload", "timeRequired")),
        "duration_weeks": attrs.get("duration") or None,
        "is_free": is_free(attrs),
        "certificate": certificate(attrs),
    }
