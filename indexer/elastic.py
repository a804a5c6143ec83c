"""The Elasticsearch / OpenSearch backend: one code path builds the request bodies, sent through the
``elasticsearch`` client (Elasticsearch deployments) or the ``opensearchpy`` client (OpenSearch, and the
osmem test server), chosen by configuration.

Index: an alias (``MOOC_INDEX_NAME``, default ``mooc-courses``) over one concrete index
``<alias>-<timestamp>``; ``rebuild`` fills a new concrete index and moves the alias in one
``_aliases`` request, refusing when the document count changed by more than ``max_change``.

Mapping: language-neutral text fields (standard tokenizer, lower case, accents folded), per-language
sub-documents ``i18n.<lang>.*`` filled only for the course's languages and analyzed by Elasticsearch's
built-in language analyzers (english, french, … czech, greek, russian, indonesian, thai, cjk; a server
that lacks one, like osmem, gets a stand-in without stemming: see ``ElasticIndex._create``), a bigram
sub-field (``title.ngram``, ``summary.ngram``) for scripts without spaces and Korean compounds, an
edge n-gram sub-field for suggestions (osmem has no completion suggester), keyword fields for the
facets, ``runs`` nested (so that the date filter and availability hold for one and the same run), and
the course record itself in ``record`` (stored, not indexed).

Search: the text and date query in ``query`` (with a constant bonus for courses open, upcoming or
self-paced now), every facet filter in ``post_filter``, and ``filter`` aggregations holding the other
facets' filters above each facet's aggregation (one per set of filters), so that a facet's counts ignore
its own filter. Deep pages: ``search_after`` in an opaque cursor.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from indexer.base import FACETS, Hit, IndexStats, QueryError, RebuildRefused, SearchQuery, SearchResult
from indexer.common import (
    WORD,
    ParsedQuery,
    decode_cursor,
    encode_cursor,
    facet_values,
    fingerprint,
    iso,
    nospace_runs,
    parse_user_query,
    query_now,
    run_times,
    start_bounds,
    to_epoch,
)

log = logging.getLogger(__name__)

DEFAULT_NAME = "mooc-courses"
_MISSING_BY_URL: dict[str, frozenset[str]] = {}
_MISSING_ANALYZER = re.compile(r"analyzer \[([\w-]+)\] has not been configured")
MAX_WINDOW = 10_000
AVAILABLE_BOOST = 1.5
TERMS_SIZE = 1000
BULK_CHUNK = 500
AVAILABILITY = ("open", "upcoming", "self_paced", "archived")

# ISO 639-1 → Elasticsearch's built-in language analyzer.
LANG_ANALYZERS: dict[str, str] = {
    "en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian", "pt": "portuguese",
    "nl": "dutch", "cs": "czech", "el": "greek", "ru": "russian", "id": "indonesian", "th": "thai",
    "zh": "cjk", "ja": "cjk", "ko": "cjk", "da": "danish", "fi": "finnish", "hu": "hungarian", "no": "norwegian",
    "nb": "norwegian", "sv": "swedish", "ro": "romanian", "tr": "turkish", "bg": "bulgarian", "lv": "latvian",
    "lt": "lithuanian", "ga": "irish", "ar": "arabic", "hi": "hindi", "bn": "bengali", "fa": "persian",
}
I18N_FIELDS = ("title", "summary", "description", "tags")
TITLE_BOOST, WHO_BOOST = 3, 1.5
WORD_FIELDS = [f"title^{TITLE_BOOST}", f"i18n.*.title^{TITLE_BOOST}", "summary", "i18n.*.summary", "description",
               "i18n.*.description", "tags", "i18n.*.tags", f"who^{WHO_BOOST}"]
HIGHLIGHT_FIELDS = ("title", "summary", "description")


# --- index settings and mappings -----------------------------------------------------------------

def analysis(missing: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Analyzers of our own (accent folding, edge n-grams, bigrams), and a stand-in for each built-in
    language analyzer the server does not have (``missing``): standard tokenizer, lower case, the
    language's stop words, no stemming."""
    analyzers: dict[str, Any] = {
        "folded": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
        "edge": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding", "edge_1_20"]},
        "bigram": {"type": "custom", "tokenizer": "bigram", "filter": ["lowercase"]},
    }
    filters: dict[str, Any] = {"edge_1_20": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20}}
    for name in sorted(missing):
        filters[f"{name}_stop"] = {"type": "stop", "stopwords": f"_{name}_"}
        analyzers[f"{name}_fallback"] = {"type": "custom", "tokenizer": "standard",
                                         "filter": ["lowercase", f"{name}_stop"]}
    return {"filter": filters, "analyzer": analyzers,
            "tokenizer": {"bigram": {"type": "ngram", "min_gram": 2, "max_gram": 2}}}


