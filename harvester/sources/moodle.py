"""Moodle: the public course catalogue (HTML) and the web service (JSON), pure extract and transform.

Without a token the spider reads the guest catalogue: ``course/index.php``
(categories, found from ``categoryid=`` links, each browsed page by page) or,
with ``catalogue: search``, ``course/search.php`` for each of ``search_terms``
(Moodle shows no results for an empty search). Themes restyle course boxes, so
courses are found by what they keep: ``data-courseid`` on the box and links to
``/course/view.php?id=N``.

With a token in ``MOOC_TOKEN_<PLATFORM_ID>`` (upper case, ``-`` → ``_``) it
calls the REST web service (``ws_function``: ``core_course_get_courses``,
``core_course_get_courses_by_field`` or paged ``core_course_search_courses``).
The requests described here carry no token: the spider adds it to the POST
body as it sends them (``with_token``), so it is in no URL, log line, error
report or saved crawl checkpoint.

Registry options: ``catalogue`` (categories|search), ``search_terms``,
``perpage`` (default 50), ``ws_function``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from harvester.registry import Platform
from harvester.sources.listing_api import (
    Page,
    PageError,
    PageRequest,
    broken_record,
    load_json,
    option_int,
    option_list,
)

WS_PATH = "/webservice/rest/server.php"
WS_FUNCTIONS = ("core_course_get_courses", "core_course_get_courses_by_field", "core_course_search_courses")
DEFAULT_PERPAGE = 50
SITE_COURSE_ID = "1"  # the site front page is course 1 in every Moodle

_VIEW_RE = re.compile(r"/course/view\.php\?(?:[^#]*&)?id=(\d+)")
_BACKGROUND_RE = re.compile(r"background(?:-image)?\s*:[^;]*url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", re.I)


def root_of(platform: Platform) -> str:
    return platform.url.rstrip("/")


def perpage_of(platform: Platform) -> int:
    return option_int(platform, "perpage", DEFAULT_PERPAGE)


def search_terms(platform: Platform) -> list[str]:
    terms = list(option_list(platform, "search_terms"))
    if not terms:
        raise PageError("catalogue: search needs search_terms (Moodle lists nothing for an empty search)")
    return terms


# web service -------------------------------------------------------------------
def token_variable(platform_id: str) -> str:
    return "MOOC_TOKEN_" + re.sub(r"[^A-Z0-9]", "_", platform_id.upper())


def ws_token(platform: Platform, env: Mapping[str, str]) -> str | None:
    return (env.get(token_variable(platform.id)) or "").strip() or None


def ws_request(root: str, function: str, params: dict[str, Any] | None = None,
               state: dict[str, Any] | None = None) -> PageRequest:
    """A web service call, without its token; function and paging stay readable in the URL."""
    query = {"wsfunction": function, "moodlewsrestformat": "json", **(params or {})}
    return PageRequest(
        url=f"{root}{WS_PATH}?{urlencode(query)}",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        state={"root": root, "function": function, **(state or {})},
    )


def with_token(body: str | None, token: str) -> str:
    """A web service POST body with the token added (Moodle reads parameters from GET and POST alike)."""
    return urlencode({"wstoken": token}) + (f"&{body}" if body else "")


def first_request(platform: Platform, env: Mapping[str, str]) -> PageRequest:
    if ws_token(platform, env) is None:
        raise PageError(f"no web service token: set {token_variable(platform.id)}")
    function = platform.options.get("ws_function") or WS_FUNCTIONS[0]
    if function not in WS_FUNCTIONS:
        raise PageError(f"ws_function {function!r} is not one of {', '.join(WS_FUNCTIONS)}")
    if function == "core_course_search_courses":
        return _search_request(root_of(platform), search_terms(platform), 0, perpage_of(platform), [])
    return ws_request(root_of(platform), function)


def _search_request(root: str, terms: list[str], page: int, perpage: int, seen: list[str]) -> PageRequest:
    params = {"criterianame": "search", "criteriavalue": terms[0], "page": page, "perpage": perpage}
    return ws_request(root, "core_course_search_courses", params,
                      {"terms": terms, "page": page, "perpage": perpage, "seen": seen})


def parse_page(text: str, request: PageRequest) -> Page:
    """One web service answer → drafts, and the next search page if any."""
    payload = load_json(text)
    if isinstance(payload, dict) and ("exception" in payload or "errorcode" in payload):
        raise PageError(f"Moodle web service error {payload.get('errorcode')}: {payload.get('message')}")
    if isinstance(payload, list):
        courses = payload
    elif isinstance(payload, dict) and isinstance(payload.get("courses"), list):
        courses = payload["courses"]
    else:
        raise PageError("not a Moodle course list (neither a list nor {'courses': [...]})")
    root = request.state["root"]
    drafts = [d for d in (ws_draft(c, root) if isinstance(c, dict) else broken_record(c) for c in courses)
              if d is not None]
    if request.state.get("function") != "core_course_search_courses":
        return Page(drafts)
    seen = list(request.state["seen"])  # ids of earlier pages and terms: JSON-able for checkpoints
    fresh = [d for d in drafts if d["source_id"] is None or d["source_id"] not in seen]
    seen += [d["source_id"] for d in fresh if d["source_id"]]
    terms, page, perpage = request.state["terms"], request.state["page"], request.state["perpage"]
    total = payload.get("total") if isinstance(payload, dict) else None
    if courses and isinstance(total, int) and (page + 1) * perpage < total:
        following = _search_request(root, terms, page + 1, perpage, seen)
    elif len(terms) > 1:
        following = _search_request(root, terms[1:], 0, perpage, seen)
    else:
        following = None
    return Page(fresh, following)


def _epoch(value: Any) -> Any:
    """Moodle's 0 means 'no date'."""
    return None if value in (0, "0", None, "") else value


