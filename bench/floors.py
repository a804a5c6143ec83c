"""Floors: the bare baselines each project path is measured against, in the same run (bench/speed.py).

Each floor does the same job as the project's path with nothing of the project in it:

- ``BareTantivy``: tantivy-py over the same documents — one tokenized field per text, raw keyword fields for
  the facets, the record stored as JSON; a search is the same words (lenient parser), the same filters as
  term sets, top 20 decoded from JSON, a snippet per hit, and the same facets counted with one aggregation
  per distinct "all filters but this facet's" set (the project's semantics: a facet ignores its own filter);
  availability counted with four range queries over each course's run bounds.
- ``bare_app``: a FastAPI app serving ``BareTantivy.search`` as JSON (orjson), nothing else.
- ``bare_export``: sqlite3 + json over the store's ``courses`` table, one JSON line per active course.
- The bare Scrapy spider is ``bench/floor_spider.py`` (run by ``scrapy runspider``).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import tantivy

TEXT_FIELDS = ("title", "summary", "description")
FACETS = ("country", "language", "platform", "isced", "level", "free", "certificate", "pacing", "organization")
AVAILABILITY = ("open", "upcoming", "self_paced", "archived")
TERMS_SIZE = 500


def _epoch(value: Any) -> int | None:
    from datetime import UTC, datetime
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def facet_values(course: dict[str, Any]) -> dict[str, list[str]]:
    certificate = course.get("certificate") or {}

    def flag(value: Any) -> list[str]:
        return [] if value is None else ["true" if value else "false"]
    return {
        "country": [course["country"]] if course.get("country") else [],
        "language": list(course.get("languages") or []),
        "platform": [course["platform"]],
        "isced": list(course.get("isced_fields") or []),
        "level": [course["level"]] if course.get("level") else [],
        "free": flag(course.get("is_free")),
        "certificate": flag(certificate.get("available")),
        "pacing": sorted({r["pacing"] for r in course.get("runs") or [] if r.get("pacing")}),
        "organization": [o["name"] for o in course.get("organizations") or [] if o.get("name")],
    }


class BareTantivy:
    def __init__(self, folder: Path):
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        for name in TEXT_FIELDS:
            builder.add_text_field(name, stored=name != "description", tokenizer_name="default")
        for name in FACETS:
            builder.add_text_field(f"k_{name}", fast=True, tokenizer_name="raw")
        for name in ("run_start", "run_end"):
            builder.add_integer_field(name, indexed=True, fast=True)
        builder.add_bytes_field("doc", stored=True)
        self.schema = builder.build()
        folder.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(folder))

    def build(self, courses: Iterable[dict[str, Any]], heap: int = 256_000_000) -> int:
        writer = self.index.writer(heap)
        count = 0
        for course in courses:
            doc = tantivy.Document()
            doc.add_text("id", course["id"])
            for name in TEXT_FIELDS:
                if course.get(name):
                    doc.add_text(name, course[name])
            for name, values in facet_values(course).items():
                for value in values:
                    doc.add_text(f"k_{name}", value)
            for run in course.get("runs") or []:
                start, end = _epoch(run.get("start")), _epoch(run.get("end"))
                doc.add_integer("run_start", start if start is not None else 0)
                doc.add_integer("run_end", end if end is not None else 2**62)
            doc.add_bytes("doc", json.dumps(course, ensure_ascii=False).encode())
            writer.add_document(doc)
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count

    def _filter(self, facet: str, values: Iterable[str], now: int) -> tantivy.Query:
        if facet == "availability":
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, self._availability(v, now)) for v in values])
        return tantivy.Query.term_set_query(self.schema, f"k_{facet}", list(values))

    def _range(self, field: str, low: int | None, high: int | None) -> tantivy.Query:
        return tantivy.Query.range_query(self.schema, field, tantivy.FieldType.Integer, low, high)

    def _availability(self, value: str, now: int) -> tantivy.Query:
        must = tantivy.Occur.Must
        if value == "upcoming":
            return self._range("run_start", now + 1, None)
        if value == "archived":
            return tantivy.Query.boolean_query([(tantivy.Occur.MustNot, self._range("run_end", now, None)),
                                                (must, tantivy.Query.all_query())])
        return tantivy.Query.boolean_query([(must, self._range("run_start", None, now)),
                                            (must, self._range("run_end", now, None))])

    def search(self, q: str, filters: dict[str, tuple[str, ...]], now: int, size: int = 20) -> dict[str, Any]:
        searcher = self.index.searcher()
        text = self.index.parse_query_lenient(q, list(TEXT_FIELDS))[0] if q.strip() else None
        conditions = {facet: self._filter(facet, values, now) for facet, values in filters.items() if values}

        def combined(skip: str | None = None) -> tantivy.Query:
            parts = [(tantivy.Occur.Must, c) for f, c in conditions.items() if f != skip]
            if text is not None:
                parts.append((tantivy.Occur.Must, text))
            return tantivy.Query.boolean_query(parts) if parts else tantivy.Query.all_query()

        matched = combined()
        result = searcher.search(matched, size, count=True)
        snippets = tantivy.SnippetGenerator.create(searcher, text, self.schema, "summary") if text else None
        hits = []
        for score, address in result.hits:
            stored = searcher.doc(address)
            record = json.loads(stored["doc"][0])
            hit = {"course": record, "score": score}
            if snippets is not None:
                hit["highlight"] = snippets.snippet_from_doc(stored).to_html()
            hits.append(hit)
        facets: dict[str, list[tuple[str, int]]] = {}
        by_query: dict[str | None, list[str]] = {}
        for facet in FACETS:
            by_query.setdefault(facet if facet in conditions else None, []).append(facet)
        for skip, names in by_query.items():
            aggs = {name: {"terms": {"field": f"k_{name}", "size": TERMS_SIZE}} for name in names}
            raw = searcher.aggregate(combined(skip), aggs)
            for name in names:
                facets[name] = [(b["key"], int(b["doc_count"])) for b in raw[name]["buckets"]]
        base = combined("availability")
        facets["availability"] = [
            (value, searcher.search(tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, base), (tantivy.Occur.Must, self._availability(value, now))]),
                1, count=True).count) for value in AVAILABILITY]
        return {"total": result.count, "hits": hits, "facets": facets}


def bare_app(bare: BareTantivy, now: int):
    """A FastAPI app that answers /search with BareTantivy's results as JSON: the HTTP floor. It takes the
    same query strings as /api/v1/search (q and repeated facet filters; other parameters are ignored)."""
    import orjson
    from fastapi import FastAPI, Request, Response

    app = FastAPI()

    @app.get("/search")
    def search(request: Request) -> Response:
        q, filters = "", {}
        for key, value in request.query_params.multi_items():
            if key == "q":
                q = value
            elif key in FACETS or key == "availability":
                filters[key] = (*filters.get(key, ()), value)
        return Response(orjson.dumps(bare.search(q, filters, now)), media_type="application/json")
    return app


def bare_export(db: Path, out: TextIO) -> int:
    """Every active course as one JSON line, straight from the store's table."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    count = 0
    for (record,) in connection.execute("SELECT record FROM courses WHERE status = 'active' ORDER BY id"):
        out.write(json.dumps(json.loads(record), ensure_ascii=False) + "\n")
        count += 1
    connection.close()
    return count


def _records(db: Path) -> Iterable[dict[str, Any]]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for (record,) in connection.execute("SELECT record FROM courses WHERE status = 'active'"):
        yield json.loads(record)
    connection.close()


def main(argv: list[str]) -> None:
    """``build STORE FOLDER`` (the bare writer), ``export STORE`` (to stdout), ``serve FOLDER PORT``."""
    import sys
    command, *args = argv
    if command == "build":
        BareTantivy(Path(args[1])).build(_records(Path(args[0])))
    elif command == "export":
        bare_export(Path(args[0]), sys.stdout)
    elif command == "serve":
        import time

        import uvicorn
        uvicorn.run(bare_app(BareTantivy(Path(args[0])), int(time.time())), host="127.0.0.1", port=int(args[1]),
                    log_level="warning")
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
