"""The embedded backend: Tantivy (tantivy-py) in a directory next to the store, no server.

Layout: ``<dir>/CURRENT`` names the live generation ``<dir>/gen-NNNN/`` (a Tantivy index);
``rebuild`` writes the next generation and swaps ``CURRENT`` atomically (``os.replace``); other
processes notice the swap, and each other's commits, on their next call.

Text: every course is indexed in language-neutral fields (``*_std``: lower-cased, accents folded, no
stemming), in stemmed fields for each of its languages that has a Snowball stemmer (``t_french``…),
and in bigram fields (``*_ng``) built from the runs of scripts without spaces (Chinese, Japanese,
Thai, Lao, Khmer, Myanmar, Hangul), so that a word is found inside a title by a phrase of its
bigrams. Organization and instructor names go to ``who`` (not stemmed). A query word is looked up in
every field (best field wins, ``disjunction_max``); words must all match up to two, three quarters
beyond.

Runs, queried relative to the query's ``now`` (definitions in ``indexer.common``):
- the date filter is one range query over the multi-valued ``run_start`` field, whose values are
  matched one by one: both bounds hold for one and the same run start, never for two runs;
- upcoming: ``last_start > now``; archived: ``last_end < now`` (a run without an end counts as never
  ending); open, upcoming or self-paced (the relevance bonus): ``avail_until >= now`` — one
  single-valued column each;
- open and self-paced ask whether ``now`` lies inside one run's [start, end]. Filter: each run's
  interval is indexed as its dyadic decomposition over minutes (tokens like ``"5_1234"`` = minutes
  [1234·2⁵, 1235·2⁵)); the 29 blocks holding ``now`` make one term-set query — exact for any number
  of runs, to the minute. Counts: over the matches of a text query, the course's merged periods in
  three from/to column pairs, counted by nested range aggregations (``now`` lies in one period at
  most); courses with more periods hold their blocks in ``av_*_many`` too, counted there apart;
- sort by start date: the key is the earliest start among the runs not ended; the three
  latest-starting runs are kept in slots (s0/e0 … s2/e2), the matches are split by which slot is the
  first not ended, each part is sorted on its slot's start, the parts are merged; courses without
  such a run follow, by id.

Facets: one aggregation request (Tantivy's Elasticsearch-like JSON) over the text and date query:
``terms`` over one single-valued column per facet (``k_language`` = "en|fr": the values of a course
joined, split again when counting), under a ``filter`` aggregation with the other facets' filters
where some are set, so that a facet's counts ignore its own filter.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tantivy
from tantivy import FieldType, Occur, Order, Query

from indexer.base import FACETS, Hit, IndexStats, RebuildRefused, SearchQuery, SearchResult
from indexer.common import (
    WORD,
    ParsedQuery,
    bigrams,
    decode_cursor,
    encode_cursor,
    facet_values,
    fingerprint,
    highlight_html,
    ngram_text,
    nospace_runs,
    parse_user_query,
    query_now,
    required_terms,
    run_times,
    start_bounds,
    to_epoch,
)

# ISO 639-1 → Snowball stemmer in tantivy (rust-stemmers).
STEMMERS = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english", "es": "spanish",
    "fi": "finnish", "fr": "french", "hu": "hungarian", "it": "italian", "nb": "norwegian", "nl": "dutch",
    "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish",
}
STEM_NAMES = tuple(sorted(set(STEMMERS.values())))
FACET_FIELDS = tuple(f for f in FACETS if f != "availability")   # field name == facet name
AVAILABILITY = ("open", "upcoming", "self_paced", "archived")
TERMS_SIZE = 100_000       # more buckets than any facet has value combinations: exact counts
AVAILABLE_BOOST = 1.5      # added to the text score of a course open, upcoming or self-paced now
SLOTS = 3                  # runs kept for the start-date sort
COUNT_SLOTS = 3            # open (self-paced) periods counted by range aggregations; more: flag "many"
MINUTE_BITS = 28           # dyadic availability blocks: minutes since 1970, up to year 2480
MAX_MINUTE = (1 << MINUTE_BITS) - 1
TITLE_BOOST, BODY_BOOST, WHO_BOOST = 3.0, 1.0, 1.5
FOREVER = 1 << 62          # the end of a run without an end


def _analyzer(*filters: tantivy.Filter, tokenizer: tantivy.Tokenizer | None = None) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tokenizer or tantivy.Tokenizer.simple())
    for f in filters:
        builder = builder.filter(f)
    return builder.build()


ANALYZERS: dict[str, tantivy.TextAnalyzer] = {
    "folded": _analyzer(tantivy.Filter.remove_long(40), tantivy.Filter.lowercase(), tantivy.Filter.ascii_fold()),
    **{f"stem_{name}": _analyzer(tantivy.Filter.remove_long(40), tantivy.Filter.lowercase(),
                                 tantivy.Filter.stemmer(name)) for name in STEM_NAMES},
}

# (field, analyzer, boost) of the word fields; the bigram fields are handled apart.
TITLE_FIELDS = [("t_std", "folded", TITLE_BOOST)] + [(f"t_{n}", f"stem_{n}", TITLE_BOOST) for n in STEM_NAMES]
BODY_FIELDS = [("b_std", "folded", BODY_BOOST)] + [(f"b_{n}", f"stem_{n}", BODY_BOOST) for n in STEM_NAMES]
WORD_FIELDS = TITLE_FIELDS + BODY_FIELDS + [("who", "folded", WHO_BOOST)]
NGRAM_FIELDS = [("t_ng", TITLE_BOOST), ("b_ng", BODY_BOOST)]


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    sb.add_text_field("idhash", tokenizer_name="raw")
    sb.add_bytes_field("rec", stored=True)
    for name in FACET_FIELDS:
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")       # filters
        sb.add_text_field(f"k_{name}", fast=True, tokenizer_name="raw", index_option="basic")  # counts
    for name, analyzer, _ in WORD_FIELDS:
        sb.add_text_field(name, tokenizer_name=analyzer)
    for name, _ in NGRAM_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace")
    for name in ("av_open", "av_self", "av_open_many", "av_self_many"):
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="basic")
    for name in ("run_start", "first_seen", "last_start", "last_end", "avail_until",
                 *(f"{k}{i}" for i in range(SLOTS) for k in "se"),
                 *(f"{k}{i}" for i in range(COUNT_SLOTS) for k in ("of", "ot", "pf", "pt"))):
        sb.add_integer_field(name, indexed=True, fast=True)
    return sb.build()


# --- runs → availability tokens and sort slots ----------------------------------------------------

def dyadic_tokens(lo: int, hi: int) -> list[str]:
    """Minutes [lo, hi] (inclusive) → the fewest aligned power-of-two blocks covering them."""
    tokens, lo, hi, level = [], max(0, lo), min(MAX_MINUTE, hi) + 1, 0
    while lo < hi:
        if lo & 1:
            tokens.append(f"{level}_{lo}")
            lo += 1
        if hi & 1:
            hi -= 1
            tokens.append(f"{level}_{hi}")
        lo, hi, level = lo >> 1, hi >> 1, level + 1
    return tokens


def point_tokens(minute: int) -> list[str]:
    minute = min(max(minute, 0), MAX_MINUTE)
    return [f"{level}_{minute >> level}" for level in range(MINUTE_BITS + 1)]


def _minute(ts: int | None, default: int) -> int:
    return default if ts is None else ts // 60


def periods(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching intervals merged: the disjoint periods they cover."""
    out: list[list[int]] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def run_fields(course: dict[str, Any]) -> dict[str, Any]:
    runs = run_times(course)
    out: dict[str, Any] = {}
    open_tokens: set[str] = set()
    self_tokens: set[str] = set()
    for r in runs:
        if r.start is not None:
            open_tokens.update(dyadic_tokens(_minute(r.start, 0), _minute(r.end, MAX_MINUTE)))
        if r.self_paced:
            self_tokens.update(dyadic_tokens(_minute(r.start, 0), _minute(r.end, MAX_MINUTE)))
    starts = sorted({r.start for r in runs if r.start is not None})
    if starts:
        out["run_start"] = starts
    # Single-valued and always present (fast columns without gaps count fastest):
    # upcoming <=> last_start > now; archived <=> last_end < now;
    # open, upcoming or self-paced <=> avail_until >= now (a dated or self-paced run has not ended;
    # runs end after they start).
    out["last_start"] = starts[-1] if starts else -FOREVER
    out["last_end"] = max(FOREVER if r.end is None else r.end for r in runs) if runs else FOREVER
    out["avail_until"] = max((FOREVER if r.end is None else r.end for r in runs
                              if r.start is not None or r.self_paced), default=-FOREVER)
    dated = sorted((r for r in runs if r.start is not None), key=lambda r: r.start)[-SLOTS:]
    for i, r in enumerate(dated):
        out[f"s{i}"] = r.start
        out[f"e{i}"] = r.end if r.end is not None else FOREVER
    # Counting open and self-paced courses: their periods in minutes, in slots (of0/ot0 … from/to);
    # now is inside one of them at most. Courses with more periods than slots: flag "many", counted apart.
    open_periods = periods([(_minute(r.start, 0), _minute(r.end, MAX_MINUTE)) for r in runs if r.start is not None])
    self_periods = periods([(_minute(r.start, 0), _minute(r.end, MAX_MINUTE)) for r in runs if r.self_paced])
    many = len(open_periods) > COUNT_SLOTS or len(self_periods) > COUNT_SLOTS
    for kind, found in (("o", open_periods), ("p", self_periods)):
        for i in range(COUNT_SLOTS):
            lo, hi = found[i] if not many and i < len(found) else (FOREVER, -FOREVER)
            out[f"{kind}f{i}"], out[f"{kind}t{i}"] = lo, hi
    if open_tokens:
        out["av_open"] = " ".join(sorted(open_tokens))
    if self_tokens:
        out["av_self"] = " ".join(sorted(self_tokens))
    if many:   # the same blocks in fields only these few courses have: cheap to count
        out["av_open_many"], out["av_self_many"] = out.get("av_open", ""), out.get("av_self", "")
    return out


