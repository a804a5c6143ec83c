"""The HTML pages: search, one course, the coverage dashboard (with CSV/JSON), the crawl-health report.

They call what the API calls (``search_api.params.parse_search``, ``search_api.api.engine_call``, the
``Catalogue``), never the API over HTTP. Server-rendered with Jinja2 (autoescaped); JavaScript only
enhances them (autocomplete, filters applied on change).
"""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from harvester.health import platform_health
from indexer.base import QueryError, SearchQuery
from search_api.api import engine_call
from search_api.catalogue import Catalogue, Unavailable
from search_api.pages import charts, i18n, views
from search_api.params import PARAMS_BY_NAME, ParameterError, parse_search

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
RUNS_SHOWN = 10
ERRORS_SHOWN = 50

router = APIRouter(include_in_schema=False)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' http: https: data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


# --- static files ------------------------------------------------------------------------------------

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}


@cache
def static_file(name: str) -> tuple[bytes, str, str] | None:
    """Only the files shipped in static/ (no path from the request ever reaches the file system)."""
    files = {p.name: p for p in STATIC.iterdir() if p.is_file() and p.suffix in STATIC_TYPES}
    path = files.get(name)
    if path is None:
        return None
    body = path.read_bytes()
    return body, STATIC_TYPES[path.suffix], hashlib.sha256(body).hexdigest()[:12]


def static_url(name: str) -> str:
    found = static_file(name)
    return f"/static/{name}?v={found[2]}" if found else f"/static/{name}"


