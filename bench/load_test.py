"""Load test on 127.0.0.1: 32 concurrent clients for 60 s of mixed requests against `mooc serve` (embedded
index, 200,000 generated courses, rate limit off) while `mooc crawl` of the Open edX fixture platform
writes to the same store in a loop, each crawl followed by an incremental `mooc index`.

    python bench/load_test.py                        # 200,000 courses, 32 clients, 60 s
    python bench/load_test.py --n 20000 --clients 8 --duration 15
    python bench/load_test.py --source /tmp/apidev/bench200k     # copy a prebuilt store + index from there
    python bench/load_test.py --workers 2 --no-crawl

The mix (per request): 45 % searches from bench_api.query_mix (words in 15 languages, 0-3 filters, all
nine facets counted), 10 % the same search's next page (page 2-5, or its next_cursor), 15 % suggestions
(a prefix of a title word), 15 % a course record (/api/v1/courses/{id}), 5 % a course page (HTML),
10 % the search page (HTML). Latency is measured by the client (request sent → body read), over
keep-alive HTTP/1.1. Every answer must be a 200: anything else, a timeout or a broken connection is an
error. Bounded: the clients stop at the deadline, the crawl/index loop too, every process is ended.
Prints a table and the figures as JSON (also written to ``--json``).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from bench import generate_catalogue as gen  # noqa: E402
from bench.bench_api import query_mix  # noqa: E402

MOOC = [sys.executable, "-m", "mooc"]
KINDS = (("search", 45), ("next_page", 10), ("suggest", 15), ("course", 15), ("course_page", 5), ("search_page", 10))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0, "mean": 0.0}
    ordered = sorted(values)

    def at(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000, 2)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": round(ordered[-1] * 1000, 2),
            "mean": round(statistics.fmean(ordered) * 1000, 2)}


# --- the catalogue ----------------------------------------------------------------------------------

def store_count(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM courses WHERE status = 'active'").fetchone()[0]
    finally:
        conn.close()


def schema_of(db: Path) -> dict[str, set[str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: {r[1] for r in conn.execute(f"PRAGMA table_info('{t}')")} for t in tables}
    finally:
        conn.close()


def store_usable(db: Path, expected: int) -> bool:
    """``expected`` active courses, in the tables and columns the current store code creates."""
    import tempfile

    from harvester.store import Store
    if not db.is_file() or store_count(db) != expected:
        return False
    with tempfile.TemporaryDirectory() as folder:
        Store(Path(folder) / "fresh.db").close()
        return schema_of(Path(folder) / "fresh.db") == schema_of(db)


def index_usable(index_dir: Path, expected: int) -> bool:
    from indexer.embedded import EmbeddedIndex
    if not (index_dir / "CURRENT").exists():
        return False
    index = EmbeddedIndex(index_dir)
    try:
        return index.stale is None and index.stats().documents == expected
    finally:
        index.close()


def prepare(workdir: Path, n: int, source: Path | None, env: dict[str, str]) -> dict[str, Any]:
    """A store of ``n`` generated courses and its index in ``workdir`` (written to by the run), copied from
    a pristine pair: ``source`` when usable, else ``workdir/pristine`` (generated and indexed when missing)."""
    db, index_dir = workdir / "catalogue.db", workdir / "index"
    pristine = workdir / "pristine"
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    if source and store_usable(source / "catalogue.db", n) and index_usable(source / "index", n):
        origin = source
    elif store_usable(pristine / "catalogue.db", n) and index_usable(pristine / "index", n):
        origin = pristine
    else:
        shutil.rmtree(pristine, ignore_errors=True)
        pristine.mkdir(parents=True)
        gen.write_store(gen.generate(n), pristine / "catalogue.db")
        out = subprocess.run([*MOOC, "--db", str(pristine / "catalogue.db"), "index", "--rebuild", "--max-change", "1"],
                             cwd=REPO, env={**env, "MOOC_INDEX_DIR": str(pristine / "index")}, capture_output=True,
                             text=True, check=True)
        figures["generated"] = json.loads(out.stdout.strip().splitlines()[-1])
        origin = pristine
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    src = sqlite3.connect(f"file:{origin / 'catalogue.db'}?mode=ro", uri=True)
    dst = sqlite3.connect(db)
    src.backup(dst)
    dst.close()
    src.close()
    shutil.copytree(origin / "index", index_dir)
    figures["prepared"] = f"copied from {origin}"
    figures["prepare_s"] = round(time.perf_counter() - started, 1)
    return {"db": db, "index_dir": index_dir, **figures}


# --- the writers: crawl + incremental index in a loop ------------------------------------------------

class CrawlLoop(threading.Thread):
    def __init__(self, db: Path, registry: Path, env: dict[str, str], deadline: float, log: Path):
        super().__init__(daemon=True)
        self.db, self.registry, self.env, self.deadline, self.log = db, registry, env, deadline, log
        self.runs: list[dict[str, Any]] = []
        self.process: subprocess.Popen | None = None

    def _run(self, *args: str) -> tuple[int, float, str]:
        started = time.perf_counter()
        with self.log.open("a") as log:
            self.process = subprocess.Popen([*MOOC, "--db", str(self.db), "--registry", str(self.registry), *args],
                                            cwd=REPO, env=self.env, stdout=subprocess.PIPE, stderr=log, text=True)
            out, _ = self.process.communicate(timeout=600)
        return self.process.returncode, time.perf_counter() - started, out

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            code, seconds, _ = self._run("crawl", "--platform", "loadmooc")
            self.runs.append({"step": "crawl", "exit": code, "seconds": round(seconds, 2)})
            if time.monotonic() >= self.deadline:
                break
            code, seconds, out = self._run("index")
            figures = json.loads(out.strip().splitlines()[-1]) if code == 0 and out.strip() else {}
            self.runs.append({"step": "index", "exit": code, "seconds": round(seconds, 2),
                              **{k: figures.get(k) for k in ("new", "updated", "deleted", "documents")}})

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()


# --- the clients ----------------------------------------------------------------------------------

def request_mix(db: Path, count: int, seed: int) -> list[tuple[str, str, str | None]]:
    """(kind, path, follow) triples; ``follow``: for next_page, the first page's path whose next_cursor to use."""
    rnd = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        sample = conn.execute("SELECT id, json_extract(record, '$.title') FROM courses WHERE status = 'active' "
                              "ORDER BY random() LIMIT 2000").fetchall()
    finally:
        conn.close()
    searches = ["/api/v1/search?" + urlencode(pairs) for pairs in query_mix(500, seed)]
    kinds = [k for k, weight in KINDS for _ in range(weight)]
    out: list[tuple[str, str, str | None]] = []
    for _ in range(count):
        kind = rnd.choice(kinds)
        if kind == "search":
            out.append((kind, rnd.choice(searches), None))
        elif kind == "next_page":
            first = rnd.choice(searches)
            if rnd.random() < 0.5:
                out.append((kind, first, first))          # follow its next_cursor
            else:
                out.append((kind, f"{first}&page={rnd.randint(2, 5)}", None))
        elif kind == "suggest":
            words = (rnd.choice(sample)[1] or "a").split()
            word = rnd.choice(words)
            out.append((kind, "/api/v1/suggest?" + urlencode({"q": word[: max(1, min(len(word), rnd.randint(1, 6)))]}),
                        None))
        elif kind == "course":
            out.append((kind, "/api/v1/courses/" + _quote(rnd.choice(sample)[0]), None))
        elif kind == "course_page":
            out.append((kind, "/courses/" + _quote(rnd.choice(sample)[0]), None))
        else:
            pairs = query_mix(1, rnd.randrange(1 << 30))[0]
            out.append((kind, "/?" + urlencode(pairs), None))
    return out