def _ws_image(course: dict) -> str | None:
    image = course.get("courseimage")
    if isinstance(image, str) and image and not image.startswith("data:"):  # data: is a generated pattern
        return image
    for file in course.get("overviewfiles") or ():
        if not isinstance(file, dict) or not file.get("fileurl"):
            continue
        if str(file.get("mimetype") or "image/").startswith("image/"):
            # webservice/pluginfile.php needs the token; the same file is public at pluginfile.php
            return str(file["fileurl"]).replace("/webservice/pluginfile.php/", "/pluginfile.php/")
    return None


def ws_draft(course: dict, root: str) -> dict[str, Any] | None:
    """One web service course → a draft; None for the site front page and hidden courses."""
    course_id = course.get("id")
    if str(course_id) == SITE_COURSE_ID or course.get("format") == "site":
        return None
    if course.get("visible") in (0, "0", False):
        return None
    source_id = str(course_id) if isinstance(course_id, (int, str)) and str(course_id).strip() else None
    start, end = _epoch(course.get("startdate")), _epoch(course.get("enddate"))
    contacts = [c.get("fullname") for c in course.get("contacts") or () if isinstance(c, dict)]
    return {
        "source_id": source_id,
        "title": course.get("fullname") or course.get("displayname"),
        "url": f"{root}/course/view.php?id={source_id}" if source_id else None,
        "summary": course.get("summary") or None,
        "languages": course.get("lang") or None,
        "subjects": [course["categoryname"]] if course.get("categoryname") else [],
        "instructors": [c for c in contacts if c],
        "image_url": _ws_image(course),
        "runs": [{"start": start, "end": end}] if start or end else [],
    }


# public catalogue (HTML) ----------------------------------------------------------
@dataclass(frozen=True)
class CatalogueLink:
    """A catalogue page to read next, with the category name its link gave (for subjects)."""
    url: str
    category: str | None = None


@dataclass
class CataloguePage:
    drafts: list[dict[str, Any]] = field(default_factory=list)
    links: list[CatalogueLink] = field(default_factory=list)


def category_url(root: str, category_id: str | None, page: int, perpage: int, browse: str = "courses") -> str:
    query = {"categoryid": category_id} if category_id else {}
    query.update(browse=browse, perpage=perpage, page=page)
    return f"{root}/course/index.php?{urlencode(query)}"