def document(course: dict[str, Any]) -> tantivy.Document:
    title = course.get("title") or ""
    body = "\n".join(filter(None, [course.get("summary"), course.get("description"),
                                   *(course.get("subjects") or []), *(course.get("keywords") or [])]))
    who = "\n".join([*(o.get("name", "") for o in course.get("organizations") or [] if isinstance(o, dict)),
                     *(course.get("instructors") or [])])
    fields: dict[str, Any] = {
        "id": course["id"],
        "idhash": f"{course['id']}\x00{course.get('content_hash') or ''}",
        "rec": json.dumps(course, ensure_ascii=False, separators=(",", ":")).encode(),
        "t_std": title, "b_std": body, "who": who,
        "first_seen": to_epoch(course.get("first_seen")) or 0,
    }
    for name, values in facet_values(course).items():
        if values:
            fields[name] = values
        # one value per course, always there: a single-valued fast column counts fastest
        fields[f"k_{name}"] = "|".join(sorted(values)) or "-"
    for stem in {STEMMERS[lang] for lang in course.get("languages") or [] if lang in STEMMERS}:
        fields[f"t_{stem}"] = title
        fields[f"b_{stem}"] = body
    if ng := ngram_text(title):
        fields["t_ng"] = ng
    if ng := ngram_text(course.get("summary")):
        fields["b_ng"] = ng
    fields.update(run_fields(course))
    return tantivy.Document(**{k: v for k, v in fields.items() if v != "" and v != []})


