"""schema.org ``Course`` markup in an HTML page → draft listings (pure).

extruct reads the three syntaxes: JSON-LD (each ``<script>`` block on its own,
so one broken block does not hide the others; ``@graph``, top-level lists,
``@id`` references), microdata and RDFa (Richie sites such as FUN-MOOC and NAU:
``<body vocab="https://schema.org/" typeof="Course">`` with
``rel="hasCourseInstance"``). All three are brought to one compact shape
(plain property names, ``@type`` a list of local names, ``@value`` unwrapped)
and every node typed ``Course``, wherever it sits, becomes one draft. The same
course given in two syntaxes (same ``source_id``) is merged, JSON-LD first.

Field choices where schema.org is loose:

* ``source_id``: ``courseCode``, else ``identifier``, else the course's ``url``, else the page URL.
* effort per week: a course instance's ``courseWorkload`` (schema.org: "often per week"),
  else the ``duration`` of a weekly ``courseSchedule``. Length: the instance's
  ``duration``, a weekly or daily schedule's ``repeatCount``, or the course's
  ``timeRequired`` when it is a number of days or weeks (an hours-only
  ``timeRequired``, e.g. Richie's ``PT20H``, is the total workload: no schema field).
* ``is_free``: ``isAccessibleForFree``, else the offers (category Free / Partially Free or
  price 0 → free; only Paid / Subscription or priced offers → not free). A priced offer
  next to a free one is the paid certificate.
* pacing: only a ``courseMode`` that says so ("self-paced", "instructor-paced");
  online / blended / onsite are delivery modes, not pacing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import extruct
import lxml.etree
from extruct.jsonld import JsonLdExtractor
from extruct.utils import parse_xmldom_html

_SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "http://www.schema.org/",
                    "https://www.schema.org/", "schema:")
_MAX_DEPTH = 40  # nesting kept of any markup tree; deeper (hostile) parts are dropped
_JSONLD_SCRIPTS = lxml.etree.XPath('//script[@type="application/ld+json"]')
_ORG_PROPERTIES = ("provider", "creator", "author", "publisher", "sourceOrganization")
_PACING = {"self-paced": "self_paced", "self paced": "self_paced", "selfpaced": "self_paced",
           "self_paced": "self_paced", "instructor-paced": "instructor_paced",
           "instructor paced": "instructor_paced", "instructor_paced": "instructor_paced"}
_FREE_CATEGORIES = {"free", "partially free", "partially_free", "partiallyfree"}
_PAID_CATEGORIES = {"paid", "subscription"}


@dataclass
class PageCourses:
    drafts: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # markup present but unreadable


def extract_courses(html: str | bytes, page_url: str) -> PageCourses:
    """Every schema.org Course on the page as a draft, and what markup could not be read."""
    found = PageCourses()
    # text is parsed as UTF-8; bytes as their <meta charset> says
    data, encoding = (html.encode("utf-8"), "utf-8") if isinstance(html, str) else (html, None)
    try:
        tree = parse_xmldom_html(data, encoding=encoding)
    except (lxml.etree.ParserError, ValueError):  # empty or not HTML at all: no course here
        return found
    if tree is None:
        return found
    nodes_by_syntax: list[list[Any]] = [[], [], []]
    for i, script in enumerate(_JSONLD_SCRIPTS(tree), start=1):
        try:
            nodes_by_syntax[0].extend(JsonLdExtractor().extract_items(script, base_url=page_url))
        except (ValueError, TypeError, RecursionError) as exc:
            found.problems.append(f"invalid JSON-LD (script {i}): {type(exc).__name__}: {str(exc)[:200]}")
    for slot, syntax in ((1, "microdata"), (2, "rdfa")):
        try:
            nodes_by_syntax[slot] = extruct.extract(tree, base_url=page_url, syntaxes=[syntax],
                                                    uniform=syntax == "microdata")[syntax]
        except Exception as exc:  # noqa: BLE001 - a third-party extractor on hostile input
            found.problems.append(f"unreadable {syntax}: {type(exc).__name__}: {str(exc)[:200]}")

    # RDF has no order: RDFa values come in an order that changes from run to run, so they are sorted
    compact = [[_compact(node, ordered=slot != 2) for node in nodes] for slot, nodes in enumerate(nodes_by_syntax)]
    page = _Page(compact)
    drafts: dict[str, dict[str, Any]] = {}
    for slot, nodes in enumerate(compact):
        for course in _courses(nodes):
            draft = page.draft(course, page_url)
            if slot == 2:
                _sort_lists(draft)
            if draft["source_id"] in drafts:
                _fill(drafts[draft["source_id"]], draft)
            else:
                drafts[draft["source_id"]] = draft
    found.drafts = list(drafts.values())
    return found


# compact shape ----------------------------------------------------------------
def _key(key: str) -> str | None:
    if key.startswith("@"):
        return key
    for prefix in _SCHEMA_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return None if "://" in key else key  # other vocabularies' IRIs (og:, rdfa:) are left out


def _local(name: str) -> str:
    for prefix in _SCHEMA_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _compact(value: Any, depth: int = 0, ordered: bool = True) -> Any:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, list):
        items = [c for c in (_compact(v, depth + 1, ordered) for v in value) if c is not None]
        if not ordered and all(isinstance(c, str) for c in items):
            items.sort()
        return items
    if not isinstance(value, dict):
        return value
    if "@value" in value:
        return _compact(value["@value"], depth + 1, ordered)
    if "@list" in value:
        return _compact(value["@list"], depth + 1, True)
    out: dict[str, Any] = {}
    for raw_key, item in value.items():
        key = _key(str(raw_key))
        if key is None:
            continue
        if key == "@type":
            out[key] = [_local(t) for t in (item if isinstance(item, list) else [item]) if isinstance(t, str)]
        else:
            out[key] = _compact(item, depth + 1, ordered)
    return out


def _types(node: dict) -> list[str]:
    return node.get("@type") or []


def _courses(value: Any, depth: int = 0) -> list[dict]:
    """Course nodes anywhere in the tree (@graph, lists, ItemList, mainEntity …), not inside a Course."""
    if depth > _MAX_DEPTH:
        return []
    if isinstance(value, list):
        return [c for item in value for c in _courses(item, depth + 1)]
    if not isinstance(value, dict):
        return []
    if "Course" in _types(value):
        return [value]
    return [c for key, item in value.items() if key != "@type" for c in _courses(item, depth + 1)]


def _sort_lists(draft: dict) -> None:
    for key in ("languages", "subtitle_languages", "subjects", "keywords", "instructors"):
        draft[key].sort()
    draft["organizations"].sort(key=lambda org: org["name"] if isinstance(org, dict) else org)


def _fill(target: dict, other: dict) -> None:
    for key, value in other.items():
        if target.get(key) in (None, "", [], {}) and value not in (None, "", [], {}):
            target[key] = value


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        for text in (value.strip(), value.strip().replace(",", ".")):
            try:
                return float(text)
            except ValueError:
                continue
    return None


class _Page:
    """The compact markup of one page, with its @id index to follow references."""

    def __init__(self, trees: list[list[Any]]):
        self.index: dict[str, dict] = {}
        for tree in trees:
            self._index(tree, 0)

    def _index(self, value: Any, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        if isinstance(value, list):
            for item in value:
                self._index(item, depth + 1)
        elif isinstance(value, dict):
            node_id = value.get("@id")
            if isinstance(node_id, str) and set(value) - {"@id", "@type"}:
                if len(value) > len(self.index.get(node_id, {})):
                    self.index[node_id] = value
            for item in value.values():
                self._index(item, depth + 1)

    # values ------------------------------------------------------------------
    def all(self, value: Any) -> list[Any]:
        """A property's values as a flat list, references replaced by the nodes they name."""
        out: list[Any] = []
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, list):
                out.extend(self.all(item))
            elif item is None or (isinstance(item, str) and not item.strip()):
                continue
            elif isinstance(item, dict) and not set(item) - {"@id", "@type"} and item.get("@id") in self.index:
                out.append(self.index[item["@id"]])
            else:
                out.append(item)
        return out

    def texts(self, value: Any) -> list[str]:
        out = []
        for item in self.all(value):
            if isinstance(item, str):
                text = item.strip()
            elif isinstance(item, (int, float)) and not isinstance(item, bool):
                text = str(item)
            else:
                continue
            if text and text not in out:
                out.append(text)
        return out

    def text(self, value: Any) -> str | None:
        texts = self.texts(value)
        return texts[0] if texts else None

    def names(self, value: Any, *, skip_types: tuple[str, ...] = (), name_keys=("name",)) -> list[str]:
        """Names of things given as text or as nodes (Organization, Person, DefinedTerm …)."""
        out = []
        for item in self.all(value):
            if isinstance(item, dict):
                if any(t in skip_types for t in _types(item)):
                    continue
                name = next((self.text(item.get(k)) for k in name_keys if self.text(item.get(k))), None)
            else:
                name = self.text(item)
            if name and name not in out:
                out.append(name)
        return out

    def url(self, value: Any) -> str | None:
        for item in self.all(value):
            if isinstance(item, str) and item.strip():
                return item.strip()
            if isinstance(item, dict):
                found = self.text(item.get("url")) or self.text(item.get("contentUrl"))
                node_id = item.get("@id")
                if not found and isinstance(node_id, str) and not node_id.startswith("_:"):
                    found = node_id
                if found:
                    return found
        return None

    def nodes(self, value: Any) -> list[dict]:
        return [item for item in self.all(value) if isinstance(item, dict)]

    def boolean(self, value: Any) -> Any:
        """schema.org Boolean (true, "True", https://schema.org/True) → bool; other text as given."""
        for item in self.all(value):
            if isinstance(item, bool):
                return item
            if isinstance(item, str):
                word = _local(item.strip())
                if word.lower() in ("true", "false"):
                    return word.lower() == "true"
                return item
        return None

    # one course --------------------------------------------------------------
    def draft(self, course: dict, page_url: str) -> dict[str, Any]:
        instances = sorted(self.nodes(course.get("hasCourseInstance")), key=self._chronological)
        is_free, certificate = self._price(course, instances)
        effort, weeks = self._effort(course, instances)
        url = self.url(course.get("url"))
        return {
            "source_id": self._source_id(course, url, page_url),
            "title": self.text(course.get("name")),
            "url": url or page_url,
            "summary": self.text(course.get("abstract")),
            "description": self.text(course.get("description")),
            "languages": self._languages([course.get("inLanguage")]
                                         + [i.get("inLanguage") for i in instances]),
            "subtitle_languages": self._languages([course.get("availableLanguage")]),
            "subjects": self.names(course.get("about")),
            "keywords": self._keywords(course.get("keywords")),
            "level": (self.names(course.get("educationalLevel")) or [None])[0],
            "organizations": self._organizations(course),
            "instructors": self.names([course.get("instructor")] + [i.get("instructor") for i in instances],
                                      skip_types=("Organization",)),
            "image_url": self.url(course.get("image")),
            "license": self.url(course.get("license")),
            "runs": [self._run(instance) for instance in instances],
            "effort": effort,
            "duration_weeks": weeks,
            "is_free": is_free,
            "certificate": certificate,
        }

    def _source_id(self, course: dict, url: str | None, page_url: str) -> str:
        code = self.text(course.get("courseCode"))
        if code:
            return code
        for item in self.all(course.get("identifier")):
            value = self.text(item.get("value")) if isinstance(item, dict) else self.text(item)
            if value:
                return value
        return urljoin(page_url, url) if url else page_url

    def _languages(self, values: list[Any]) -> list[str]:
        # a Language node: its code (alternateName) rather than its name
        return self.names(values, name_keys=("alternateName", "name"))

    def _keywords(self, value: Any) -> list[str]:
        out: list[str] = []
        for item in self.all(value):
            pieces = item.split(",") if isinstance(item, str) else self.names(item)
            for piece in pieces:
                piece = piece.strip()
                if piece and piece not in out:
                    out.append(piece)
        return out

    def _organizations(self, course: dict) -> list[Any]:
        out: list[Any] = []
        seen: set[str] = set()
        for key in _ORG_PROPERTIES:
            for item in self.all(course.get(key)):
                if isinstance(item, dict):
                    if "Person" in _types(item):
                        continue
                    name = self.text(item.get("name"))
                    org: Any = {"name": name, "country": self._country(item)} if name else None
                else:
                    name = org = self.text(item)
                if name and name not in seen:
                    seen.add(name)
                    out.append(org)
        return out

    def _country(self, organization: dict) -> str | None:
        for address in self.all(organization.get("address")):
            if isinstance(address, dict):
                country = address.get("addressCountry")
                return self.text(country) or (self.names(country) or [None])[0]
        return None

    def _schedule(self, instance: dict) -> dict:
        schedules = self.nodes(instance.get("courseSchedule"))
        return schedules[0] if schedules else {}

    def _chronological(self, instance: dict) -> tuple:
        run = self._run(instance)
        return (run["start"] or "~", run["end"] or "~", self.texts(instance.get("courseMode")),
                self.text(instance.get("courseWorkload")) or "")

    def _run(self, instance: dict) -> dict[str, Any]:
        schedule = self._schedule(instance)
        modes = [m.lower() for m in self.texts(instance.get("courseMode"))]
        return {
            "start": self.text(instance.get("startDate")) or self.text(schedule.get("startDate")),
            "end": self.text(instance.get("endDate")) or self.text(schedule.get("endDate")),
            "enrollment_start": None,
            "enrollment_end": None,
            "pacing": next((_PACING[m] for m in modes if m in _PACING), None),
        }

    def _frequency(self, schedule: dict) -> str:
        return _local(self.text(schedule.get("repeatFrequency")) or "").lower()

    def _effort(self, course: dict, instances: list[dict]) -> tuple[Any, Any]:
        effort = weeks = None
        for instance in instances:
            schedule = self._schedule(instance)
            frequency = self._frequency(schedule)
            if effort is None:
                effort = self.text(instance.get("courseWorkload"))
                if effort is None and frequency in ("weekly", "p1w"):
                    effort = self.text(schedule.get("duration"))
            if weeks is None:
                weeks = self.text(instance.get("duration"))
                count = self.text(schedule.get("repeatCount"))
                if weeks is None and count and frequency in ("weekly", "p1w"):
                    weeks = count
                elif weeks is None and count and frequency in ("daily", "p1d"):
                    weeks = f"P{count}D"
        if effort is None:
            effort = self.text(course.get("courseWorkload"))
        if weeks is None:
            required = self.text(course.get("timeRequired"))
            if required and required.upper().startswith("P") and "T" not in required.upper():
                weeks = required
        return effort, weeks

    def _price(self, course: dict, instances: list[dict]) -> tuple[Any, dict[str, Any]]:
        offers = self.nodes([course.get("offers")] + [i.get("offers") for i in instances])
        free_offer, paid_offer, priced = False, False, []
        for offer in offers:
            category = _local(self.text(offer.get("category")) or "").lower()
            price = _number(self.text(offer.get("price")))
            if category in _FREE_CATEGORIES or (price == 0 and category not in _PAID_CATEGORIES):
                free_offer = True
            elif category in _PAID_CATEGORIES or (price is not None and price > 0):
                paid_offer = True
                if price is not None and price > 0:
                    priced.append(offer)
        is_free = self.boolean(course.get("isAccessibleForFree"))
        if is_free is None:
            is_free = True if free_offer else (False if paid_offer else None)
        certificate: dict[str, Any] = {}
        if is_free is True and priced:
            certificate = {"available": True, "price": self.text(priced[0].get("price")),
                           "currency": self.text(priced[0].get("priceCurrency"))}
        elif self.all(course.get("educationalCredentialAwarded")) or self.all(course.get("hasCredential")):
            certificate = {"available": True}
        return is_free, certificate