def search_url(root: str, term: str, page: int = 0) -> str:
    query = {"search": term, "perpage": "all"}
    if page:
        query["page"] = page
    return f"{root}/course/search.php?{urlencode(query)}"


def catalogue_start(platform: Platform) -> list[CatalogueLink]:
    root = root_of(platform)
    mode = platform.options.get("catalogue") or "categories"
    if mode == "search":
        return [CatalogueLink(search_url(root, term)) for term in search_terms(platform)]
    if mode != "categories":
        raise PageError(f"catalogue {mode!r} is neither 'categories' nor 'search'")
    perpage_of(platform)  # a bad value is a config error before anything is fetched
    return [CatalogueLink(f"{root}/course/index.php")]


def _text(node: Tag | None) -> str | None:
    if node is None:
        return None
    text = " ".join(node.get_text().split())
    return text or None


def _after_label(node: Tag) -> str | None:
    """"Teacher: <a>Name</a>" → the link's text; "Category: Name" → what follows the colon."""
    link = node.find("a")
    if link is not None and _text(link):
        return _text(link)
    text = _text(node)
    if text and ":" in text:
        text = text.split(":", 1)[1].strip()
    return text or None


def _course_link(box: Tag) -> Tag | None:
    links = [a for a in box.find_all("a", href=True) if _VIEW_RE.search(a["href"])]
    named = box.select_one(".coursename a[href]")
    if named is not None and named in links:
        return named
    return next((a for a in links if _text(a)), links[0] if links else None)


def _title(box: Tag, link: Tag | None) -> str | None:
    for node in (box.select_one(".coursename"), link if link is not None and _text(link) else None,
                 box.select_one(".card-title, .course-title, h3, h4, h5")):
        if _text(node):
            return _text(node)
    return None


def _image(box: Tag) -> str | None:
    img = box.select_one(".courseimage img[src]") or box.find("img", src=re.compile(r"overviewfiles"))
    if img is not None:
        return img["src"]
    for node in [box, *box.find_all(style=True)]:
        match = _BACKGROUND_RE.search(node.get("style") or "")
        if match:
            return match.group(1)
    return None


def _course_url(href: str, root: str) -> str:
    """``…/course/view.php?section=0&id=14`` on the site itself → ``{root}/course/view.php?id=14``."""
    parts, base = urlsplit(href), urlsplit(root)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return href
    return f"{root}/course/view.php?id={_VIEW_RE.search(href).group(1)}"


def box_draft(box: Tag, page_url: str, root: str, category: str | None) -> dict[str, Any]:
    """One course box (any theme) → a draft; a box without a course link has no url and is rejected."""
    link = _course_link(box)
    href = urljoin(page_url, link["href"]) if link is not None else None
    link_id = _VIEW_RE.search(href).group(1) if href else None
    box_id = str(box.get("data-courseid") or "").strip()
    summary = box.select_one(".summary")
    coursecat = box.select_one(".coursecat")
    subject = _after_label(coursecat) if coursecat is not None else category
    teachers = [_after_label(li) for li in box.select("ul.teachers li, .teachers li")]
    image = _image(box)
    return {
        "source_id": box_id if box_id.isdigit() else link_id,
        "title": _title(box, link),
        "url": _course_url(href, root) if href else None,
        "summary": (summary.decode_contents().strip() or None) if summary is not None else None,
        "subjects": [subject] if subject else [],
        "instructors": [t for t in teachers if t],
        "image_url": urljoin(page_url, image) if image else None,
    }


def _outermost_boxes(soup: BeautifulSoup) -> list[Tag]:
    boxes = soup.select("[data-courseid]")
    inside = {id(inner) for box in boxes for inner in box.select("[data-courseid]")}
    return [b for b in boxes if id(b) not in inside and b.get("data-type", "1") == "1"]


def _loose_links(soup: BeautifulSoup) -> list[Tag]:
    """Course links of a theme without course boxes: one per course id, outside page chrome."""
    by_id: dict[str, Tag] = {}
    for a in soup.find_all("a", href=True):
        match = _VIEW_RE.search(a["href"])
        if not match or match.group(1) == SITE_COURSE_ID or a.find_parent(["nav", "header", "footer"]):
            continue
        if match.group(1) not in by_id or (not _text(by_id[match.group(1)]) and _text(a)):
            by_id[match.group(1)] = a
    return list(by_id.values())


