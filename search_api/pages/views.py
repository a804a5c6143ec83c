"""What the pages show, computed from API data by pure functions (no request, no I/O)."""
from __future__ import annotations

import html
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup, escape

from harvester import csvsafe
from indexer.base import FACETS, SearchQuery, SearchResult
from search_api.pages.i18n import ISCED_NAMES, Labels, parse_when
from search_api.params import FILTERS, query_pairs

# --- safety ---------------------------------------------------------------------------------------

def safe_url(url: Any) -> str | None:
    """An absolute http(s) URL, or None: ``javascript:``, ``data:``, relative and odd URLs are not linked."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ch < " " or ch == "\x7f" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


_MARK = re.compile(r"(</?mark>)")


def highlighted(fragment: Any) -> Markup:
    """An index highlight (escaped text with ``<mark>`` around matches) as markup, keeping only ``<mark>``:
    every other ``<`` is escaped again, so a damaged or foreign highlight cannot inject markup."""
    if not isinstance(fragment, str):
        return Markup("")
    out, depth = [], 0
    for part in _MARK.split(fragment):
        if part == "<mark>":
            if depth == 0:
                out.append("<mark>")
            depth += 1
        elif part == "</mark>":
            if depth == 1:
                out.append("</mark>")
            depth = max(0, depth - 1)
        else:
            out.append(str(escape(html.unescape(part))))
    if depth:
        out.append("</mark>")
    return Markup("".join(out))


def paragraphs(text: Any) -> list[str]:
    """Plain text (paragraphs separated by blank lines, as the store keeps descriptions) → paragraphs."""
    if not isinstance(text, str):
        return []
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def course_href(course_id: str) -> str:
    return "/courses/" + quote(course_id, safe=":+@!$,;=")


# --- the search page -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    checked: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    multiple: bool               # checkboxes (OR within the facet); otherwise radio buttons with "any"
    options: list[Option]
    shown: int                   # how many options before "more"
    selected: tuple[str, ...] = ()

    @property
    def first(self) -> list[Option]:
        return self.options[:self.shown]

    @property
    def rest(self) -> list[Option]:
        return self.options[self.shown:]


FACET_ORDER = ("country", "language", "platform", "isced", "free", "certificate", "pacing", "availability", "level")
BOOL_FACETS = tuple(p.name for p in FILTERS if p.kind == "bool")
SHOWN = 8
assert set(FACET_ORDER) == set(FACETS)


def facet_groups(result: SearchResult | None, query: SearchQuery, labels: Labels) -> list[FacetGroup]:
    groups = []
    for name in FACET_ORDER:
        selected = tuple(query.filters.get(name, ()))
        counts = dict(result.facets.get(name, ())) if result else {}
        for value in selected:  # a value from a shared link that matches nothing stays visible to uncheck
            counts.setdefault(value, 0)
        if name in BOOL_FACETS:
            values = [v for v in ("true", "false") if v in counts]
        elif name in ("country", "language", "platform"):
            values = sorted(counts, key=lambda v: (v not in selected, -counts[v], labels.value(name, v).casefold()))
        elif name == "isced":
            values = sorted(counts)
        else:
            order = {"availability": ("open", "upcoming", "self_paced", "archived"),
                     "pacing": ("self_paced", "instructor_paced"),
                     "level": ("introductory", "intermediate", "advanced")}[name]
            values = sorted(counts, key=lambda v: order.index(v) if v in order else len(order))
        options = [Option(v, labels.value(name, v), counts[v], v in selected) for v in values]
        if not options:
            continue
        shown = max(SHOWN, sum(1 for o in options if o.checked)) if name in ("country", "language", "platform") \
            else len(options)
        groups.append(FacetGroup(name, labels.facet_title(name), name not in BOOL_FACETS, options, shown, selected))
    return groups


@dataclass(frozen=True)
class ActiveFilter:
    facet: str
    title: str
    label: str
    remove_href: str


def href(path: str, pairs: list[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(pairs) if pairs else "")


def active_filters(query: SearchQuery, labels: Labels, path: str = "/") -> list[ActiveFilter]:
    out = []
    for name in FACET_ORDER:
        values = query.filters.get(name, ())
        for value in values:
            rest = [v for v in values if v != value]
            pairs = query_pairs(query, page=None, cursor=None, **{name: rest or None})
            out.append(ActiveFilter(name, labels.facet_title(name), labels.value(name, value), href(path, pairs)))
    return out


def page_links(query: SearchQuery, total: int, path: str = "/") -> dict[str, Any]:
    pages = max(1, math.ceil(total / query.size)) if total else 1
    current = query.page
    return {
        "current": current,
        "pages": pages,
        "previous": href(path, query_pairs(query, page=current - 1 if current > 2 else None, cursor=None))
        if current > 1 else None,
        "next": href(path, query_pairs(query, page=current + 1, cursor=None))
        if current < pages and (current + 1) * query.size <= 10_000 else None,
    }


@dataclass(frozen=True)
class Timing:
    kind: str                    # upcoming, self_paced, open, archived, unknown
    when: str | None = None      # the date it refers to (next start, start of the open run, last end)


def timing(course: dict[str, Any], now: datetime) -> Timing:
    """What a learner wants to know first: when can I start? Same definitions as the availability facet."""
    from indexer.common import run_times
    runs = run_times(course)
    stamp = now.timestamp()
    raw = [r for r in course.get("runs") or [] if isinstance(r, dict)]
    upcoming = sorted((t.start, r.get("start")) for t, r in zip(runs, raw, strict=False) if t.start is not None and t.start > stamp)
    if any(t.self_paced and (t.start is None or t.start <= stamp) and (t.end is None or t.end >= stamp) for t in runs):
        return Timing("self_paced")
    if upcoming:
        return Timing("upcoming", upcoming[0][1])
    current = [(t.start, r.get("start")) for t, r in zip(runs, raw, strict=False)
               if t.start is not None and t.start <= stamp and (t.end is None or t.end >= stamp)]
    if current:
        return Timing("open", max(current)[1])
    ended = [(t.end, r.get("end")) for t, r in zip(runs, raw, strict=False) if t.end is not None]
    if runs and len(ended) == len(runs):
        return Timing("archived", max(ended)[1])
    return Timing("unknown")


# --- the dashboard ----------------------------------------------------------------------------------

FRESH_HOURS = 48          # a successful crawl within two days
AGING_HOURS = 24 * 8      # within eight days (a weekly schedule plus a day)


def freshness(last_success: str | None, now: datetime, spider: bool = True) -> str:
    if not spider:
        return "no_spider"
    when = parse_when(last_success)
    if when is None:
        return "never"
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, tzinfo=UTC)
    hours = (now - when).total_seconds() / 3600
    return "fresh" if hours <= FRESH_HOURS else "aging" if hours <= AGING_HOURS else "stale"


def age_hours(value: str | None, now: datetime) -> float | None:
    when = parse_when(value)
    if when is None:
        return None
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, tzinfo=UTC)
    return round((now - when).total_seconds() / 3600, 1)


PLATFORM_COLUMNS = ("harvested", "failing", "not_crawled", "no_spider")


@dataclass
class CountryFigures:
    code: str
    name: str
    group: str
    note: str | None
    platforms: list[dict[str, Any]]
    harvested: int
    failing: int                 # last finished crawl failed or incomplete
    not_crawled: int
    no_spider: int
    no_known_listing: bool       # no platform in the registry
    courses: int
    languages: list[dict[str, Any]]
    isced_fields: list[dict[str, Any]]
    last_successful_crawl: str | None
    age_hours: float | None
    freshness: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "group": self.group, "note": self.note,
            "platforms": len(self.platforms), "harvested": self.harvested, "failing": self.failing,
            "not_crawled": self.not_crawled, "no_spider": self.no_spider,
            "no_known_listing": self.no_known_listing, "courses": self.courses,
            "languages": self.languages,
            "isced_fields": [{**f, "name": ISCED_NAMES.get(f["value"], f["value"])} for f in self.isced_fields],
            "last_successful_crawl": self.last_successful_crawl, "age_hours": self.age_hours,
            "freshness": self.freshness,
            "platform_list": [{k: p.get(k) for k in ("id", "name", "family", "status", "courses",
                                                     "last_successful_crawl")} for p in self.platforms],
        }


@dataclass
class Dashboard:
    generated_at: str
    countries: list[CountryFigures]
    totals: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"generated_at": self.generated_at, "totals": self.totals,
                "countries": [c.as_dict() for c in self.countries]}


def dashboard(coverage: dict[str, Any], now: datetime) -> Dashboard:
    """The coverage figures (``Catalogue.coverage()``, as ``/api/v1/coverage`` answers) per country and in
    total, with the platform states counted the way the dashboard shows them."""
    countries = []
    for c in coverage["countries"]:
        states = Counter(p["status"] for p in c["platforms"])
        spider = any(p["status"] != "no_spider" for p in c["platforms"])
        countries.append(CountryFigures(
            code=c["code"], name=c["name"], group=c.get("group") or "", note=c.get("note"),
            platforms=list(c["platforms"]), harvested=states["harvested"],
            failing=states["failing"] + states["incomplete"], not_crawled=states["not_crawled"],
            no_spider=states["no_spider"], no_known_listing=not c["platforms"], courses=c["courses"],
            languages=list(c["languages"]), isced_fields=list(c["isced_fields"]),
            last_successful_crawl=c["last_successful_crawl"],
            age_hours=age_hours(c["last_successful_crawl"], now),
            freshness=freshness(c["last_successful_crawl"], now, spider) if c["platforms"] else "none",
        ))
    given = coverage.get("totals") or {}
    totals = {
        "countries": len(countries),
        "countries_with_platforms": sum(1 for c in countries if not c.no_known_listing),
        "countries_with_courses": sum(1 for c in countries if c.courses),
        "platforms": sum(len(c.platforms) for c in countries),
        **{name: sum(getattr(c, name) for c in countries) for name in PLATFORM_COLUMNS},
        "no_known_listing": sum(1 for c in countries if c.no_known_listing),
        "courses": sum(c.courses for c in countries),
        "languages": list(given.get("languages") or []),
        "isced_fields": [{**f, "name": ISCED_NAMES.get(f["value"], f["value"])}
                         for f in given.get("isced_fields") or []],
        "last_successful_crawl": given.get("last_successful_crawl"),
    }
    totals["age_hours"] = age_hours(totals["last_successful_crawl"], now)
    return Dashboard(now.strftime("%Y-%m-%dT%H:%M:%SZ"), countries, totals)


CSV_COLUMNS = ("code", "name", "group", "platforms", "harvested", "failing", "not_crawled", "no_spider",
               "no_known_listing", "courses", "languages", "isced_fields", "last_successful_crawl", "age_hours",
               "freshness", "note")


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(f"{item['value']}:{item['count']}" for item in value)
    return value  # text is made formula-safe by the writer (harvester.csvsafe)


def dashboard_csv(figures: Dashboard) -> str:
    """One row per ASEM country, then the ASEM total; lists as ``value:count`` joined with ``|``."""
    out = io.StringIO()
    writer = csvsafe.writer(out)  # CRLF rows
    writer.writerow(CSV_COLUMNS)
    for country in figures.countries:
        row = country.as_dict()
        row["languages"], row["isced_fields"] = country.languages, country.isced_fields
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    t = figures.totals
    writer.writerow([_cell(v) for v in (
        "ASEM", "ASEM total", "", t["platforms"], t["harvested"], t["failing"], t["not_crawled"], t["no_spider"],
        t["no_known_listing"], t["courses"], t["languages"], t["isced_fields"], t["last_successful_crawl"],
        t["age_hours"], "", "")])
    return out.getvalue()