def _quote(course_id: str) -> str:
    from urllib.parse import quote
    return quote(course_id, safe=":+")


async def client(http: httpx.AsyncClient, mix: list, offset: int, deadline: float, results: dict) -> None:
    i = offset
    while time.monotonic() < deadline:
        kind, path, follow = mix[i % len(mix)]
        i += 1
        started = time.perf_counter()
        try:
            if follow:
                first = await http.get(follow)
                cursor = first.json().get("next_cursor") if first.status_code == 200 else None
                path = f"{follow}&{urlencode({'cursor': cursor})}" if cursor else f"{follow}&page=2"
                started = time.perf_counter()
            response = await http.get(path)
            await response.aread()
            ok = response.status_code == 200
            detail = None if ok else f"{response.status_code} {path[:120]} {response.text[:200]}"
        except httpx.HTTPError as exc:
            ok, detail = False, f"{type(exc).__name__} {path[:120]}"
        elapsed = time.perf_counter() - started
        results["latency"][kind].append(elapsed)
        if not ok:
            results["errors"].append(detail)


async def load(base: str, mix: list, clients: int, duration: float) -> dict[str, Any]:
    results: dict[str, Any] = {"latency": defaultdict(list), "errors": []}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        started = time.monotonic()
        deadline = started + duration
        await asyncio.gather(*(client(http, mix, k * len(mix) // clients, deadline, results)
                               for k in range(clients)))
        elapsed = time.monotonic() - started
    results["elapsed"] = elapsed
    return results


# --- main --------------------------------------------------------------------------------------------

def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the process exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="generated courses")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=1, help="`mooc serve --workers`")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "load")
    parser.add_argument("--source", type=Path, default=None,
                        help="copy the store and index from here when they hold --n courses in the current "
                             "schema (else from WORKDIR/pristine, generated and indexed when missing)")
    parser.add_argument("--no-crawl", action="store_true", help="no crawl/index loop during the load")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MOOC_INDEX": "embedded", "MOOC_INDEX_DIR": str(workdir / "index"), "MOOC_RATE_LIMIT": "0",
           "MOOC_ALLOW_PRIVATE_HOSTS": "127.0.0.1", "MOOC_DOWNLOAD_DELAY": "0", "MOOC_RETRY_BACKOFF_BASE": "0.05"}
    for name in ("MOOC_DB", "MOOC_REGISTRY", "MOOC_INDEX_NAME"):
        env.pop(name, None)
    print(f"catalogue: {args.n} courses in {workdir} …", flush=True)
    prepared = prepare(workdir, args.n, args.source, env)
    db = prepared["db"]
    print(f"  {prepared['prepared']} ({prepared['prepare_s']} s)", flush=True)

    processes: list[subprocess.Popen] = []
    loop: CrawlLoop | None = None
    try:
        site_port, api_port = free_port(), free_port()
        site_log, serve_log = workdir / "site.log", workdir / "serve.log"
        processes.append(subprocess.Popen([sys.executable, "-m", "tests.fixture_sites.server", "openedx", "--port",
                                           str(site_port)], cwd=REPO, stdout=site_log.open("w"),
                                          stderr=subprocess.STDOUT))
        site = f"http://127.0.0.1:{site_port}"
        registry = workdir / "registry.yaml"
        registry.write_text(json.dumps({"platforms": [{
            "id": "loadmooc", "name": "Load MOOC", "country": "TH", "family": "openedx", "url": site,
            "languages": ["th", "en"]}]}), encoding="utf-8")
        processes.append(subprocess.Popen([*MOOC, "--db", str(db), "--registry", str(registry), "serve", "--port",
                                           str(api_port), "--workers", str(args.workers)], cwd=REPO, env=env,
                                          stdout=serve_log.open("w"), stderr=subprocess.STDOUT))
        base = f"http://127.0.0.1:{api_port}"
        wait_for(site + "/robots.txt", processes[0], site_log)
        wait_for(base + "/api/v1/health", processes[1], serve_log)
        mix = request_mix(db, 20_000, args.seed)
        print("warm-up …", flush=True)
        asyncio.run(load(base, mix, 4, 3.0))
        deadline = time.monotonic() + args.duration
        if not args.no_crawl:
            loop = CrawlLoop(db, registry, env, deadline, workdir / "writers.log")
            loop.start()
        print(f"{args.clients} clients for {args.duration:.0f} s"
              f"{'' if args.no_crawl else ' while mooc crawl + mooc index write'} …", flush=True)
        results = asyncio.run(load(base, mix, args.clients, args.duration))
        if loop:
            loop.join(timeout=600)
        health = httpx.get(base + "/api/v1/health", timeout=30).json()
    finally:
        if loop:
            loop.stop()
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()

    server_errors = serve_log.read_text(errors="replace").count("Traceback")
    if server_errors:
        results["errors"].append(f"{server_errors} tracebacks in {serve_log}")
    latencies = results["latency"]
    every = [t for values in latencies.values() for t in values]
    figures: dict[str, Any] = {
        "courses": args.n, "clients": args.clients, "duration_s": round(results["elapsed"], 1),
        "workers": args.workers, "cpus": os.cpu_count(), "requests": len(every),
        "throughput_rps": round(len(every) / results["elapsed"], 1), "errors": len(results["errors"]),
        "error_examples": results["errors"][:10], "latency_ms": percentiles(every),
        "by_kind": {kind: {"requests": len(latencies[kind]), **percentiles(latencies[kind])}
                    for kind, _ in KINDS},
        "writers": loop.runs if loop else [], "health_after": health,
        "store_active_after": store_count(db), **{k: v for k, v in prepared.items() if k not in ("db", "index_dir")},
    }
    crawls = [r for r in figures["writers"] if r["step"] == "crawl"]
    indexes = [r for r in figures["writers"] if r["step"] == "index"]
    print()
    print(f"{'':14} {'requests':>9} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  (ms)")
    for kind, row in [("all", {"requests": len(every), **figures["latency_ms"]}), *figures["by_kind"].items()]:
        print(f"{kind:14} {row['requests']:>9} {row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f} {row['max']:8.1f}")
    print(f"\nthroughput {figures['throughput_rps']} requests/s over {figures['duration_s']} s, "
          f"{figures['errors']} errors; during the load: {len(crawls)} crawls "
          f"(exit codes {sorted({r['exit'] for r in crawls})}), {len(indexes)} incremental index runs "
          f"({', '.join(str(r['seconds']) + ' s' for r in indexes)})")
    for example in figures["error_examples"]:
        print("  error:", example)
    print(json.dumps(figures, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    failed_writers = [r for r in figures["writers"] if r["exit"] != 0]
    return 1 if figures["errors"] or failed_writers else 0


if __name__ == "__main__":
    sys.exit(main())
