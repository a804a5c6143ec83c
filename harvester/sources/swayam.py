"""SWAYAM (India) course explorer GraphQL: pure extract and transform.

``GET {url}/modules/gql/query?q=<GraphQL>`` (SWAYAM runs a Google Course
Builder fork); the body starts with the anti-XSSI guard ``)]}'``. The explorer
lists courses by status, so each status of the registry option ``statuses``
(default Upcoming, Ongoing: the two buckets the explorer offers) is paged in
turn, Relay style: ``courseList(args: {…}, first: N, after: "cursor")
{edges {node {…}}, pageInfo {endCursor, hasNextPage}}``. A GraphQL ``errors``
array fails the page. Dates without a zone are Indian time (+05:30). Other
registry option: ``page_size`` (default 100).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from harvester.registry import Platform
from harvester.sources.listing_api import (
    Page,
    PageError,
    PageRequest,
    broken_record,
    load_json,
    local_time,
    on_site,
    option_int,
    option_list,
    split_names,
)
from harvester.sources.objects import object_at

QUERY_PATH = "/modules/gql/query"
XSSI_GUARD = ")]}'"
IST = "+05:30"
PAGE_SIZE = 100
STATUSES = ("Upcoming", "Ongoing")
# Only fields SWAYAM's schema is known to have: one unknown field fails the whole query.
NODE_FIELDS = ("id, title, url, explorerSummary, explorerInstructorName, showInExplorer, startDate, endDate, "
               "enrollmentEndDate, examDate, estimatedWorkload, category {name}, tags {name}, coursePictureUrl, "
               "credits, weeks, instructorInstitute, ncCode")


def graphql(status: str, first: int, after: str | None = None) -> str:
    """The courseList query of one page (strings JSON-quoted, which GraphQL string syntax accepts)."""
    after_arg = f", after: {json.dumps(after)}" if after else ""
    return (f'{{courseList(args: {{includeClosed: false, filterText: "", category: "", status: {json.dumps(status)}, '
            f'tags: ""}}, first: {first}{after_arg}) {{edges {{node {{{NODE_FIELDS}}}}}, '
            f"pageInfo {{endCursor, hasNextPage}}}}}}")


def first_request(platform: Platform, env: Mapping[str, str]) -> PageRequest:
    statuses = option_list(platform, "statuses", STATUSES)
    return page_request({"base": platform.url.rstrip("/"), "statuses": statuses, "status": 0, "after": None,
                         "size": option_int(platform, "page_size", PAGE_SIZE)})


def page_request(state: dict[str, Any]) -> PageRequest:
    query = graphql(state["statuses"][state["status"]], state["size"], state["after"])
    return PageRequest(f"{state['base']}{QUERY_PATH}?q={quote(query, safe='')}", state=state)


def parse_page(text: str, request: PageRequest) -> Page:
    payload = load_json(text, strip_prefix=XSSI_GUARD)
    if not isinstance(payload, dict):
        raise PageError("not a GraphQL response (not a JSON object)")
    if payload.get("errors"):
        raise PageError(f"GraphQL errors: {_messages(payload['errors'])}")
    data = object_at(payload, "data")
    course_list = data.get("courseList")
    if not isinstance(course_list, dict) or not isinstance(course_list.get("edges") or [], list):
        raise PageError("not a SWAYAM courseList page (no data.courseList.edges)")
    state = request.state
    drafts = []
    for edge in course_list.get("edges") or []:
        node = edge.get("node") if isinstance(edge, dict) else None
        if not isinstance(node, dict):
            drafts.append(broken_record(edge))
        elif node.get("showInExplorer") is not False:
            drafts.append(transform(node, state["base"]))
    return Page(drafts, _following(state, course_list.get("pageInfo"), bool(course_list.get("edges"))))


def _following(state: dict[str, Any], info: Any, had_edges: bool) -> PageRequest | None:
    """This status's next page, else the next status's first page, else None."""
    info = info if isinstance(info, dict) else {}
    cursor = info.get("endCursor")
    if had_edges and info.get("hasNextPage") is True and isinstance(cursor, str) and cursor:
        return page_request({**state, "after": cursor})
    if state["status"] + 1 < len(state["statuses"]):
        return page_request({**state, "status": state["status"] + 1, "after": None})
    return None


def _messages(errors: Any) -> str:
    items = errors if isinstance(errors, list) else [errors]
    texts = [str(e.get("message")) if isinstance(e, dict) and e.get("message") else str(e) for e in items]
    return "; ".join(texts)[:300]


def transform(node: dict, base: str) -> dict[str, Any]:
    """One courseList node → a draft listing."""
    weeks = node.get("weeks")
    return {
        "source_id": node.get("id"),
        "title": node.get("title"),
        "url": on_site(node.get("url"), base),
        "summary": node.get("explorerSummary") or None,
        "subjects": [c["name"] for c in _dicts(node.get("category")) if c.get("name")],
        "keywords": [t["name"] for t in _dicts(node.get("tags")) if t.get("name")],
        "organizations": [node["instructorInstitute"]] if node.get("instructorInstitute") else [],
        "instructors": split_names(node.get("explorerInstructorName")),
        "image_url": on_site(node.get("coursePictureUrl"), base) or None,
        "runs": [{"start": local_time(node.get("startDate"), IST),
                  "end": local_time(node.get("endDate"), IST),
                  "enrollment_end": local_time(node.get("enrollmentEndDate"), IST),
                  "pacing": None}],
        "effort": node.get("estimatedWorkload") or None,
        "duration_weeks": None if weeks in (0, -1, "0", "-1") else weeks,  # 0 and -1 mean "not set"
        "is_free": True,  # SWAYAM courses are free to follow; only the proctored exam is paid
    }


def _dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
