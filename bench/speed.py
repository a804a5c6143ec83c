"""Every path against its floor, in the same run, as ratios (issue 15): search in process, the API over HTTP (one
client, then 8 clients), `mooc index --rebuild` and a nothing-changed `mooc index`, a crawl and an unchanged
re-crawl, `mooc export` — each next to its bare baseline (bench/floors.py, bench/floor_spider.py).

    python bench/speed.py                         # 200,000 courses in var/bench/speed/, 3 repeats
    python bench/speed.py --n 20000 --repeats 3 --only search,export

Ratios are medians over the repeats of per-repeat ratios (project and floor measured back to back in each repeat,
so that a noisy neighbour moves both). The machine's core count is printed with the figures.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import bench_api  # noqa: E402
from bench import generate_catalogue as gen  # noqa: E402
from bench.crawl_site import serve_openedx  # noqa: E402
from bench.floors import BareTantivy  # noqa: E402

MOOC = [sys.executable, "-m", "mooc"]
SECTIONS = ("search", "api", "index", "crawl", "export")


def run_measured(args: list[str], env: dict[str, str], cwd: Path = REPO) -> dict[str, float]:
    """Run a command; its own wall time, CPU seconds (user + system) and peak memory (MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0,):
        raise SystemExit(f"{' '.join(args)} failed:\n{stderr[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def median_of(repeats: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in repeats) for key in repeats[0]}


def bare_query(pairs: list[tuple[str, str]]) -> tuple[str, dict[str, tuple[str, ...]]]:
    q, filters = "", {}
    for key, value in pairs:
        if key == "q":
            q = value
        elif key not in ("sort",):
            filters[key] = (*filters.get(key, ()), value)
    return q, filters


# --- sections --------------------------------------------------------------------------------------

def section_search(ctx: dict[str, Any], repeats: int) -> dict[str, float]:
    from search_api.params import parse_search

    index, bare, mix = ctx["index"](), ctx["bare"], ctx["mix"]
    now = int(time.time())
    project = [parse_search(pairs) for pairs in mix]
    floor = [bare_query(pairs) for pairs in mix]
    for query in project[:30]:
        index.search(query)
    for q, f in floor[:30]:
        bare.search(q, f, now)
    rows = []
    for _ in range(repeats):
        ours, theirs = [], []
        for query, (q, f) in zip(project, floor, strict=True):
            started = time.perf_counter()
            index.search(query)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            bare.search(q, f, now)
            theirs.append(time.perf_counter() - started)
        rows.append({"p50_ms": pct(ours, .5) * 1e3, "p95_ms": pct(ours, .95) * 1e3,
                     "floor_p50_ms": pct(theirs, .5) * 1e3, "floor_p95_ms": pct(theirs, .95) * 1e3,
                     "ratio_p50": pct(ours, .5) / pct(theirs, .5), "ratio_p95": pct(ours, .95) / pct(theirs, .95)})
    ctx["engine_p50"] = statistics.median(r["p50_ms"] for r in rows)
    ctx["floor_engine_p50"] = statistics.median(r["floor_p50_ms"] for r in rows)
    index.close()
    return median_of(rows)


def _server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _serve_floor(index_dir: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    port = bench_api.free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.floors", "serve", str(index_dir), str(port)], cwd=REPO,
                               env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/search?q=x")
            conn.getresponse().read()
            return process, port
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"floor server exited:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.2)
    raise SystemExit("floor server did not start")


def section_api(ctx: dict[str, Any], repeats: int, clients: int, duration: float) -> dict[str, float]:
    paths = ["/api/v1/search?" + urlencode(pairs) for pairs in ctx["mix"]]
    floor_paths = ["/search?" + urlencode(pairs) for pairs in ctx["mix"]]
    logs = ctx["workdir"]
    ours, _ = bench_api.serve(ctx["db"], ctx["env"], logs / "serve.log", 1)
    theirs = _serve_floor(ctx["bare_dir"], ctx["env"], logs / "floor.log")
    rows = []
    try:
        for _ in range(repeats):
            one = bench_api.api_times(ours[1], paths, 1)
            one_floor = bench_api.api_times(theirs[1], floor_paths, 1)
            cpu0 = _server_cpu(ours[0].pid)
            loaded = bench_api.load(ours[1], paths, clients, duration)
            cpu1 = _server_cpu(ours[0].pid)
            fcpu0 = _server_cpu(theirs[0].pid)
            loaded_floor = bench_api.load(theirs[1], floor_paths, clients, duration)
            fcpu1 = _server_cpu(theirs[0].pid)
            added = pct(one, .5) * 1e3 - ctx.get("engine_p50", 0.0)
            floor_added = pct(one_floor, .5) * 1e3 - ctx.get("floor_engine_p50", 0.0)
            cpu = (cpu1 - cpu0) / max(loaded["requests"], 1) * 1e3
            floor_cpu = (fcpu1 - fcpu0) / max(loaded_floor["requests"], 1) * 1e3
            rows.append({"one_client_p50_ms": pct(one, .5) * 1e3, "floor_one_client_p50_ms": pct(one_floor, .5) * 1e3,
                         "http_added_ms": added, "floor_http_added_ms": floor_added,
                         "http_added_ratio": added / max(floor_added, 1e-6),
                         "rps": loaded["rps"], "floor_rps": loaded_floor["rps"],
                         "rps_ratio": loaded["rps"] / max(loaded_floor["rps"], 1e-6),
                         "p95_ms": loaded["p95"], "errors": loaded["errors"],
                         "cpu_ms_per_request": cpu, "floor_cpu_ms_per_request": floor_cpu,
                         "cpu_ratio": cpu / max(floor_cpu, 1e-6)})
    finally:
        for process, _ in (ours, theirs):
            process.terminate()
            process.wait(timeout=30)
    return median_of(rows)


def section_index(ctx: dict[str, Any], repeats: int) -> dict[str, float]:
    env, db = ctx["env"], str(ctx["db"])
    rows = []
    for _ in range(repeats):
        rebuilt = run_measured([*MOOC, "--db", db, "index", "--rebuild", "--max-change", "1"], env)
        with tempfile.TemporaryDirectory(prefix="floor-writer-") as folder:
            floor = run_measured([sys.executable, "-m", "bench.floors", "build", db, folder], env)
        unchanged = run_measured([*MOOC, "--db", db, "index"], env)
        rows.append({"rebuild_s": rebuilt["wall"], "rebuild_cpu_s": rebuilt["cpu"], "rebuild_mib": rebuilt["rss_mib"],
                     "floor_cpu_s": floor["cpu"], "floor_mib": floor["rss_mib"],
                     "cpu_ratio": rebuilt["cpu"] / floor["cpu"], "unchanged_index_s": unchanged["wall"]})
    return median_of(rows)


def section_crawl(ctx: dict[str, Any], repeats: int, pages: int, per_page: int) -> dict[str, float]:
    env = {**ctx["env"], "MOOC_DOWNLOAD_DELAY": "0", "MOOC_HTTPCACHE": "0", "MOOC_ALLOW_PRIVATE_HOSTS": "127.0.0.1"}
    rows = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="speed-crawl-") as tmp, \
                serve_openedx(pages, per_page) as base, serve_openedx(1, 1) as tiny:
            folder = Path(tmp)
            results = {}
            for name, url in (("big", base), ("tiny", tiny)):
                registry = folder / f"{name}.yaml"
                registry.write_text(json.dumps({"platforms": [{
                    "id": f"speed-{name}", "name": "Speed", "country": "FR", "family": "openedx", "url": url,
                    "languages": ["en"], "enabled": True}]}))
                db = folder / f"{name}.db"
                args = [*MOOC, "--registry", str(registry), "--db", str(db), "crawl", "--platform", f"speed-{name}"]
                results[name] = run_measured(args, env)
                if name == "big":
                    results["again"] = run_measured(args, env)
            # outside the repository, so that scrapy.cfg does not give the bare spider the project's settings
            floor_args = [sys.executable, "-m", "scrapy", "runspider", str(REPO / "bench" / "floor_spider.py"),
                          "-s", "LOG_LEVEL=ERROR"]
            floor = run_measured([*floor_args, "-a", f"start={base}/api/courses/v1/courses/?page=1"], env, folder)
            floor_tiny = run_measured([*floor_args, "-a", f"start={tiny}/api/courses/v1/courses/?page=1"], env, folder)
        items = pages * per_page
        ours = items / max(results["big"]["wall"] - results["tiny"]["wall"], 1e-3)
        theirs = items / max(floor["wall"] - floor_tiny["wall"], 1e-3)
        rows.append({"items_per_s": ours, "floor_items_per_s": theirs, "ratio": ours / theirs,
                     "recrawl_cpu_share": results["again"]["cpu"] / results["big"]["cpu"]})
    return median_of(rows)


def section_export(ctx: dict[str, Any], repeats: int) -> dict[str, float]:
    env, db, n = ctx["env"], str(ctx["db"]), ctx["n"]
    rows = []
    for _ in range(repeats):
        ours = run_measured([*MOOC, "--db", db, "export", "--format", "jsonl"], env)
        floor = run_measured([sys.executable, "-m", "bench.floors", "export", db], env)
        rows.append({"rows_per_s": n / ours["wall"], "floor_rows_per_s": n / floor["wall"],
                     "ratio": floor["wall"] / ours["wall"]})
    return median_of(rows)


# --- main ------------------------------------------------------------------------------------------

def prepare(workdir: Path, n: int, env: dict[str, str]) -> dict[str, Any]:
    from indexer import open_index
    from indexer.config import IndexConfig

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"catalogue-{n}.db"
    if not db.exists():
        gen.write_store(gen.generate(n), db)
    index_dir = Path(env["MOOC_INDEX_DIR"])
    if not (index_dir / "CURRENT").exists():
        subprocess.run([*MOOC, "--db", str(db), "index", "--rebuild", "--max-change", "1"], cwd=REPO, env=env,
                       check=True, capture_output=True)
    bare_dir = workdir / f"bare-{n}"
    if not bare_dir.exists():
        subprocess.run([sys.executable, "-m", "bench.floors", "build", str(db), str(bare_dir)], cwd=REPO, env=env,
                       check=True)
    return {"db": db, "n": n, "workdir": workdir, "env": env, "bare_dir": bare_dir, "bare": BareTantivy(bare_dir),
            "index": lambda: open_index(IndexConfig(backend="embedded", path=index_dir))}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench" / "speed")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    only = [s for s in args.only.split(",") if s]
    env = {**os.environ, "MOOC_RATE_LIMIT": "0", "MOOC_INDEX": "embedded",
           "MOOC_INDEX_DIR": str(args.workdir / f"index-{args.n}"), "PYTHONPATH": str(REPO)}
    env.pop("MOOC_DB", None)
    ctx = prepare(args.workdir, args.n, env)
    ctx["mix"] = bench_api.query_mix(args.queries)
    runners: dict[str, Callable[[], dict[str, float]]] = {
        "search": lambda: section_search(ctx, args.repeats),
        "api": lambda: section_api(ctx, args.repeats, args.clients, args.duration),
        "index": lambda: section_index(ctx, args.repeats),
        "crawl": lambda: section_crawl(ctx, args.repeats, args.pages, args.per_page),
        "export": lambda: section_export(ctx, args.repeats),
    }
    figures: dict[str, Any] = {"cores": os.cpu_count(), "courses": args.n, "repeats": args.repeats}
    print(f"{os.cpu_count()} cores, {args.n:,} courses, medians of {args.repeats} repeats")
    for name in SECTIONS:
        if name in only:
            figures[name] = runners[name]()
            print(f"\n{name}")
            for key, value in figures[name].items():
                print(f"  {key:<28} {value:>12,.3f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
