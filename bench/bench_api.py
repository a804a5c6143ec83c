"""The search API under load: a generated catalogue (bench/generate_catalogue.py) in a store, `mooc index`,
`mooc serve`, then a mix of faceted queries

1. straight against the engine, in process (the raw engine time of each query),
2. through the API, one client at a time (the same queries: latency and the API / engine ratio),
3. through the API with 8 concurrent clients (separate processes, keep-alive connections): requests per
   second and latency under load.

    python bench/bench_api.py                       # 200,000 courses in var/bench/ (reused when present)
    python bench/bench_api.py --n 20000 --clients 4 --duration 10

Every query asks for the top 20 with highlights and the facet counts of all nine filters. Latencies are
measured by the client (request sent → body read) over HTTP/1.1 on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import generate_catalogue as gen  # noqa: E402

COUNTRIES = ("TH", "KR", "FR", "DE", "CN", "JP", "VN", "ID", "GB", "IT", "ES", "IN", "MY", "PH")
AVAILABILITY = ("open", "upcoming", "self_paced", "archived")


def query_mix(count: int, seed: int = 7) -> list[list[tuple[str, str]]]:
    """Faceted queries as learners make them: words in one of the 15 languages (a topic, a word of it,
    or nothing), and zero to three filters."""
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        pairs: list[tuple[str, str]] = []
        lang = rnd.choice(gen.LANGUAGES)
        kind = rnd.random()
        if kind < 0.45:
            pairs.append(("q", rnd.choice(gen.TOPICS[lang])))
        elif kind < 0.8:
            topic = rnd.choice(gen.TOPICS[lang])
            pairs.append(("q", rnd.choice(topic.split()) if " " in topic else topic[: max(2, len(topic) // 2)]))
        elif kind < 0.9:
            pairs.append(("q", f"{rnd.choice(gen.TOPICS['en'])} {rnd.choice(gen.PLACES['en'])}"))
        facets = ("country", "language", "free", "availability", "isced", "level", "certificate")
        for facet in rnd.sample(facets, rnd.choice((0, 1, 1, 2, 2, 3))):
            value = {"country": lambda: rnd.choice(COUNTRIES), "language": lambda: rnd.choice(gen.LANGUAGES),
                     "free": lambda: rnd.choice(("true", "false")), "availability": lambda: rnd.choice(AVAILABILITY),
                     "isced": lambda: rnd.choice(gen.ISCED), "certificate": lambda: "true",
                     "level": lambda: rnd.choice(("introductory", "intermediate", "advanced"))}[facet]()
            pairs.append((facet, value))
        if rnd.random() < 0.1:
            pairs.append(("sort", rnd.choice(("start_date", "newest"))))
        out.append(pairs)
    return out


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "mean": statistics.fmean(ordered) * 1000}


def mooc(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mooc", *args], cwd=REPO, env=env, check=True,
                          capture_output=True, text=True)


def prepare(workdir: Path, n: int, env: dict[str, str], fresh: bool) -> dict:
    db = workdir / "catalogue.db"
    figures: dict = {}
    if fresh or not db.exists():
        if db.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        gen.write_store(gen.generate(n), db)
        figures["generate_s"] = time.perf_counter() - started
    index_dir = Path(env["MOOC_INDEX_DIR"])
    if fresh or not (index_dir / "CURRENT").exists():
        started = time.perf_counter()
        out = mooc("--db", str(db), "index", "--rebuild", "--max-change", "1", env=env)
        figures["index_s"] = time.perf_counter() - started
        figures["index"] = json.loads(out.stdout.strip().splitlines()[-1])
    return {"db": db, **figures}


def engine_times(queries: list[list[tuple[str, str]]], settings, repeat: int) -> list[float]:
    """Each query straight against the engine, in this process; the best of ``repeat`` tries."""
    from search_api.engine import IndexHandle
    from search_api.params import parse_search

    index = IndexHandle(settings).get()
    parsed = [parse_search(pairs) for pairs in queries]
    for query in parsed[:50]:
        index.search(query)
    times = []
    for query in parsed:
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            index.search(query)
            best = min(best, time.perf_counter() - started)
        times.append(best)
    index.close()
    return times


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def api_times(port: int, paths: list[str], repeat: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in paths[:50]:
        _get(conn, path)
    times = []
    for path in paths:
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            status, body = _get(conn, path)
            best = min(best, time.perf_counter() - started)
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}: {body[:300]!r}")
        times.append(best)
    conn.close()
    return times


def _client(port: int, paths: list[str], offset: int, deadline: float, start_at: float, out) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.time() < start_at:
        time.sleep(0.001)
    latencies, errors, i = [], 0, offset
    while time.time() < deadline:
        started = time.perf_counter()
        status, _ = _get(conn, paths[i % len(paths)])
        latencies.append(time.perf_counter() - started)
        errors += status != 200
        i += 1
    out.put((latencies, errors))


def load(port: int, paths: list[str], clients: int, duration: float) -> dict:
    out: mp.Queue = mp.Queue()
    start_at = time.time() + 1.0
    deadline = start_at + duration
    procs = [mp.Process(target=_client, args=(port, paths, k * len(paths) // clients, deadline, start_at, out))
             for k in range(clients)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = [t for lat, _ in results for t in lat]
    return {"requests": len(latencies), "errors": sum(e for _, e in results),
            "rps": len(latencies) / duration, **percentiles(latencies)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(db: Path, env: dict[str, str], log: Path, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mooc", "--db", str(db), "serve", "--port", str(port),
                                "--workers", str(workers)],
                               cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            status, body = _get(conn, "/api/v1/health")
            conn.close()
            if status == 200:
                return process, port
            raise SystemExit(f"health: {status} {body[:500]!r}")
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"mooc serve exited:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("mooc serve did not start")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="courses in the generated catalogue")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--fresh", action="store_true", help="regenerate the store and rebuild the index")
    parser.add_argument("--queries", type=int, default=500, help="distinct queries in the mix")
    parser.add_argument("--repeat", type=int, default=3, help="tries per query for the engine/API ratio")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of concurrent load")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="`mooc serve --workers` values to load (the first one also for the 1-client run)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MOOC_INDEX": "embedded", "MOOC_INDEX_DIR": str(workdir / "index")}
    env.pop("MOOC_DB", None)
    print(f"catalogue: {args.n} courses in {workdir}", flush=True)
    prepared = prepare(workdir, args.n, env, args.fresh)

    from search_api.settings import Settings
    settings = Settings.from_env(env, db=prepared["db"])
    queries = query_mix(args.queries)
    paths = ["/api/v1/search?" + urlencode(pairs) for pairs in queries]

    print("engine, in process …", flush=True)
    engine = engine_times(queries, settings, args.repeat)
    api: list[float] = []
    loaded: dict[int, dict] = {}
    for workers in args.workers:
        process, port = serve(prepared["db"], env, workdir / f"serve-{workers}.log", workers)
        try:
            if not api:
                print(f"API ({workers} worker), one client …", flush=True)
                api = api_times(port, paths, args.repeat)
            print(f"API ({workers} worker{'s' if workers > 1 else ''}), {args.clients} concurrent clients "
                  f"for {args.duration:.0f} s …", flush=True)
            loaded[workers] = load(port, paths, args.clients, args.duration)
        finally:
            process.terminate()
            process.wait(10)

    ratios = [a / e for a, e in zip(api, engine, strict=False) if e > 0]
    figures = {
        "courses": args.n, "queries": len(queries), "cpus": os.cpu_count(),
        **{k: v for k, v in prepared.items() if k != "db"},
        "engine_ms": percentiles(engine),
        "api_one_client_ms": percentiles(api),
        "api_overhead_ms": {"p50": statistics.median(a - e for a, e in zip(api, engine, strict=False)) * 1000},
        "api_to_engine_ratio": {"median": statistics.median(ratios),
                                "of_means": statistics.fmean(api) / statistics.fmean(engine),
                                "of_p95": percentiles(api)["p95"] / percentiles(engine)["p95"]},
        **{f"api_{args.clients}_clients_{w}_workers": row for w, row in loaded.items()},
    }
    print()
    print(f"{'':32} {'p50':>8} {'p95':>8} {'p99':>8} {'mean':>8}   (ms)   req/s")
    rows = [("engine (in process)", figures["engine_ms"], ""), ("API, 1 client", figures["api_one_client_ms"], "")]
    rows += [(f"API, {args.clients} clients, {w} worker{'s' if w > 1 else ''}", row, f"{row['rps']:.0f}")
             for w, row in loaded.items()]
    for label, row, rps in rows:
        print(f"{label:32} {row['p50']:8.2f} {row['p95']:8.2f} {row['p99']:8.2f} {row['mean']:8.2f}   {rps:>10}")
    errors = sum(row["errors"] for row in loaded.values())
    print(f"\n{sum(row['requests'] for row in loaded.values())} requests under load, {errors} errors")
    ratio = figures["api_to_engine_ratio"]
    print(f"API time / engine time for the same queries: median {ratio['median']:.2f}×, "
          f"of means {ratio['of_means']:.2f}×, of p95 {ratio['of_p95']:.2f}× "
          f"(API overhead p50 {figures['api_overhead_ms']['p50']:.2f} ms)")
    if "index_s" in figures:
        print(f"index build: {figures['index_s']:.1f} s  {json.dumps(figures.get('index'))}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
