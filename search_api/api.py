"""The JSON API under /api/v1."""
from __future__ import annotations

import functools
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from indexer.base import FACETS, SearchResult
from search_api.catalogue import Catalogue, Unavailable
from search_api.engine import IndexHandle
from search_api.errors import NotFound
from search_api.models import (
    CourseOut,
    CoverageResponse,
    ErrorResponse,
    HealthResponse,
    PlatformsResponse,
    SearchResponse,
    SuggestResponse,
)
from search_api.params import ParameterError, openapi_parameters, parse_search

MAX_ID_LENGTH = 1000
# one character that is neither a control character nor white space (what str.strip removes), spelled out:
# "\s" means other characters in ECMAScript (the OpenAPI reader's regex), Rust (pydantic's) and Python
SOMETHING_TYPED = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Unknown parameter"},
    422: {"model": ErrorResponse, "description": "A parameter's value is not accepted; `error.parameter` names it"},
    503: {"model": ErrorResponse, "description": "The store or the index cannot be reached"},
}

router = APIRouter()

try:
    import orjson

    def dumps(content: Any) -> bytes:
        return orjson.dumps(content)
except ImportError:  # pragma: no cover - orjson is a dependency; the standard library is the fallback
    import json

    def dumps(content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


class RecordsJSON(Response):
    """Course records as the index or store hold them (validated when stored), serialized without a
    second validation: on a 20-result search that takes ~1.5 ms, more than the query itself.
    The declared ``response_model`` still describes them in the OpenAPI document."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


def catalogue(request: Request) -> Catalogue:
    return request.app.state.catalogue


def index(request: Request):
    handle: IndexHandle = request.app.state.index
    return handle.get()


async def engine_call(request: Request, method: str, *args: Any) -> Any:
    """Call the index: inline for the embedded engine (CPU-bound in this process: a thread hop only adds
    latency, measured with bench/bench_api.py; `mooc serve --workers` uses more cores), in the thread pool
    for a network backend (so that the event loop keeps serving while it waits for the cluster)."""
    handle: IndexHandle = request.app.state.index
    if handle.inline:
        return getattr(handle.get(), method)(*args)
    index = await run_in_threadpool(handle.get)
    try:
        return await run_in_threadpool(getattr(index, method), *args)
    except unreachable() as exc:
        raise Unavailable(f"search index ({handle.settings.index}) unreachable: {exc}") from exc


@functools.cache
def unreachable() -> tuple[type[BaseException], ...]:
    """The client libraries' connection and timeout errors: a cluster down is a 503, not a 500."""
    found: list[type[BaseException]] = [ConnectionError, TimeoutError]
    try:
        from elastic_transport import ConnectionError as TransportConnectionError
        from elastic_transport import ConnectionTimeout
        found += [TransportConnectionError, ConnectionTimeout]
    except ImportError:  # pragma: no cover
        pass
    try:
        from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
        found.append(OpenSearchConnectionError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(found)


def only(request: Request, *names: str) -> None:
    for name in request.query_params:
        if name not in names:
            raise ParameterError(name, f"unknown parameter; accepted: {', '.join(names)}", status=400)


def search_body(result: SearchResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "results": [{**hit.course, "highlights": hit.highlights} for hit in result.hits],
        "facets": {name: [{"value": value, "count": count} for value, count in result.facets.get(name, ())]
                   for name in FACETS},
        "next_cursor": result.next_cursor,
    }


@router.get("/search", response_model=SearchResponse, responses=ERRORS,
            openapi_extra={"parameters": openapi_parameters()},
            summary="Search courses, with filters and facet counts")
async def search(request: Request) -> Any:
    query = parse_search(request.query_params.multi_items())
    return RecordsJSON(search_body(await engine_call(request, "search", query)))


@router.get("/courses/{id:path}", response_model=CourseOut, summary="One course",
            responses={404: {"model": ErrorResponse, "description": "No course with this id"}, **ERRORS})
async def course(request: Request, id: str = Path(description="Course id, `{platform}:{source_id}`")) -> Any:  # noqa: A002
    only(request)
    if not id or len(id) > MAX_ID_LENGTH:
        raise NotFound("id", "no such course")
    try:
        # inline: one primary-key read (WAL: never waits for a writer), ~0.1 ms; through the thread pool
        # it waited behind the embedded searches the event loop runs (p50 66 ms instead of 1, load test)
        record = catalogue(request).course(id)
    except Unavailable:
        record = await engine_call(request, "get", id)  # an API node with an index but no store
    if record is None:
        raise NotFound("id", f"no course {id[:200]!r}")
    return RecordsJSON(record)


@router.get("/suggest", response_model=SuggestResponse, responses=ERRORS,
            summary="Course titles starting with what was typed (any script)")
async def suggest(request: Request,
            q: str = Query(min_length=1, max_length=100, pattern=SOMETHING_TYPED,
                           description="What the user has typed so far (at least one character that is "
                                       "neither white space nor a control character)"),
            size: int = Query(10, ge=1, le=20)) -> Any:
    only(request, "q", "size")
    text = "".join(ch if ch >= " " else " " for ch in q).strip()
    if not text:
        raise ParameterError("q", "empty after removing control characters and white space")
    return {"q": text, "suggestions": await engine_call(request, "suggest", text, size)}


@router.get("/platforms", response_model=PlatformsResponse, responses=ERRORS,
            summary="Registry platforms with their course counts and last crawls")
def platforms(request: Request) -> Any:
    only(request)
    return {"platforms": catalogue(request).platforms()}


@router.get("/coverage", response_model=CoverageResponse, responses=ERRORS,
            summary="Per ASEM country: platforms, courses, languages, ISCED fields, last successful crawl")
def coverage(request: Request) -> Any:
    only(request)
    return catalogue(request).coverage()


@router.get("/health", response_model=HealthResponse,
            responses={503: {"model": HealthResponse, "description": "The store or the index is not reachable"}},
            summary="Store and index reachable, with their document counts")
def health(request: Request) -> Any:
    only(request)
    body: dict[str, Any] = {"backend": request.app.state.settings.index}
    try:
        body["store"] = {"ok": True, "documents": catalogue(request).count()}
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        body["store"] = {"ok": False, "detail": str(exc)[:500]}
    try:
        body["index"] = {"ok": True, "documents": index(request).stats().documents}
    except Exception as exc:  # noqa: BLE001
        body["index"] = {"ok": False, "detail": str(exc)[:500]}
    ok = body["store"]["ok"] and body["index"]["ok"]
    if ok and body["store"]["documents"] != body["index"]["documents"]:
        body["index"]["detail"] = (f"{body['store']['documents']} active courses in the store, "
                                   f"{body['index']['documents']} in the index: run `mooc index`")
        ok = body["index"]["documents"] > 0 or body["store"]["documents"] == 0  # an empty index is no search
    body["status"] = "ok" if ok else "degraded"
    return JSONResponse(HealthResponse(**body).model_dump(), status_code=200 if ok else 503)