def mappings(missing: frozenset[str] = frozenset()) -> dict[str, Any]:
    text = {"type": "text", "analyzer": "folded"}
    bigram = {"ngram": {"type": "text", "analyzer": "bigram"}}
    i18n = {}
    for lang, analyzer in LANG_ANALYZERS.items():
        analyzer = f"{analyzer}_fallback" if analyzer in missing else analyzer
        i18n[lang] = {"properties": {f: {"type": "text", "analyzer": analyzer} for f in I18N_FIELDS}}
    keyword = {"type": "keyword"}
    date = {"type": "date", "format": "strict_date_optional_time||epoch_millis"}
    return {
        "dynamic": False,
        "properties": {
            "id": keyword, "content_hash": keyword,
            **{facet: keyword for facet in FACETS if facet != "availability"},
            "title": {**text, "fields": {**bigram, "edge": {"type": "text", "analyzer": "edge",
                                                            "search_analyzer": "folded"}}},
            "summary": {**text, "fields": bigram},
            "description": text, "tags": text, "who": text,
            "i18n": {"properties": i18n},
            "runs": {"type": "nested", "properties": {"start": date, "end": date, "pacing": keyword,
                                                      "self_paced": {"type": "boolean"}}},
            "first_seen": date,
            "record": {"type": "object", "enabled": False},
        },
    }


