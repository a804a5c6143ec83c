"""K-MOOC open data v2 on the public data portal (apis.data.go.kr/B552881/kmooc_v2_0): pure extract and transform.

``GET {url}/courseList_v2_0?Page=N&Size=M&_type=json&serviceKey=KEY`` answers
``{"header": {"page", "size", "totalCount"}, "resultCode", "resultMsg",
"totalCount", "items": [...]}``; pages run until ``Page × Size ≥ totalCount``
or a page without items. Each item is one course with one run. The portal's
gateway answers key and quota errors with an XML body (``OpenAPI_ServiceResponse``)
even when JSON was asked for. Times are Korean (KST, +09:00) without a zone.

The page requests made here carry no key: the spider adds ``serviceKey`` (the row's ``key_param``)
on the way out, so that no page description (state, checkpoint) ever holds it.
Registry options: ``page_size`` (default 100), ``site_url`` (default www.kmooc.kr).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from harvester.registry import Platform
from harvester.sources.listing_api import (
    Page,
    PageError,
    PageRequest,
    api_key,
    broken_record,
    load_json,
    local_time,
    on_site,
    option_int,
    split_names,
)
from harvester.sources.objects import object_at

KEY_ENV = "MOOC_KMOOC_API_KEY"
KST = "+09:00"
PAGE_SIZE = 100
SITE = "https://www.kmooc.kr"  # relative course and image links point here, not at the API host


def first_request(platform: Platform, env: Mapping[str, str]) -> PageRequest:
    api_key(env, KEY_ENV, platform)  # fail early, with the variable to set, when there is none
    return page_request({"base": platform.url.rstrip("/"), "page": 1,
                         "size": option_int(platform, "page_size", PAGE_SIZE),
                         "site": platform.options.get("site_url") or SITE})


def page_request(state: dict[str, Any]) -> PageRequest:
    return PageRequest(f"{state['base']}/courseList_v2_0?Page={state['page']}&Size={state['size']}&_type=json",
                       state=state)


def parse_page(text: str, request: PageRequest) -> Page:
    payload = _payload(text)
    items = _items(payload)
    state = request.state
    drafts = [transform(item, state["site"]) if isinstance(item, dict) else broken_record(item)
              for item in items if not withheld(item)]
    total = _total(payload)
    more = bool(items) and (total is None or state["page"] * state["size"] < total)
    return Page(drafts, page_request({**state, "page": state["page"] + 1}) if more else None,
                skipped={"not_public": len(items) - len(drafts)})


def withheld(item: Any) -> bool:
    return isinstance(item, dict) and str(item.get("public_yn") or "").strip().upper() == "N"


_XML_FIELD = re.compile(r"<(returnAuthMsg|errMsg|returnReasonCode|resultCode|resultMsg)>\s*([^<]*?)\s*</\1>")


def _success(code: Any) -> bool:
    return str(code).strip().strip("0") == ""  # "00" and "0000" (and 0) mean success


def _payload(text: str) -> dict:
    if text.lstrip().startswith("<"):  # the gateway's OpenAPI_ServiceResponse, or XML despite _type=json
        fields = dict(_XML_FIELD.findall(text))
        code = fields.get("returnReasonCode") or fields.get("resultCode")
        if code and _success(code):
            raise PageError(f"data.go.kr answered XML, not JSON (resultCode {code})")
        message = fields.get("returnAuthMsg") or fields.get("resultMsg") or fields.get("errMsg") or "unknown error"
        raise PageError(f"data.go.kr error{f' {code}' if code else ''}: {message}")
    payload = load_json(text)
    if not isinstance(payload, dict):
        raise PageError("not a K-MOOC courseList_v2_0 page (not a JSON object)")
    code = payload.get("resultCode")
    if code is not None and not _success(code):
        raise PageError(f"K-MOOC API error {code}: {payload.get('resultMsg') or 'no message'}")
    return payload


def _items(payload: dict) -> list:
    """``items`` as a list; data.go.kr's XML-to-JSON also gives ``{"item": [...]}`` or one bare item."""
    items = payload.get("items")
    if isinstance(items, dict) and "item" in items:
        items = items["item"]
    if isinstance(items, dict):
        items = [items]
    if items in (None, "", []):
        return []
    if not isinstance(items, list):
        raise PageError(f"not a K-MOOC courseList_v2_0 page ('items' is {type(items).__name__})")
    return items


def _total(payload: dict) -> int | None:
    header = object_at(payload, "header")
    for value in (payload.get("totalCount"), header.get("totalCount")):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
    return None


def transform(item: dict, site: str = SITE) -> dict[str, Any]:
    """One courseList_v2_0 item → a draft listing."""
    org = item.get("org_name") or item.get("org")
    subjects = [item.get(k) for k in ("classfy_name", "middle_classfy_name") if item.get(k)]
    return {
        "source_id": item.get("id"),
        "title": item.get("name"),
        "url": on_site(item.get("url"), site),
        "summary": item.get("summary") or None,
        "subjects": subjects,
        "organizations": [org] if org else [],
        "instructors": split_names(item.get("professor")),
        "image_url": on_site(item.get("course_image"), site) or None,
        "runs": [{
            "start": local_time(item.get("study_start"), KST),
            "end": local_time(item.get("study_end"), KST),
            "enrollment_start": local_time(item.get("enrollment_start"), KST),
            "enrollment_end": local_time(item.get("enrollment_end"), KST),
            "pacing": None,
        }],
        "duration_weeks": item.get("week") or None,
        "is_free": True,  # K-MOOC, the national MOOC, charges for no course
    }