# --- query strings for filter aggregations --------------------------------------------------------

class StaleIndex(RuntimeError):
    """The index directory holds an index of another schema (an older indexer): rebuild it."""


def _qs_terms(field: str, values: Iterable[str]) -> str:
    quoted = " ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return f"{field}:IN [{quoted}]"


class EmbeddedIndex:
    """The SearchIndex protocol over a Tantivy index directory (see the module docstring)."""

    def __init__(self, path: str | os.PathLike, *, heap_size: int = 256_000_000, threads: int = 0):
        self.root = Path(path)
        self.root.mkdir(parents=True, exist_ok=True)
        self.heap_size, self.threads = heap_size, threads
        self._lock = threading.RLock()
        self._current_stamp: tuple[int, int] | None = None
        self._meta_stamp: int | None = None
        self._open_current()

    # generations -----------------------------------------------------------------------------
    @property
    def _pointer(self) -> Path:
        return self.root / "CURRENT"

    def _open_generation(self, name: str) -> tantivy.Index:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(build_schema(), path=str(path), reuse=True)
        for analyzer_name, analyzer in ANALYZERS.items():
            index.register_tokenizer(analyzer_name, analyzer)
        return index

    def _open_current(self) -> None:
        with self._lock:
            if not self._pointer.exists():
                self._write_pointer("gen-0001")
            stat = self._pointer.stat()
            self.generation = self._pointer.read_text().strip()
            self._current_stamp = (stat.st_mtime_ns, stat.st_ino)
            self._meta_stamp = None
            self.schema = build_schema()
            try:
                self.index = self._open_generation(self.generation)
                self.stale = None
            except ValueError as exc:
                if "schema does not match" not in str(exc):
                    raise
                self.index = None  # type: ignore[assignment]
                self.stale = (f"the index in {self.root / self.generation} was built by another version "
                              "of the indexer: rebuild it (mooc index --rebuild)")

    def _write_pointer(self, name: str) -> None:
        tmp = self.root / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(name + "\n")
        os.replace(tmp, self._pointer)

    def _fresh(self) -> None:
        """Reopen when another process swapped generations."""
        try:
            stat = self._pointer.stat()
        except FileNotFoundError:
            return
        if (stat.st_mtime_ns, stat.st_ino) != self._current_stamp:
            self._open_current()

    def _live(self) -> tantivy.Index:
        self._fresh()
        if self.index is None:
            raise StaleIndex(self.stale or "index closed")
        return self.index

    def _searcher(self) -> tantivy.Searcher:
        self._live()
        try:   # another process's commit: reload now rather than after the reader's watch delay
            stamp = (self.root / self.generation / "meta.json").stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if stamp != self._meta_stamp:
            self.index.reload()
            self._meta_stamp = stamp
        return self.index.searcher()

    # writing ---------------------------------------------------------------------------------
    def _write(self, index: tantivy.Index, courses: Iterable[dict[str, Any]] = (),
               delete_ids: Iterable[str] = ()) -> int:
        writer = index.writer(self.heap_size, self.threads)
        count = 0
        try:
            for course_id in delete_ids:
                writer.delete_documents_by_term("id", course_id)
                count += 1
            for course in courses:
                writer.delete_documents_by_term("id", course["id"])
                writer.add_document(document(course))
                count += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        index.reload()
        return count

    def upsert(self, courses: Iterable[dict[str, Any]]) -> int:
        with self._lock:
            return self._write(self._live(), courses)

    def delete(self, course_ids: Iterable[str]) -> int:
        ids = list(course_ids)
        with self._lock:
            searcher = self._live().searcher()
            present = [i for i in ids if searcher.doc_freq("id", i) and self._get(searcher, i) is not None]
            self._write(self.index, delete_ids=present)
            return len(present)

    @contextmanager
    def _rebuilding(self) -> Iterator[None]:
        """One rebuild at a time across processes (``flock``: released when its process dies, even by
        SIGKILL). Holding it, any generation but the live one is a leftover of a rebuild that was killed
        before its swap: removed, else each killed rebuild would leave a whole index on disk."""
        with (self.root / "REBUILD.lock").open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RuntimeError(f"another rebuild of {self.root} is running") from None
            for folder in self.root.glob("gen-*"):
                if folder.name != self.generation and folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
            yield

    def rebuild(self, courses: Iterable[dict[str, Any]], max_change: float) -> IndexStats:
        with self._lock:
            self._fresh()
            with self._rebuilding():
                return self._rebuild(courses, max_change)

    def _rebuild(self, courses: Iterable[dict[str, Any]], max_change: float) -> IndexStats:
        if self.index is not None:
            old = self.index.searcher().num_docs
        else:   # built by another version: count with the schema it holds
            old = tantivy.Index.open(str(self.root / self.generation)).searcher().num_docs
        number = max((int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()), default=0)
        name = f"gen-{number + 1:04d}"
        try:
            new_index = self._open_generation(name)
            self._write(new_index, courses)
        except BaseException:
            shutil.rmtree(self.root / name, ignore_errors=True)
            raise
        new = new_index.searcher().num_docs
        if old and abs(new - old) / old > max_change:
            del new_index
            shutil.rmtree(self.root / name, ignore_errors=True)
            raise RebuildRefused(old, new, max_change)
        previous = self.generation
        self._write_pointer(name)
        self._open_current()
        shutil.rmtree(self.root / previous, ignore_errors=True)
        return self.stats()

    # reading ---------------------------------------------------------------------------------
    def _get(self, searcher: tantivy.Searcher, course_id: str) -> dict[str, Any] | None:
        hits = searcher.search(Query.term_query(self.schema, "id", course_id), 1).hits
        if not hits:
            return None
        return json.loads(searcher.doc(hits[0][1])["rec"][0])

    def get(self, course_id: str) -> dict[str, Any] | None:
        return self._get(self._searcher(), course_id)

    def indexed_hashes(self) -> dict[str, str]:
        searcher = self._searcher()
        out = {}
        for term, _ in searcher.terms_with_prefix("idhash", "", filter_query=Query.all_query()):
            course_id, _, content_hash = term.partition("\x00")
            out[course_id] = content_hash
        return out

    def stats(self) -> IndexStats:
        self._fresh()
        if self.index is None:
            folder = self.root / self.generation
            documents = tantivy.Index.open(str(folder)).searcher().num_docs if (folder / "meta.json").exists() else 0
            return IndexStats(documents=documents, size_bytes=None)
        searcher = self._searcher()
        folder = self.root / self.generation
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        return IndexStats(documents=searcher.num_docs, size_bytes=size)

    def close(self) -> None:
        with self._lock:
            self.index = None  # type: ignore[assignment]

    # queries ---------------------------------------------------------------------------------
    def _word_query(self, word: str) -> Query | None:
        """One word or phrase, in any field: the best field's score (plus a little of the others)."""
        clauses = []
        cache: dict[str, list[str]] = {}
        for field, analyzer, boost in WORD_FIELDS:
            tokens = cache.get(analyzer)
            if tokens is None:
                tokens = cache[analyzer] = ANALYZERS[analyzer].analyze(word)
            if not tokens:
                continue
            q = (Query.term_query(self.schema, field, tokens[0]) if len(tokens) == 1
                 else Query.phrase_query(self.schema, field, tokens))
            clauses.append(Query.boost_query(q, boost))
        runs = nospace_runs(word)
        if runs:
            for field, boost in NGRAM_FIELDS:
                parts = [self._ngram_query(field, run) for run in runs]
                q = parts[0] if len(parts) == 1 else Query.boolean_query([(Occur.Must, p) for p in parts])
                clauses.append(Query.boost_query(q, boost))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else Query.disjunction_max_query(clauses, tie_breaker=0.3)

    def _ngram_query(self, field: str, run: str) -> Query:
        if len(run) == 1:   # a single character: any bigram that holds it
            ch = re.escape(run)
            return Query.regex_query(self.schema, field, f"{ch}.?|.{ch}")
        grams = bigrams(run)
        if len(grams) == 1:
            return Query.term_query(self.schema, field, grams[0])
        return Query.phrase_query(self.schema, field, grams)

    def text_query(self, parsed: ParsedQuery) -> Query | None:
        """None: every course (no words to search)."""
        clauses: list[tuple[Occur, Query]] = []
        words = [q for q in (self._word_query(t) for t in parsed.terms) if q is not None]
        phrases = [q for q in (self._word_query(p) for p in parsed.phrases) if q is not None]
        if not parsed.empty and not words and not phrases:
            return Query.empty_query()
        clauses += [(Occur.Should, q) for q in words]
        clauses += [(Occur.Must, q) for q in phrases]
        for excluded in parsed.excluded:
            q = self._word_query(excluded)
            if q is not None:
                clauses.append((Occur.MustNot, q))
        if not clauses:
            return None
        if not words and not phrases:
            clauses.append((Occur.Must, Query.all_query()))
        if len(clauses) == 1 and clauses[0][0] is Occur.Should:
            return clauses[0][1]
        return Query.boolean_query(clauses, minimum_number_should_match=required_terms(len(words)) if words else None)

    def _availability(self, value: str, now: int) -> Query:
        if value == "open":
            return Query.term_set_query(self.schema, "av_open", point_tokens(now // 60))
        if value == "self_paced":
            return Query.term_set_query(self.schema, "av_self", point_tokens(now // 60))
        if value == "upcoming":
            return Query.range_query(self.schema, "last_start", FieldType.Integer, now, FOREVER,
                                     include_lower=False)
        if value == "archived":
            return Query.range_query(self.schema, "last_end", FieldType.Integer, -FOREVER, now,
                                     include_upper=False)
        return Query.empty_query()

    def _availability_qs(self, value: str, now: int) -> str:
        if value in ("open", "self_paced"):
            return _qs_terms("av_open" if value == "open" else "av_self", point_tokens(now // 60))
        if value == "upcoming":
            return f"last_start:>{now}"
        if value == "archived":
            return f"last_end:<{now}"
        return "id:IN []"

    def _filter_query(self, facet: str, values: tuple[str, ...], now: int) -> Query:
        if facet == "availability":
            parts = [self._availability(v, now) for v in values]
            return parts[0] if len(parts) == 1 else Query.boolean_query([(Occur.Should, p) for p in parts])
        return Query.term_set_query(self.schema, facet, list(values))

    def _filter_qs(self, facet: str, values: tuple[str, ...], now: int) -> str:
        if facet == "availability":
            return " OR ".join(f"({self._availability_qs(v, now)})" for v in values)
        return _qs_terms(facet, values)

    def _base_query(self, query: SearchQuery, parsed: ParsedQuery) -> Query | None:
        """Words and the date filter: what every facet count starts from."""
        clauses = []
        text = self.text_query(parsed)
        if text is not None:
            clauses.append((Occur.Must, text))
        lo, hi = start_bounds(query)
        if lo is not None or hi is not None:
            date_range = Query.range_query(self.schema, "run_start", FieldType.Integer,
                                           lo if lo is not None else -FOREVER, hi if hi is not None else FOREVER)
            clauses.append((Occur.Must, Query.const_score_query(date_range, 0.0)))
        if not clauses:
            return None
        return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)

    def search(self, query: SearchQuery) -> SearchResult:
        searcher = self._searcher()
        offset = (max(query.page, 1) - 1) * query.size
        now = None
        if query.cursor:
            payload = decode_cursor(query.cursor, query)
            offset, now = int(payload.get("o", 0)), payload.get("n")
        now = int(now) if now is not None else query_now(query)
        offset = min(offset, searcher.num_docs)   # beyond the last course: an empty page, cheaply
        parsed = parse_user_query(query.q)
        base = self._base_query(query, parsed)
        filters = {f: tuple(v) for f, v in query.filters.items() if f in FACETS and v}
        filter_queries = [Query.const_score_query(self._filter_query(f, v, now), 0.0) for f, v in filters.items()]
        matched = Query.boolean_query([(Occur.Must, q) for q in [base or Query.all_query(), *filter_queries]])
        size = min(max(query.size, 0), max(searcher.num_docs, 1))

        if query.sort == "start_date":
            total, picked = self._by_start(searcher, matched, now, offset, size)
        else:
            if query.sort == "newest":
                result = searcher.search(matched, max(size, 1), count=True, offset=offset,
                                         order_by_field="first_seen", order=Order.Desc)
            elif parsed.empty:
                # no words: every match scores 1, plus the bonus when available now; ordering on the
                # last day a course is available gives the same order (available ones first), faster
                result = searcher.search(matched, max(size, 1), count=True, offset=offset,
                                         order_by_field="avail_until", order=Order.Desc)
            else:
                ranked = Query.boolean_query([
                    (Occur.Must, matched),
                    (Occur.Should, Query.const_score_query(self._available(now), AVAILABLE_BOOST))])
                result = searcher.search(ranked, max(size, 1), count=True, offset=offset)
            total = result.count or 0
            if query.sort == "relevance" and parsed.empty:
                picked = [(1.0 + (AVAILABLE_BOOST if until >= now else 0.0), address)
                          for until, address in result.hits[:size]]
            else:
                picked = [(score if query.sort == "relevance" else None, address)
                          for score, address in result.hits[:size]]

        words = parsed.positive()
        hits = []
        for score, address in picked:
            course = json.loads(searcher.doc(address)["rec"][0])
            hits.append(Hit(course=course, score=score,
                            highlights=self._highlights(course, words) if query.highlight and words else {}))
        facets = self._facets(searcher, base, filters, now, few=not parsed.empty)
        next_offset = offset + len(hits)
        next_cursor = (encode_cursor({"f": fingerprint(query), "o": next_offset, "n": now})
                       if hits and next_offset < total else None)
        return SearchResult(total=total, hits=hits, facets=facets, next_cursor=next_cursor)

    def _available(self, now: int) -> Query:
        """Open, upcoming or self-paced now."""
        return Query.range_query(self.schema, "avail_until", FieldType.Integer, now, FOREVER)

    def _by_start(self, searcher: tantivy.Searcher, matched: Query, now: int, offset: int,
                  size: int) -> tuple[int, list[tuple[float | None, Any]]]:
        """Sort on the earliest start among the runs not ended (module docstring), then the rest by id."""
        def unfinished(i: int) -> Query:
            return Query.range_query(self.schema, f"e{i}", FieldType.Integer, now, FOREVER)

        want = offset + size
        keyed: list[tuple[int, int, int, Any]] = []
        keyed_total = 0
        for i in range(SLOTS):
            part = Query.boolean_query([(Occur.Must, matched), (Occur.Must, unfinished(i))]
                                       + [(Occur.MustNot, unfinished(j)) for j in range(i)])
            result = searcher.search(part, max(want, 1), count=True, order_by_field=f"s{i}", order=Order.Asc)
            keyed_total += result.count or 0
            keyed += [(value, i, rank, address) for rank, (value, address) in enumerate(result.hits)]
        keyed.sort(key=lambda k: k[:3])
        picked = [(None, k[3]) for k in keyed[offset:want]]
        rest = Query.boolean_query([(Occur.Must, matched)] + [(Occur.MustNot, unfinished(i)) for i in range(SLOTS)])
        rest_offset = max(0, offset - keyed_total)
        rest_limit = want - max(offset, keyed_total)
        result = searcher.search(rest, max(rest_limit, 1), count=True, offset=rest_offset,
                                 order_by_field="id", order=Order.Asc)
        if rest_limit > 0:
            picked += [(None, address) for _, address in result.hits[:rest_limit]]
        return keyed_total + (result.count or 0), picked

    def _facets(self, searcher: tantivy.Searcher, base: Query | None, filters: dict[str, tuple[str, ...]],
                now: int, few: bool) -> dict[str, list[tuple[str, int]]]:
        """``few``: the base query is selective (words): count open and self-paced courses over the
        matches (period slots); else with the dyadic blocks over the whole index (a fixed cost)."""
        qs = {f: self._filter_qs(f, v, now) for f, v in filters.items()}

        def others(facet: str) -> str | None:
            parts = [f"({s})" for f, s in qs.items() if f != facet]
            return " AND ".join(parts) if parts else None

        def terms(field: str) -> dict:
            return {"terms": {"field": f"k_{field}", "size": TERMS_SIZE}}

        aggs: dict[str, Any] = {}
        groups: dict[str | None, dict[str, Any]] = {}
        for facet in FACETS:
            sub = groups.setdefault(others(facet), {})
            if facet == "availability":
                # upcoming and archived: single-valued columns, counted over the matches only;
                # open and self-paced: the dyadic blocks holding now
                sub["av:upcoming"] = {"range": {"field": "last_start", "ranges": [{"key": "n", "from": now + 1}]}}
                sub["av:archived"] = {"range": {"field": "last_end", "ranges": [{"key": "n", "to": now}]}}
                minute = now // 60
                for kind, value in (("o", "open"), ("p", "self_paced")):
                    if not few:
                        sub[f"av:{value}"] = {"filter": self._availability_qs(value, now)}
                        continue
                    for i in range(COUNT_SLOTS):
                        sub[f"av:{value}:{i}"] = {
                            "range": {"field": f"{kind}f{i}", "ranges": [{"key": "n", "to": minute + 1}]},
                            "aggs": {"t": {"range": {"field": f"{kind}t{i}", "ranges": [{"key": "n", "from": minute}]}}}}
                    field = "av_open_many" if value == "open" else "av_self_many"
                    sub[f"av:{value}:many"] = {"filter": _qs_terms(field, point_tokens(minute))}
            else:
                sub[facet] = terms(facet)
        for n, (condition, sub) in enumerate(groups.items()):
            if condition is None:
                aggs.update(sub)
            else:
                aggs[f"g{n}"] = {"filter": condition, "aggs": sub}
        raw = searcher.aggregate(base or Query.all_query(), aggs)
        flat: dict[str, Any] = {}
        for key, value in raw.items():
            if key.startswith("g") and key[1:].isdigit():
                flat.update({k: v for k, v in value.items() if k != "doc_count"})
            else:
                flat[key] = value
        out: dict[str, list[tuple[str, int]]] = {}
        for facet in FACET_FIELDS:
            counts: dict[str, int] = {}
            for bucket in flat.get(facet, {}).get("buckets", []):
                if bucket["key"] != "-":
                    for value in str(bucket["key"]).split("|"):
                        counts[value] = counts.get(value, 0) + int(bucket["doc_count"])
            out[facet] = sorted(((v, c) for v, c in counts.items() if c), key=lambda kv: (-kv[1], kv[0]))
        def count(agg: dict[str, Any]) -> int:
            if "buckets" not in agg:
                return int(agg.get("doc_count", 0))
            return sum(count(b["t"]) if "t" in b else int(b["doc_count"])
                       for b in agg["buckets"] if b.get("key") == "n")

        availability = []
        for value in AVAILABILITY:
            parts = [f"av:{value}", *(f"av:{value}:{i}" for i in range(COUNT_SLOTS)), f"av:{value}:many"]
            availability.append((value, sum(count(flat[p]) for p in parts if p in flat)))
        out["availability"] = sorted(((v, c) for v, c in availability if c), key=lambda kv: (-kv[1], kv[0]))
        return out

    # highlights and suggestions --------------------------------------------------------------
    def _highlights(self, course: dict[str, Any], words: tuple[str, ...]) -> dict[str, list[str]]:
        analyzers = ["folded"] + [f"stem_{STEMMERS[lang]}" for lang in course.get("languages") or []
                                  if lang in STEMMERS]
        wanted = {a: {t for w in words for t in ANALYZERS[a].analyze(w)} for a in analyzers}
        runs = [run for w in words for run in nospace_runs(w)]
        out: dict[str, list[str]] = {}
        for field, window in (("title", None), ("summary", 240), ("description", 240)):
            text = course.get(field)
            if not isinstance(text, str) or not text:
                continue
            spans = []
            for a in analyzers:
                if wanted[a]:
                    spans += [(t.char_offset_from, t.char_offset_to)
                              for t in ANALYZERS[a].pre_tokenize(text).tokens if t.text in wanted[a]]
            for run in runs:
                start = text.find(run)
                while start >= 0:
                    spans.append((start, start + len(run)))
                    start = text.find(run, start + 1)
            if spans:
                out[field] = [highlight_html(text, spans, window)]
        return out

    def suggest(self, prefix: str, size: int = 10) -> list[dict[str, str]]:
        prefix = (prefix or "").strip()[:100]
        if not prefix or size <= 0:
            return []
        searcher = self._searcher()
        clauses = []
        latin = " ".join(w for w in WORD.findall(prefix) if not nospace_runs(w))
        tokens = ANALYZERS["folded"].analyze(latin) if latin else []
        if tokens:
            clauses.append(Query.phrase_prefix_query(self.schema, "t_std", tokens))
        for run in nospace_runs(prefix):
            clauses.append(self._ngram_query("t_ng", run))
        if not clauses:
            return []
        q = clauses[0] if len(clauses) == 1 else Query.boolean_query([(Occur.Must, c) for c in clauses])
        hits = searcher.search(q, max(50, size * 5)).hits
        folded_prefix = prefix.casefold()
        ranked = []
        for rank, (score, address) in enumerate(hits):
            course = json.loads(searcher.doc(address)["rec"][0])
            title = course.get("title") or ""
            ranked.append((not title.casefold().startswith(folded_prefix), rank, course["id"], title))
        ranked.sort()
        out, seen = [], set()
        for _, _, course_id, title in ranked:
            if title.casefold() in seen:
                continue
            seen.add(title.casefold())
            out.append({"id": course_id, "title": title})
            if len(out) >= size:
                break
        return out