@router.get("/static/{name}")
def static(name: str, request: Request) -> Response:
    found = static_file(name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    body, media_type, version = found
    etag = f'"{version}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


# --- rendering ----------------------------------------------------------------------------------------

@cache
def environment(language: str) -> Environment:
    """One environment per interface language, its catalogue installed (thread-safe: nothing per request)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(i18n.translations(language), newstyle=True)
    env.filters.update(highlighted=views.highlighted, safe_url=views.safe_url, paragraphs=views.paragraphs,
                       course_href=views.course_href,
                       json_text=lambda value: json.dumps(value, ensure_ascii=False))
    env.globals.update(static=static_url, LANGUAGES=i18n.LANGUAGES, ISCED_NAMES=i18n.ISCED_NAMES,
                       COUNTERS=list(i18n.COUNTER_LABELS), COUNTER_LABELS=i18n.COUNTER_LABELS,
                       HEALTH_STATES=i18n.HEALTH_STATES,
                       RUN_STATUS=i18n.RUN_STATUS, SORT_LABELS=i18n.SORT_LABELS)
    return env


def catalogue(request: Request) -> Catalogue:
    return request.app.state.catalogue


def platform_names(request: Request) -> dict[str, str]:
    try:
        return {p.id: p.name for p in catalogue(request).registry().platforms}
    except Exception:  # noqa: BLE001 - names are a nicety: ids are shown instead
        return {}


def language_of(request: Request) -> str:
    return i18n.negotiate(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE),
                          request.headers.get("accept-language"))


def language_links(request: Request, current: str) -> list[dict[str, Any]]:
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return [{"code": code, "name": name, "current": code == current,
             "href": request.url.path + "?" + urlencode([*pairs, ("lang", code)])}
            for code, name in i18n.LANGUAGES.items()]


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    language = language_of(request)
    now = datetime.now(UTC)
    labels = i18n.Labels(language, context.pop("names", None) or platform_names(request))
    html = environment(language).get_template(template).render(
        lang=language, L=labels, now=now, path=request.url.path, lang_links=language_links(request, language),
        **context)
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["Content-Language"] = language
    response.headers["Vary"] = "Accept-Language, Cookie"
    chosen = i18n.supported(request.query_params.get("lang"))
    if chosen and chosen != request.cookies.get(i18n.COOKIE):
        response.set_cookie(i18n.COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def problem(request: Request, status: int, title: str, message: str, **context: Any) -> HTMLResponse:
    return render(request, "error.html", status=status, title=title, message=message, **context)


# --- the search page ----------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
async def search_page(request: Request) -> HTMLResponse:
    pairs = request.query_params.multi_items()
    # page parameters (lang) and foreign ones (a shared link's utm_source …) are not search parameters
    ignore = {name for name, _ in pairs if name not in PARAMS_BY_NAME}
    error = result = None
    try:
        query = parse_search(pairs, ignore=ignore)
    except ParameterError as exc:
        error = exc
        query = SearchQuery(q=request.query_params.get("q", "")[:500])
    if error is None:
        try:
            result = await engine_call(request, "search", query)
        except QueryError as exc:
            error = ParameterError(exc.parameter, exc.message)
        except Unavailable as exc:
            return problem(request, 503, "unavailable", str(exc), section="search")
    language = language_of(request)
    labels = i18n.Labels(language, platform_names(request))
    now = datetime.now(UTC)
    context: dict[str, Any] = {
        "section": "search", "query": query, "result": result, "error": error,
        "groups": views.facet_groups(result, query, labels),
        "active": views.active_filters(query, labels) if result else [],
        "pages": views.page_links(query, result.total) if result else None,
        "timings": {h.course["id"]: views.timing(h.course, now) for h in result.hits} if result else {},
        "names": labels.platform_names,
    }
    return render(request, "search.html", status=422 if error else 200, **context)


# --- one course ------------------------------------------------------------------------------------------

@router.get("/courses/{course_id:path}", response_class=HTMLResponse)
async def course_page(request: Request, course_id: str) -> HTMLResponse:
    # async, the store read inline as in the API: through the thread pool the page waited behind the
    # embedded searches the event loop runs (p50 780 ms instead of 180 under the load test)
    record = None
    if course_id and len(course_id) <= 1000:
        try:
            record = catalogue(request).course(course_id)
        except Unavailable:
            try:  # a node with an index but no store (as the API does)
                record = await engine_call(request, "get", course_id)
            except Unavailable as exc:
                return problem(request, 503, "unavailable", str(exc), section="search")
    if record is None:
        return problem(request, 404, "not_found", course_id[:200], section="search")
    timing = views.timing(record, datetime.now(UTC))
    return render(request, "course.html", section="search", course=record, timing=timing)


# --- the coverage dashboard ----------------------------------------------------------------------------

def coverage_figures(request: Request) -> views.Dashboard:
    return views.dashboard(catalogue(request).coverage(), datetime.now(UTC))


def dashboard_charts(figures: views.Dashboard, labels: i18n.Labels) -> dict[str, Any]:
    gettext = labels.gettext
    with_courses = sorted((c for c in figures.countries if c.courses), key=lambda c: (-c.courses, c.code))
    courses = charts.bar_chart(
        [(labels.country(c.code), c.courses, labels.number(c.courses)) for c in with_courses],
        chart_id="chart-courses", title=gettext("Courses per country"),
        description=gettext("Active courses harvested from each ASEM country's platforms, most first."),
        empty=gettext("No courses harvested yet."))
    top = [item["value"] for item in figures.totals["languages"][:7]]
    series = [charts.Series(code, labels.language_name(code), charts.PALETTE[i]) for i, code in enumerate(top)]
    series.append(charts.Series("other", gettext("Other languages"), charts.PALETTE[-1]))
    rows = []
    for c in with_courses:
        counts = {item["value"]: item["count"] for item in c.languages}
        segments = [(code, counts.pop(code, 0)) for code in top] + [("other", sum(counts.values()))]
        rows.append((labels.country(c.code), segments))
    languages = charts.stacked_bar_chart(
        rows, series, chart_id="chart-languages", title=gettext("Teaching languages per country"),
        description=gettext("For each country, its courses by teaching language (a course taught in two "
                            "languages counts in both)."),
        total_text=labels.number, empty=gettext("No courses harvested yet."))
    state_labels = {"fresh": gettext("crawled within 2 days"), "aging": gettext("crawled within 8 days"),
                    "stale": gettext("last crawl older than 8 days"), "never": gettext("never crawled successfully"),
                    "no_spider": gettext("no spider")}
    now = datetime.now(UTC)
    fresh_rows = []
    for c in sorted((c for c in figures.countries if c.platforms), key=lambda c: labels.country(c.code)):
        marks = []
        for p in c.platforms:
            state = views.freshness(p.get("last_successful_crawl"), now, p.get("status") != "no_spider")
            marks.append((p.get("name") or p.get("id"), state, labels.age(p.get("last_successful_crawl"), now)))
        fresh_rows.append((labels.country(c.code), marks))
    freshness = charts.freshness_chart(
        fresh_rows, state_labels, chart_id="chart-freshness", title=gettext("Freshness of each platform"),
        description=gettext("One mark per platform, by country: when its last successful crawl finished."),
        empty=gettext("No platform in the registry."))
    return {"courses": courses, "languages": languages, "freshness": freshness}


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request) -> HTMLResponse:
    try:
        figures = coverage_figures(request)
    except Unavailable as exc:
        return problem(request, 503, "unavailable", str(exc), section="dashboard")
    labels = i18n.Labels(language_of(request), platform_names(request))
    return render(request, "dashboard.html", section="dashboard", figures=figures,
                  charts=dashboard_charts(figures, labels), names=labels.platform_names)


def _download(body: str, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache"})


@router.get("/dashboard.csv")
def dashboard_csv(request: Request) -> Response:
    try:
        figures = coverage_figures(request)
    except Unavailable as exc:
        return Response(str(exc), status_code=503, media_type="text/plain; charset=utf-8")
    return _download(views.dashboard_csv(figures), "text/csv; charset=utf-8", "asem-mooc-coverage.csv")


@router.get("/dashboard.json")
def dashboard_json(request: Request) -> Response:
    try:
        figures = coverage_figures(request)
    except Unavailable as exc:
        return Response(json.dumps({"error": {"parameter": None, "message": str(exc)}}), status_code=503,
                        media_type="application/json")
    return _download(json.dumps(figures.as_dict(), ensure_ascii=False, indent=1),
                     "application/json", "asem-mooc-coverage.json")


# --- crawl health ---------------------------------------------------------------------------------------

@router.get("/health-report", response_class=HTMLResponse)
def health_page(request: Request) -> HTMLResponse:
    try:
        registry = catalogue(request).registry()
        store = catalogue(request)  # its runs and run_errors: a damaged store is Unavailable
        now = datetime.now(UTC)
        platforms = []
        for platform in registry.platforms:
            runs = store.runs(platform.id, limit=50)
            if not platform.enabled and not runs:
                continue
            shown = runs[:RUNS_SHOWN]
            platforms.append({
                "platform": platform, "health": platform_health(platform, runs, now), "runs": shown,
                "errors": {run.id: store.run_errors(run.id)[:ERRORS_SHOWN] for run in shown
                           if run.counts["errors"] or run.counts["rejected"] or run.status in ("failed", "held")},
            })
    except Unavailable as exc:
        return problem(request, 503, "unavailable", str(exc), section="health")
    order = {"failed": 0, "dropped": 1, "stale": 2, "never_crawled": 3, "ok": 4}
    platforms.sort(key=lambda p: (order.get(p["health"].state, 5), p["platform"].country, p["platform"].id))
    states: dict[str, int] = {}
    for p in platforms:
        states[p["health"].state] = states.get(p["health"].state, 0) + 1
    return render(request, "health.html", section="health", platforms=platforms, states=states)