def index_body(replicas: int = 0, missing: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {"settings": {"number_of_shards": 1, "number_of_replicas": replicas, "analysis": analysis(missing)},
            "mappings": mappings(missing)}


def es_document(course: dict[str, Any]) -> dict[str, Any]:
    tags = "\n".join([*(course.get("subjects") or []), *(course.get("keywords") or [])])
    who = "\n".join([*(o.get("name", "") for o in course.get("organizations") or [] if isinstance(o, dict)),
                     *(course.get("instructors") or [])])
    texts = {"title": course.get("title") or "", "summary": course.get("summary"),
             "description": course.get("description"), "tags": tags}
    runs = [{"start": iso(r.start) if r.start is not None else None,
             "end": iso(r.end) if r.end is not None else None,
             "self_paced": r.self_paced} for r in run_times(course)]
    for out, raw in zip(runs, [r for r in course.get("runs") or [] if isinstance(r, dict)], strict=False):
        out["pacing"] = raw.get("pacing")
    first_seen = to_epoch(course.get("first_seen"))
    return {
        "id": course["id"], "content_hash": course.get("content_hash"),
        **facet_values(course), **texts, "who": who,
        "i18n": {lang: {k: v for k, v in texts.items() if v} for lang in course.get("languages") or []
                 if lang in LANG_ANALYZERS},
        "runs": runs,
        "first_seen": iso(first_seen) if first_seen is not None else None,
        "record": course,
    }


# --- queries ---------------------------------------------------------------------------------------

def _nested(query: dict[str, Any]) -> dict[str, Any]:
    return {"nested": {"path": "runs", "query": query}}


def _missing(field: str) -> dict[str, Any]:
    return {"bool": {"must_not": {"exists": {"field": field}}}}


def _either(*clauses: dict[str, Any]) -> dict[str, Any]:
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def _not_ended(now: str) -> dict[str, Any]:
    return _either({"range": {"runs.end": {"gte": now}}}, _missing("runs.end"))


def availability_query(value: str, now: str) -> dict[str, Any]:
    """indexer.common's definitions, each within one run (nested)."""
    if value == "open":
        return _nested({"bool": {"filter": [{"range": {"runs.start": {"lte": now}}}, _not_ended(now)]}})
    if value == "upcoming":
        return _nested({"range": {"runs.start": {"gt": now}}})
    if value == "self_paced":
        return _nested({"bool": {"filter": [{"term": {"runs.self_paced": True}},
                                            _either({"range": {"runs.start": {"lte": now}}}, _missing("runs.start")),
                                            _not_ended(now)]}})
    if value == "archived":
        return {"bool": {"filter": [_nested({"match_all": {}})],
                         "must_not": [_nested(_missing("runs.end")), _nested({"range": {"runs.end": {"gte": now}}})]}}
    return {"bool": {"must_not": {"match_all": {}}}}


def available_query(now: str) -> dict[str, Any]:
    """Open, upcoming or self-paced now: a dated or self-paced run that has not ended."""
    return _nested({"bool": {"filter": [_either({"exists": {"field": "runs.start"}},
                                                {"term": {"runs.self_paced": True}}), _not_ended(now)]}})


def filter_clause(facet: str, values: tuple[str, ...], now: str) -> dict[str, Any]:
    if facet == "availability":
        return _either(*(availability_query(v, now) for v in values))
    return {"terms": {facet: list(values)}}


def word_clause(word: str) -> dict[str, Any]:
    """One word or phrase in any field: the best field's score, plus a little of the others."""
    clauses: list[dict[str, Any]] = [{"multi_match": {"query": word, "type": "phrase", "fields": WORD_FIELDS}}]
    runs = nospace_runs(word)
    if runs:
        per_run = []
        for run in runs:
            if len(run) == 1:
                ch = run
                per_run.append({"dis_max": {"queries": [
                    {"regexp": {f"{f}.ngram": {"value": f"{ch}.?|.{ch}", "boost": b}}}
                    for f, b in (("title", TITLE_BOOST), ("summary", 1))]}})
            else:
                per_run.append({"dis_max": {"queries": [
                    {"match_phrase": {"title.ngram": {"query": run, "boost": TITLE_BOOST}}},
                    {"match_phrase": {"summary.ngram": {"query": run}}}]}})
        clauses.append(per_run[0] if len(per_run) == 1 else {"bool": {"must": per_run}})
    return clauses[0] if len(clauses) == 1 else {"dis_max": {"queries": clauses, "tie_breaker": 0.3}}


def text_clause(parsed: ParsedQuery) -> dict[str, Any] | None:
    """None: every course."""
    if parsed.empty and not parsed.excluded:
        return None
    body: dict[str, Any] = {}
    if parsed.terms:
        body["should"] = [word_clause(t) for t in parsed.terms]
        body["minimum_should_match"] = parsed.required()
    if parsed.phrases:
        body["must"] = [word_clause(p) for p in parsed.phrases]
    if parsed.excluded:
        body["must_not"] = [word_clause(e) for e in parsed.excluded]
    if parsed.empty:
        body["must"] = [{"match_all": {}}]
    return {"bool": body}


def search_body(query: SearchQuery, now_ts: int, search_after: list | None, offset: int) -> dict[str, Any]:
    """The whole request body of a search (pure: tests and the benchmark read it)."""
    now = iso(now_ts)
    parsed = parse_user_query(query.q)
    text = text_clause(parsed)
    base: dict[str, Any] = {"must": [text or {"match_all": {}}]}
    lo, hi = start_bounds(query)
    if lo is not None or hi is not None:
        bounds = {k: iso(v) for k, v in (("gte", lo), ("lte", hi)) if v is not None}
        base["filter"] = [_nested({"range": {"runs.start": bounds}})]
    if query.sort == "relevance":
        base["should"] = [{"constant_score": {"filter": available_query(now), "boost": AVAILABLE_BOOST}}]
    filters = {f: tuple(v) for f, v in query.filters.items() if f in FACETS and v}
    clauses = {f: filter_clause(f, v, now) for f, v in filters.items()}
    # Facets whose counts start from the same filters (every facet not filtered on: all of them) share
    # one filter aggregation; a facet filtered on gets its own, without its own filter.
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for facet in FACETS:
        others = tuple(f for f in clauses if f != facet)
        if facet == "availability":
            inner = {"filters": {"filters": {v: availability_query(v, now) for v in AVAILABILITY}}}
        else:
            inner = {"terms": {"field": facet, "size": TERMS_SIZE}}
        groups.setdefault(others, {})[facet] = inner
    aggs: dict[str, Any] = {}
    for n, (others, inner_aggs) in enumerate(groups.items()):
        if others:
            aggs[f"g{n}"] = {"filter": {"bool": {"filter": [clauses[f] for f in others]}}, "aggs": inner_aggs}
        else:
            aggs.update(inner_aggs)
    if query.sort == "newest":
        sort = [{"first_seen": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    elif query.sort == "start_date":
        sort = [{"runs.start": {"order": "asc", "mode": "min", "missing": "_last", "nested": {
            "path": "runs", "filter": {"bool": {"filter": [{"exists": {"field": "runs.start"}},
                                                           _not_ended(now)]}}}}}, {"id": "asc"}]
    else:
        sort = [{"_score": "desc"}, {"id": "asc"}]
    body: dict[str, Any] = {
        "query": {"bool": base}, "aggs": aggs, "sort": sort, "size": query.size,
        "track_total_hits": True, "_source": ["record"],
    }
    if clauses:
        body["post_filter"] = {"bool": {"filter": list(clauses.values())}}
    if search_after is not None:
        body["search_after"] = search_after
    else:
        body["from"] = offset
    if query.highlight and not parsed.empty:
        fields: dict[str, Any] = {}
        for name in HIGHLIGHT_FIELDS:
            options = ({"number_of_fragments": 0} if name != "description"
                       else {"fragment_size": 200, "number_of_fragments": 1})
            for field in (name, f"i18n.*.{name}", *([f"{name}.ngram"] if name != "description" else [])):
                fields[field] = options
        body["highlight"] = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
                             "fields": fields}
    return body


def suggest_body(prefix: str, size: int) -> dict[str, Any] | None:
    must = []
    latin = " ".join(w for w in WORD.findall(prefix) if not nospace_runs(w))
    if latin:
        must.append({"match": {"title.edge": {"query": latin, "operator": "and"}}})
    for run in nospace_runs(prefix):
        must.append({"match_phrase": {"title.ngram": run}} if len(run) > 1
                    else {"regexp": {"title.ngram": f"{run}.?|.{run}"}})
    if not must:
        return None
    return {"query": {"bool": {"must": must}}, "size": size, "_source": ["record.id", "record.title"]}


def _hit_highlights(highlight: dict[str, list[str]]) -> dict[str, list[str]]:
    """title, i18n.fr.title, title.ngram … → title: the fragments with the most marks."""
    best: dict[str, list[str]] = {}
    for field, fragments in highlight.items():
        name = field.split(".")[2] if field.startswith("i18n.") else field.split(".")[0]
        marks = sum(f.count("<mark>") for f in fragments)
        if name not in best or marks > sum(f.count("<mark>") for f in best[name]):
            best[name] = fragments
    return best


# --- clients -----------------------------------------------------------------------------------------

class _Client:
    """The few calls the index makes, through either client library."""

    def __init__(self, kind: str, url: str, timeout: float = 30.0):
        self.kind = kind
        if kind == "opensearch":
            from opensearchpy import OpenSearch
            self.client = OpenSearch(hosts=[url], timeout=timeout)
        elif kind == "elasticsearch":
            from elasticsearch import Elasticsearch
            self.client = Elasticsearch(url, request_timeout=timeout)
        else:
            raise ValueError(f"unknown client {kind!r}: opensearch or elasticsearch")

    @staticmethod
    def _body(response: Any) -> dict[str, Any]:
        return response.body if hasattr(response, "body") else response

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._body(self.client.search(index=index, body=body))

    def bulk(self, operations: list[dict[str, Any]]) -> dict[str, Any]:
        if self.kind == "opensearch":
            return self._body(self.client.bulk(body=operations))
        return self._body(self.client.bulk(operations=operations))

    def get(self, index: str, doc_id: str) -> dict[str, Any] | None:
        try:
            return self._body(self.client.get(index=index, id=doc_id))
        except Exception as exc:  # noqa: BLE001 - both libraries' NotFoundError
            if _status(exc) == 404:
                return None
            raise

    def create_index(self, name: str, body: dict[str, Any]) -> None:
        self.client.indices.create(index=name, body=body)

    def delete_index(self, name: str) -> None:
        try:
            self.client.indices.delete(index=name)
        except Exception as exc:  # noqa: BLE001
            if _status(exc) != 404:
                raise

    def refresh(self, index: str) -> None:
        self.client.indices.refresh(index=index)

    def count(self, index: str) -> int:
        return int(self._body(self.client.count(index=index))["count"])

    def alias_targets(self, alias: str) -> list[str]:
        try:
            return sorted(self._body(self.client.indices.get_alias(name=alias)).keys())
        except Exception as exc:  # noqa: BLE001
            if _status(exc) == 404:
                return []
            raise

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        self.client.indices.update_aliases(body={"actions": actions})

    def size_bytes(self, index: str) -> int | None:
        try:
            stats = self._body(self.client.indices.stats(index=index, metric="store"))
            return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])
        except Exception:  # noqa: BLE001 - a figure, not a failure
            return None

    def close(self) -> None:
        self.client.close()