def _link_draft(link: Tag, page_url: str, root: str, category: str | None) -> dict[str, Any]:
    href = urljoin(page_url, link["href"])
    return {"source_id": _VIEW_RE.search(href).group(1), "title": _text(link), "url": _course_url(href, root),
            "subjects": [category] if category else []}


def _catalogue_links(soup: BeautifulSoup, page_url: str, root: str, perpage: int,
                     category: str | None) -> list[CatalogueLink]:
    """The catalogue pages this page links to, as canonical URLs of the same kind (category or search).

    A link to another page of this page's category or search keeps ``category``;
    a link to another category is named by its text (or jump-menu option).
    """
    here = _target(page_url, root, perpage)
    if here is None:  # the front page, course/index.php: it leads to categories
        here = ("categories", None, None)
    found: dict[str, CatalogueLink] = {}

    def add(url: str, name: str | None) -> None:
        target = _target(url, root, perpage)
        if target is None or target[0] != here[0]:
            return
        kind, key, canonical = target
        if key == here[1]:
            name = category
        elif kind == "search":
            return  # another search: not this crawl's
        if canonical not in found or (found[canonical].category is None and name):
            found[canonical] = CatalogueLink(canonical, name)

    for a in soup.find_all("a", href=True):
        add(urljoin(page_url, a["href"]), _text(a))
    for option in soup.select("select[name=categoryid] option[value]"):  # Moodle 4 category jump menu
        if str(option["value"]).isdigit():
            add(category_url(root, option["value"], 0, perpage), _last_segment(_text(option)))
    for option in soup.select("select option[value*='categoryid=']"):  # Moodle 3 url_select: paths from wwwroot
        value = str(option["value"])
        add(root + value if value.startswith("/") else urljoin(page_url, value), _last_segment(_text(option)))
    found.pop(page_url, None)
    return list(found.values())


def _last_segment(name: str | None) -> str | None:
    return (name.rsplit(" / ", 1)[-1].strip() or None) if name else None


def _target(url: str, root: str, perpage: int) -> tuple[str, str | None, str] | None:
    """A catalogue URL → (kind, category id or search term, canonical URL); None if it is no catalogue page."""
    parts, base = urlsplit(url), urlsplit(root)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    query = parse_qs(parts.query)
    page_value = query.get("page", ["0"])[0]
    page = int(page_value) if page_value.isdigit() else 0
    if parts.path == f"{base.path}/course/index.php":
        category = query.get("categoryid", [None])[0]
        if category is not None and not category.isdigit():
            return None
        browse = "categories" if query.get("browse", [""])[0] == "categories" else "courses"
        if category is None and not page and browse == "courses":
            return None  # the front page itself
        return "categories", category, category_url(root, category, page, perpage, browse)
    term = query.get("search", [""])[0]
    if parts.path == f"{base.path}/course/search.php" and term.strip():
        return "search", term, search_url(root, term, page)
    return None


def parse_catalogue(html: str, page_url: str, platform: Platform, category: str | None = None,
                    start: bool = False) -> CataloguePage:
    """One catalogue page → its course drafts and the catalogue pages it links to.

    ``category`` is the name of the category the page lists (from the link that
    led here); a course box's own category line wins. On the start page a page
    without any course or category is an error (login wall or not a Moodle).
    """
    if "/login/" in urlsplit(page_url).path:
        raise PageError("redirected to the login page: the catalogue is not open to guests")
    root, perpage = root_of(platform), perpage_of(platform)
    soup = BeautifulSoup(html, "lxml")
    boxes = _outermost_boxes(soup)
    if boxes:
        drafts = [box_draft(box, page_url, root, category) for box in boxes]
    else:
        drafts = [_link_draft(a, page_url, root, category) for a in _loose_links(soup)]
    links = _catalogue_links(soup, page_url, root, perpage, category)
    if start and not drafts and not links:
        raise PageError("no course categories or courses found: not a Moodle catalogue, or closed to guests")
    return CataloguePage(drafts, links)
