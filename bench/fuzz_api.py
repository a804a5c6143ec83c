"""schemathesis against a real ``mooc serve``: a small catalogue (the Open edX fixture platform crawled,
the API tests' courses, hostile text; see tests/hardening/catalogue.py) indexed, served on 127.0.0.1,
then every operation of the served OpenAPI document fuzzed with every check (no 5xx, responses match
their schemas, documented status codes and content types, valid requests accepted, invalid refused).

    python bench/fuzz_api.py                         # 2,000 examples per operation (make fuzz-api)
    python bench/fuzz_api.py --max-examples 200 --seed 1
    python bench/fuzz_api.py --url http://127.0.0.1:8000   # an API already running (MOOC_RATE_LIMIT=0!)

Exit status 0 when every check passed and the server logged no error. Bounded: examples per operation,
and ``--max-time`` seconds for the whole run; only the given server on 127.0.0.1 is contacted.
The hooks in tests/hardening/st_hooks.py add stored course ids and keep positive searches valid.
(tests/hardening/test_api_schema.py runs the same with few examples; schemathesis's own pytest
plugin is not used: its ``from_fixture`` fails under pytest 9.)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def schemathesis_command(url: str, max_examples: int, seed: int | None, workers: int, report: Path) -> list[str]:
    st = Path(sys.executable).with_name("schemathesis")
    command = [str(st) if st.exists() else "schemathesis", "run", f"{url}/openapi.json", "--checks", "all",
               "--max-examples", str(max_examples), "--workers", str(workers), "--mode", "all",
               "--suppress-health-check", "all", "--continue-on-failure", "--request-timeout", "30",
               "--report", "junit,json", "--report-dir", str(report), "--no-color"]
    if seed is not None:   # deterministic: no example database either
        command += ["--seed", str(seed), "--generation-deterministic"]
    else:                  # no .schemathesis/ example database in the working tree
        command += ["--generation-database", "none"]
    return command


def fuzz(url: str, ids: list[str], *, max_examples: int, seed: int | None = None, workers: int = 2,
         max_time: float = 1800, report_dir: Path | None = None) -> dict[str, Any]:
    """Run schemathesis against ``url``; returns {"exit_code", "output", "report" (its JSON report)}."""
    with tempfile.TemporaryDirectory(prefix="mooc-fuzz-") as scratch:
        folder = Path(report_dir or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        ids_file = Path(scratch) / "ids.json"
        ids_file.write_text(json.dumps(ids), encoding="utf-8")
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.hardening.st_hooks", "MOOC_FUZZ_IDS": str(ids_file),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        command = schemathesis_command(url.rstrip("/"), max_examples, seed, workers, folder)
        try:
            # cwd: schemathesis keeps a cache (.schemathesis/) in its working directory, not in the tree
            done = subprocess.run(command, env=env, cwd=scratch, capture_output=True, text=True, timeout=max_time)
            code, output = done.returncode, done.stdout + done.stderr
        except subprocess.TimeoutExpired as exc:
            code, output = 124, f"stopped after {max_time:.0f} s\n{exc.stdout or ''}"
        reports = sorted(folder.glob("json-*.json"))
        report = json.loads(reports[-1].read_text()) if reports else {}
    return {"exit_code": code, "output": output, "report": report}


def summary(report: dict[str, Any]) -> str:
    if not report:
        return "no report"
    ops, cases = report.get("operations", {}), report.get("test_cases", {})
    phases = ", ".join(f"{name} {p['status']}" for name, p in report.get("phases", {}).items())
    return (f"schemathesis {report.get('schemathesis_version')}: {ops.get('tested')}/{ops.get('total')} operations, "
            f"{cases.get('generated')} test cases, {cases.get('unique_failures')} unique failures, "
            f"{len(report.get('errors') or [])} errors; phases: {phases}; seed {report.get('seed')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=2000, help="examples per operation and phase")
    parser.add_argument("--max-time", type=float, default=1800, help="seconds before the run is stopped")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", help="fuzz this running API instead of building and serving a catalogue")
    parser.add_argument("--report", type=Path, help="keep schemathesis's JUnit and JSON reports in this folder")
    args = parser.parse_args(argv)
    options = dict(max_examples=args.max_examples, seed=args.seed, workers=args.workers, max_time=args.max_time,
                   report_dir=args.report)

    if args.url:
        result = fuzz(args.url, [], **options)
        print(result["output"][-20000:])
        print(summary(result["report"]))
        return result["exit_code"]

    from harvester.store import Store
    from tests.api.conftest import Server
    from tests.hardening.catalogue import build

    folder = Path(tempfile.mkdtemp(prefix="mooc-fuzz-"))
    try:
        print(f"catalogue in {folder} …", flush=True)
        built = build(folder)
        with Store(built["db"]) as store:
            ids = [course["id"] for course in store.courses(status="active")]
        server = Server(*built["options"], env=built["env"], log=folder / "serve.log").wait()
        try:
            print(f"fuzzing {server.base} ({args.max_examples} examples per operation) …", flush=True)
            result = fuzz(server.base, ids, **options)
        finally:
            server.stop()
        print(result["output"][-20000:])
        code = result["exit_code"]
        log = (folder / "serve.log").read_text(errors="replace")
        if "Traceback" in log:
            print("the server logged an error:\n" + log[log.index("Traceback"):][:3000])
            code = code or 1
        print(summary(result["report"]))
        return code
    finally:
        if os.environ.get("MOOC_KEEP_FUZZ_DIR"):
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