def _status(exc: Exception) -> int | None:
    status = getattr(exc, "status_code", None)
    if status is None and getattr(exc, "meta", None) is not None:
        status = getattr(exc.meta, "status", None)
    return status if isinstance(status, int) else None


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class ElasticIndex:
    """The SearchIndex protocol over an Elasticsearch or OpenSearch cluster (module docstring)."""

    def __init__(self, url: str, client: str = "elasticsearch", name: str = DEFAULT_NAME, replicas: int = 0):
        self.client = _Client(client, url)
        self.alias = name
        self.replicas = replicas
        self.url = url
        self.missing: frozenset[str] = _MISSING_BY_URL.get(url, frozenset())   # built-ins the server lacks
        self._ready = False

    def _ensure(self) -> None:
        if self._ready:
            return
        if not self.client.alias_targets(self.alias):
            self._create(self._new_name(), with_alias=True)
        self._ready = True

    def _create(self, name: str, with_alias: bool = False) -> None:
        """Create a concrete index; a built-in language analyzer the server lacks (the osmem test
        server has no dutch, czech, greek, indonesian …) is replaced by a stand-in without stemming."""
        while True:
            body = index_body(self.replicas, self.missing)
            if with_alias:
                body["aliases"] = {self.alias: {}}
            try:
                self.client.create_index(name, body)
                return
            except Exception as exc:  # noqa: BLE001 - both libraries' RequestError
                found = _MISSING_ANALYZER.search(str(exc))
                if not found or found.group(1) in self.missing or found.group(1) not in LANG_ANALYZERS.values():
                    raise
                log.warning("%s has no built-in %s analyzer: indexing those texts without stemming",
                            self.alias, found.group(1))
                self.missing = _MISSING_BY_URL[self.url] = self.missing | {found.group(1)}

    def _new_name(self) -> str:
        return f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"

    # writing ---------------------------------------------------------------------------------
    def _bulk(self, index: str, operations: Iterable[tuple[dict[str, Any], dict[str, Any] | None]]) -> dict[str, int]:
        results: dict[str, int] = {}
        for chunk in _chunks(operations, BULK_CHUNK):
            lines: list[dict[str, Any]] = []
            for action, source in chunk:
                lines.append(action)
                if source is not None:
                    lines.append(source)
            response = self.client.bulk(lines)
            for item in response.get("items", []):
                (op, outcome), = item.items()
                if outcome.get("error") and not (op == "delete" and outcome.get("status") == 404):
                    raise RuntimeError(f"bulk {op} of {outcome.get('_id')} failed: {outcome['error']}")
                results[outcome.get("result", "?")] = results.get(outcome.get("result", "?"), 0) + 1
        self.client.refresh(index)
        return results

    def upsert(self, courses: Iterable[dict[str, Any]]) -> int:
        self._ensure()
        results = self._bulk(self.alias, (({"index": {"_index": self.alias, "_id": c["id"]}}, es_document(c))
                                          for c in courses))
        return sum(results.values())

    def delete(self, course_ids: Iterable[str]) -> int:
        self._ensure()
        results = self._bulk(self.alias, (({"delete": {"_index": self.alias, "_id": i}}, None) for i in course_ids))
        return results.get("deleted", 0)

    def rebuild(self, courses: Iterable[dict[str, Any]], max_change: float) -> IndexStats:
        self._ensure()
        old_targets = self.client.alias_targets(self.alias)
        old = self.client.count(self.alias)
        concrete = self._new_name()
        self._create(concrete)
        try:
            self._bulk(concrete, (({"index": {"_index": concrete, "_id": c["id"]}}, es_document(c)) for c in courses))
            new = self.client.count(concrete)
        except BaseException:
            self.client.delete_index(concrete)
            raise
        if old and abs(new - old) / old > max_change:
            self.client.delete_index(concrete)
            raise RebuildRefused(old, new, max_change)
        self.client.update_aliases([*({"remove": {"index": t, "alias": self.alias}} for t in old_targets),
                                    {"add": {"index": concrete, "alias": self.alias}}])
        for target in old_targets:
            self.client.delete_index(target)
        return self.stats()

    # reading ---------------------------------------------------------------------------------
    def get(self, course_id: str) -> dict[str, Any] | None:
        self._ensure()
        found = self.client.get(self.alias, course_id)
        return found["_source"]["record"] if found and found.get("found") else None

    def indexed_hashes(self) -> dict[str, str]:
        self._ensure()
        out: dict[str, str] = {}
        after = None
        while True:
            body: dict[str, Any] = {"size": 5000, "sort": [{"id": "asc"}], "_source": ["id", "content_hash"],
                                    "query": {"match_all": {}}}
            if after is not None:
                body["search_after"] = after
            hits = self.client.search(self.alias, body)["hits"]["hits"]
            for hit in hits:
                out[hit["_source"]["id"]] = hit["_source"].get("content_hash") or ""
            if len(hits) < 5000:
                return out
            after = hits[-1]["sort"]

    def stats(self) -> IndexStats:
        self._ensure()
        return IndexStats(documents=self.client.count(self.alias), size_bytes=self.client.size_bytes(self.alias))

    def close(self) -> None:
        self.client.close()

    def search(self, query: SearchQuery) -> SearchResult:
        self._ensure()
        offset = (max(query.page, 1) - 1) * query.size
        search_after = now = None
        if query.cursor:
            payload = decode_cursor(query.cursor, query)
            search_after, now, offset = payload.get("sa"), payload.get("n"), int(payload.get("o", 0))
        elif offset + query.size > MAX_WINDOW:
            raise QueryError("page", f"page × size beyond {MAX_WINDOW}: use the cursor")
        now = int(now) if now is not None else query_now(query)
        body = search_body(query, now, search_after, offset)
        response = self.client.search(self.alias, body)
        raw_hits = response["hits"]["hits"]
        hits = [Hit(course=h["_source"]["record"], score=h.get("_score") if query.sort == "relevance" else None,
                    highlights=_hit_highlights(h.get("highlight") or {})) for h in raw_hits]
        total = int(response["hits"]["total"]["value"])
        facets: dict[str, list[tuple[str, int]]] = {}
        aggs: dict[str, Any] = {}
        for key, value in response.get("aggregations", {}).items():
            if key in FACETS:
                aggs[key] = value
            else:
                aggs.update({k: v for k, v in value.items() if k in FACETS})
        for facet in FACETS:
            inner = aggs.get(facet, {})
            if facet == "availability":
                pairs = [(v, int(b["doc_count"])) for v, b in inner.get("buckets", {}).items()]
            else:
                pairs = [(str(b.get("key_as_string", b["key"])), int(b["doc_count"])) for b in inner.get("buckets", [])]
            facets[facet] = sorted(((v, c) for v, c in pairs if c), key=lambda kv: (-kv[1], kv[0]))
        next_offset = offset + len(hits)
        next_cursor = None
        if raw_hits and next_offset < total:
            next_cursor = encode_cursor({"f": fingerprint(query), "sa": raw_hits[-1]["sort"], "n": now,
                                         "o": next_offset})
        return SearchResult(total=total, hits=hits, facets=facets, next_cursor=next_cursor)

    def suggest(self, prefix: str, size: int = 10) -> list[dict[str, str]]:
        prefix = (prefix or "").strip()[:100]
        body = suggest_body(prefix, max(50, size * 5)) if prefix and size > 0 else None
        if body is None:
            return []
        self._ensure()
        hits = self.client.search(self.alias, body)["hits"]["hits"]
        folded = prefix.casefold()
        ranked = sorted(((not h["_source"]["record"]["title"].casefold().startswith(folded), rank,
                          h["_source"]["record"]["id"], h["_source"]["record"]["title"])
                         for rank, h in enumerate(hits)))
        out, seen = [], set()
        for _, _, course_id, title in ranked:
            if title.casefold() not in seen:
                seen.add(title.casefold())
                out.append({"id": course_id, "title": title})
            if len(out) >= size:
                break
        return out
