"""icourse163 (中国大学MOOC) course lists by school: pure extract and transform.

The list is ``POST {url}/web/j/courseBean.getCourseListBySchoolId.rpc?csrfKey=…``
with the form ``schoolId, p, psize, type=1, courseStatus=30``. ``csrfKey`` is the
value of the ``NTESSTUDYSI`` cookie the site sets on a first GET of its home
page: a crawl (or a resumed one) starts there, and the spider adds the key to
each list URL (Scrapy's cookie middleware sends the cookie back). The schools
come from the registry option ``school_ids`` (``page_size``: default 20), paged one after the other, so
that the next page is always one request (a resumable checkpoint). The answer
is ``{"code": 0, "result": {"query": {"pageIndex", "pageSize", "totleCount",
"totlePageCount"}, "list": [...]}}`` ("totle" sic). Each item is one course
with its current term: ``id``, ``name``, ``schoolName``, ``schoolSN``,
``teacherName``, ``bigPhoto``, ``startTime``/``endTime`` (epoch ms), ``tags``.

Course page: ``{url}/course/{schoolSN}-{id}`` (as the site links it, e.g.
``/course/PKU-1465995174``); an item without ``schoolSN`` takes the one of the
other items of its school's page.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import quote, urlencode

from harvester.registry import Platform
from harvester.sources.listing_api import (
    Page,
    PageError,
    PageRequest,
    broken_record,
    load_json,
    option_int,
    option_list,
    split_names,
    with_query,
)

LIST_PATH = "/web/j/courseBean.getCourseListBySchoolId.rpc"
CSRF_COOKIE = "NTESSTUDYSI"
PAGE_SIZE = 20
FORM = {"type": "1", "courseStatus": "30"}


def first_request(platform: Platform, env: Mapping[str, str]) -> PageRequest:
    schools = option_list(platform, "school_ids")
    if not schools:
        raise PageError(f"{platform.id}: give the schools to crawl in the registry option school_ids")
    return home_request({"base": platform.url.rstrip("/"), "schools": schools, "school": 0, "page": 1,
                         "size": option_int(platform, "page_size", PAGE_SIZE, high=100)})


def home_request(then: dict[str, Any]) -> PageRequest:
    """The home page, for its csrf cookie; ``then`` is the state of the list page to fetch next."""
    return PageRequest(f"{then['base']}/", state={"step": "home", "then": then})


def csrf_key(set_cookie: Iterable[str], sent_cookie: str | None = None) -> str:
    """The NTESSTUDYSI value from the home page's Set-Cookie headers, else from the Cookie header sent."""
    for header in [*set_cookie, sent_cookie or ""]:
        jar = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        if CSRF_COOKIE in jar and jar[CSRF_COOKIE].value:
            return jar[CSRF_COOKIE].value
    raise PageError(f"the home page set no {CSRF_COOKIE} cookie (needed as csrfKey)")


def with_csrf(url: str, csrf: str) -> str:
    return with_query(url, "csrfKey", quote(csrf, safe=""))


def list_request(state: dict[str, Any]) -> PageRequest:
    """One page of one school's list (csrfKey still to add). schoolId and p are repeated in the
    query string (the servlet reads both) so that every page has its own URL in logs and errors."""
    school = state["schools"][state["school"]]
    url = f"{state['base']}{LIST_PATH}?schoolId={quote(school, safe='')}&p={state['page']}"
    body = urlencode({"schoolId": school, "p": state["page"], "psize": state["size"], **FORM})
    return PageRequest(url, method="POST", body=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}, state=state)


def next_school(state: dict[str, Any]) -> PageRequest | None:
    """The first page of the next school, if any (also where paging goes on after a failed page)."""
    if state["school"] + 1 < len(state["schools"]):
        return list_request({**state, "school": state["school"] + 1, "page": 1})
    return None


def parse_page(text: str, request: PageRequest) -> Page:
    payload = load_json(text)
    if not isinstance(payload, dict):
        raise PageError("not an icourse163 course list (not a JSON object)")
    code = payload.get("code")
    if code not in (None, 0, "0"):
        raise PageError(f"icourse163 error {code}: {payload.get('message') or payload.get('msg') or 'no message'}")
    result = payload.get("result")
    if not isinstance(result, dict) or not isinstance(result.get("list") or [], list):
        raise PageError("not an icourse163 course list (no result.list)")
    items = result.get("list") or []
    state = request.state
    school_sn = next((i["schoolSN"] for i in items if isinstance(i, dict) and i.get("schoolSN")), None)
    drafts = [transform(item, state["base"], school_sn) if isinstance(item, dict) else broken_record(item)
              for item in items]
    pages = _page_count(result.get("query"), state["size"])
    more = bool(items) and (pages is None or state["page"] < pages)
    return Page(drafts, list_request({**state, "page": state["page"] + 1}) if more else next_school(state))


def _page_count(query: Any, size: int) -> int | None:
    if not isinstance(query, dict):
        return None
    pages, count = query.get("totlePageCount"), query.get("totleCount")
    if isinstance(pages, int) and not isinstance(pages, bool):
        return pages
    if isinstance(count, int) and not isinstance(count, bool):
        return -(-count // size)
    return None


def transform(item: dict, base: str, school_sn: str | None = None) -> dict[str, Any]:
    """One list item (a course and its current term) → a draft listing."""
    course_id, sn = item.get("id"), item.get("schoolSN") or school_sn
    term = item.get("termPanel") if isinstance(item.get("termPanel"), dict) else {}
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return {
        "source_id": course_id,
        "title": item.get("name"),
        "url": (f"{base}/course/{quote(str(sn), safe='')}-{quote(str(course_id), safe='')}"
                if sn and course_id not in (None, "") else None),
        "organizations": [item["schoolName"]] if item.get("schoolName") else [],
        "instructors": split_names(item.get("teacherName") or item.get("lectorName")),
        "image_url": item.get("bigPhoto") or item.get("imgUrl") or None,
        "keywords": [t["name"] for t in tags if isinstance(t, dict) and t.get("name")],
        "runs": [{"start": item.get("startTime") or term.get("startTime"),
                  "end": item.get("endTime") or term.get("endTime"),
                  "pacing": None}],
    }
