"""schemathesis against a real ``mooc serve``: a small catalogue (the Open edX fixture platform crawled,
the API tests' courses, hostile text; see tests/hardening/catalogue.py) indexed, served on 127.0.0.1,
then every operation of the served OpenAPI document fuzzed with every check (no 5xx, responses match
their schema, status codes and content types documented, ...).

    python bench/fuzz_api.py                         # 2,000 examples per operation (make fuzz-api)
    python bench/fuzz_api.py --max-examples 200
    python bench/fuzz_api.py --url http://127.0.0.1:8000   # an API already running (rate limit off!)

Exit status: schemathesis's (0 when every check passed). Bounded: examples per operation and
``--max-time`` seconds for the whole run; only 127.0.0.1 is contacted.
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

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def hooks_env(ids: list[str], folder: Path) -> dict[str, str]:
    """The environment for schemathesis with tests/hardening/st_hooks.py and the store's course ids."""
    ids_file = folder / "ids.json"
    ids_file.write_text(json.dumps(ids), encoding="utf-8")
    return {**os.environ, "SCHEMATHESIS_HOOKS": "tests.hardening.st_hooks", "MOOC_FUZZ_IDS": str(ids_file),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def schemathesis_command(url: str, max_examples: int, seed: int | None, workers: int,
                         report: Path | None) -> list[str]:
    st = Path(sys.executable).with_name("schemathesis")
    command = [str(st) if st.exists() else "schemathesis", "run", f"{url}/openapi.json", "--checks", "all",
               "--max-examples", str(max_examples), "--workers", str(workers),
               "--mode", "all", "--suppress-health-check", "all", "--continue-on-failure"]
    if seed is not None:
        command += ["--seed", str(seed)]
    if report:
        command += ["--report", "junit,json", "--report-dir", str(report)]
    return command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=2000, help="examples per operation and phase")
    parser.add_argument("--max-time", type=float, default=1800, help="seconds before the run is stopped")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", help="fuzz this running API instead of building and serving a catalogue")
    parser.add_argument("--report", type=Path, help="write a JUnit report into this folder")
    args = parser.parse_args(argv)

    if args.url:
        with tempfile.TemporaryDirectory() as folder:
            return subprocess.run(schemathesis_command(args.url.rstrip("/"), args.max_examples, args.seed,
                                                       args.workers, args.report),
                                  env=hooks_env([], Path(folder)), timeout=args.max_time).returncode

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
            command = schemathesis_command(server.base, args.max_examples, args.seed, args.workers, args.report)
            print(" ".join(command), flush=True)
            try:
                code = subprocess.run(command, env=hooks_env(ids, folder), timeout=args.max_time).returncode
            except subprocess.TimeoutExpired:
                print(f"stopped after {args.max_time:.0f} s", flush=True)
                code = 0
            errors = [line for line in (folder / "serve.log").read_text(errors="replace").splitlines()
                      if "Traceback" in line or " 500 " in line]
            if errors:
                print(f"the server logged {len(errors)} errors, e.g. {errors[0]}", flush=True)
                code = code or 1
            return code
        finally:
            server.stop()
    finally:
        if os.environ.get("MOOC_KEEP_FUZZ_DIR"):
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
