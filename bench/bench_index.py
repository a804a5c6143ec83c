"""Index benchmark: build time and size, then query latency (p50/p95/p99) for a mix of faceted queries
(full-text match, top 20 by relevance, counts for every facet — country, language … — as the search
API asks for them), through the SearchIndex interface, for the embedded backend or a cluster.

    python bench/bench_index.py --backend embedded --n 200000
    python bench/bench_index.py --backend osmem --n 20000          # starts an osmem-server
    ELASTICSEARCH_URL=http://localhost:9200 python bench/bench_index.py --backend elasticsearch

The catalogue comes from bench/generate_catalogue.py (``--jsonl`` to reuse a file, else generated in
memory). ``query_mix`` is shared with the API benchmark so that both time the same queries.
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_catalogue import LANGUAGES, PLACES, TOPICS, generate, read_jsonl  # noqa: E402
from indexer.base import SearchQuery  # noqa: E402

NOW = "2026-06-01T00:00:00Z"     # the generator's default anchor
COUNTRIES = ("CN", "FR", "DE", "TH", "JP", "KR", "GB", "IN", "ES", "ID")


def query_mix(count: int = 300, seed: int = 7, now: str = NOW) -> list[tuple[str, SearchQuery]]:
    """(kind, query) pairs: every query asks for the top 20 by relevance and every facet's counts.

    match        words of a topic in one of the 15 languages (one or two words, any script)
    match+filter the same with a country or language filter (facets then ignore their own filter)
    browse       no words: the whole catalogue, sometimes filtered (the landing page)
    """
    rnd = random.Random(seed)
    out: list[tuple[str, SearchQuery]] = []
    for _ in range(count):
        lang = rnd.choice(LANGUAGES)
        topic = rnd.choice(TOPICS[lang])
        words = topic.split()
        if len(words) > 2:
            start = rnd.randrange(len(words) - 1)
            words = words[start:start + 2]
        q = " ".join(words)
        if lang in ("zh", "ja", "ko", "th") and rnd.random() < 0.5 and len(q) > 3:
            start = rnd.randrange(len(q) - 2)
            q = q[start:start + 2]       # a word inside a longer unspaced title
        if rnd.random() < 0.15:
            q += " " + rnd.choice(PLACES[lang]).split()[-1]
        r = rnd.random()
        if r < 0.55:
            out.append(("match", SearchQuery(q=q, now=now)))
        elif r < 0.85:
            filters = ({"country": (rnd.choice(COUNTRIES),)} if rnd.random() < 0.5
                       else {"language": (rnd.choice(LANGUAGES),)})
            if rnd.random() < 0.3:
                filters["availability"] = ("open", "upcoming")
            out.append(("match+filter", SearchQuery(q=q, filters=filters, now=now)))
        else:
            filters = {} if rnd.random() < 0.5 else {"country": (rnd.choice(COUNTRIES),)}
            out.append(("browse", SearchQuery(q="", filters=filters, now=now)))
    return out


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]
    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "mean": statistics.fmean(ordered)}


def time_queries(index, mix: list[tuple[str, SearchQuery]], repeats: int) -> dict[str, dict[str, float]]:
    """Each repeat runs the whole mix (after one warm-up pass); figures are medians over repeats."""
    for _, query in mix[:50]:
        index.search(query)
    per_repeat: list[dict[str, dict[str, float]]] = []
    for _ in range(repeats):
        times: dict[str, list[float]] = {"all": []}
        gc.collect()
        for kind, query in mix:
            started = time.perf_counter()
            index.search(query)
            elapsed = (time.perf_counter() - started) * 1000
            times["all"].append(elapsed)
            times.setdefault(kind, []).append(elapsed)
        per_repeat.append({kind: percentiles(values) for kind, values in times.items()})
    return {kind: {p: statistics.median(r[kind][p] for r in per_repeat) for p in per_repeat[0][kind]}
            for kind in per_repeat[0]}


def open_backend(backend: str, folder: Path, url: str | None):
    if backend == "embedded":
        from indexer.embedded import EmbeddedIndex
        return EmbeddedIndex(folder / "index"), None
    from indexer.elastic import ElasticIndex
    server = None
    if backend == "osmem":
        from osmem_server import OsmemServer
        server = OsmemServer.start(addr="127.0.0.1:0", japanese=False)
        url, client = server.url, "opensearch"
    else:
        client = backend
    if not url:
        raise SystemExit(f"--backend {backend} needs --url (or ELASTICSEARCH_URL / OPENSEARCH_URL)")
    return ElasticIndex(url, client=client, name=f"mooc-bench-{int(time.time())}"), server


def main(argv: list[str] | None = None) -> dict[str, Any]:
    import os
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("embedded", "osmem", "opensearch", "elasticsearch"), default="embedded")
    parser.add_argument("--n", type=int, default=200_000, help="courses")
    parser.add_argument("--jsonl", type=Path, help="read the catalogue from this file (its first --n lines)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--url", help="cluster URL (default: ELASTICSEARCH_URL or OPENSEARCH_URL)")
    parser.add_argument("--keep", type=Path, help="embedded: build the index in this folder and keep it")
    parser.add_argument("--reuse", action="store_true", help="embedded: time the queries on the --keep index")
    args = parser.parse_args(argv)
    url = args.url or os.environ.get("ELASTICSEARCH_URL" if args.backend == "elasticsearch" else "OPENSEARCH_URL")

    if args.reuse and args.backend == "embedded" and args.keep:
        courses = []
    elif args.jsonl:
        courses = [c for _, c in zip(range(args.n), read_jsonl(args.jsonl), strict=False)]
    else:
        courses = list(generate(args.n, args.seed, date.fromisoformat(NOW[:10])))
    with tempfile.TemporaryDirectory(prefix="mooc-bench-") as tmp:
        folder = args.keep or Path(tmp)
        index, server = open_backend(args.backend, folder, url)
        try:
            started = time.perf_counter()
            stats = index.stats() if not courses else index.rebuild(courses, max_change=1.0)
            build = time.perf_counter() - started
            del courses
            print(f"backend {args.backend}: {stats.documents} courses indexed in {build:.1f} s "
                  f"({stats.documents / build:,.0f}/s), index size "
                  f"{(stats.size_bytes or 0) / 1e6:,.1f} MB")
            mix = query_mix(args.queries)
            figures = time_queries(index, mix, args.repeats)
            print(f"query latency, ms (median of {args.repeats} runs of {len(mix)} queries, each with "
                  f"top 20 and every facet's counts):")
            print(f"  {'kind':<13} {'n':>4} {'p50':>8} {'p95':>8} {'p99':>8} {'mean':>8}")
            counts = {"all": len(mix)}
            for kind, _ in mix:
                counts[kind] = counts.get(kind, 0) + 1
            for kind, f in figures.items():
                print(f"  {kind:<13} {counts[kind]:>4} {f['p50']:>8.2f} {f['p95']:>8.2f} {f['p99']:>8.2f} "
                      f"{f['mean']:>8.2f}")
            return {"build_seconds": build, "documents": stats.documents, "size_bytes": stats.size_bytes,
                    "latency_ms": figures}
        finally:
            if args.backend != "embedded":
                for target in index.client.alias_targets(index.alias):
                    index.client.delete_index(target)
            index.close()
            if server is not None:
                server.close()


if __name__ == "__main__":
    main()
