"""OpenLearning public course API v2.1: pure extract and transform.

``GET {api}/v2.1/courses/?page=N&itemsPerPage=M&api_key=KEY`` answers
``{"meta": {"status"[, "error"]}, "data": [{id, url, title, image, self_paced}]}``.
Pages run until one comes back empty (a short page is not taken as the last:
the API may cap itemsPerPage). ``meta.error`` fails the page. The registry URL
may or may not already end in ``/v2.1``. The page requests made here carry no
key: ``spiders.keyed`` adds ``api_key`` on the way out, so that no page
description (state, checkpoint) ever holds it. Registry options: ``page_size``
(default 100), ``site_url`` (default www.openlearning.com).
"""
from __future__ import annotations

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
    on_site,
    option_int,
)
from harvester.sources.objects import object_at

KEY_ENV = "MOOC_OPENLEARNING_API_KEY"
VERSION = "/v2.1"
PAGE_SIZE = 100
SITE = "https://www.openlearning.com"  # relative course and image links point here, not at the API host


def first_request(platform: Platform, env: Mapping[str, str]) -> PageRequest:
    base = platform.url.rstrip("/")
    if not base.endswith(VERSION):
        base += VERSION
    api_key(env, KEY_ENV, platform)  # fail early, with the variable to set, when there is none
    return page_request({"base": base, "page": 1,
                         "size": option_int(platform, "page_size", PAGE_SIZE),
                         "site": platform.options.get("site_url") or SITE})


def page_request(state: dict[str, Any]) -> PageRequest:
    return PageRequest(f"{state['base']}/courses/?page={state['page']}&itemsPerPage={state['size']}", state=state)


def parse_page(text: str, request: PageRequest) -> Page:
    payload = load_json(text)
    if not isinstance(payload, dict):
        raise PageError("not an OpenLearning course list (not a JSON object)")
    meta = object_at(payload, "meta")
    if meta.get("error"):
        raise PageError(f"OpenLearning API error ({meta.get('status') or 'no status'}): {meta['error']}")
    items = payload.get("data") if payload.get("data") is not None else []
    if not isinstance(items, list):
        raise PageError(f"not an OpenLearning course list ('data' is {type(items).__name__})")
    state = request.state
    drafts = [transform(item, state["site"]) if isinstance(item, dict) else broken_record(item) for item in items]
    return Page(drafts, page_request({**state, "page": state["page"] + 1}) if items else None)


def transform(item: dict, site: str = SITE) -> dict[str, Any]:
    """One course → a draft listing."""
    flag = str(item.get("self_paced")).strip().lower()
    pacing = "self_paced" if flag in ("true", "1") else "instructor_paced" if flag in ("false", "0") else None
    return {
        "source_id": item.get("id"),
        "title": item.get("title"),
        "url": on_site(item.get("url"), site),
        "image_url": on_site(item.get("image"), site) or None,
        "runs": [{"pacing": pacing}] if pacing else [],
    }
