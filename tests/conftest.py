from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.fixture_sites.server import site as fixture_site

REPO = Path(__file__).resolve().parent.parent
MOOC = [sys.executable, "-m", "mooc"]

# Fast retries against local fixture servers; politeness settings stay on otherwise.
TEST_ENV = {"MOOC_RETRY_BACKOFF_BASE": "0.05", "MOOC_DOWNLOAD_DELAY": "0",
            "MOOC_ALLOW_PRIVATE_HOSTS": "127.0.0.1", "MOOC_RATE_LIMIT": "0"}


def write_registry(folder: Path, *entries: dict) -> Path:
    path = folder / "registry.yaml"
    path.write_text(yaml.safe_dump({"platforms": list(entries)}, allow_unicode=True), encoding="utf-8")
    return path


def run_mooc(*args: str, registry: Path | None = None, db: Path | None = None,
             check: bool = True, timeout: int = 180, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``mooc``; ``env`` (e.g. API keys) is merged into the subprocess environment."""
    extra_env = env or {}
    env = {**os.environ, **TEST_ENV}
    env.pop("MOOC_REGISTRY", None)
    env.pop("MOOC_DB", None)
    env.update(extra_env)
    options = []
    if registry:
        options += ["--registry", str(registry)]
    if db:
        options += ["--db", str(db)]
    result = subprocess.run([*MOOC, *options, *args], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"mooc {' '.join(args)} exited {result.returncode}\n"
                             f"stdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-8000:]}")
    return result


def export_jsonl(db: Path, *extra: str) -> list[dict]:
    out = run_mooc("export", "--format", "jsonl", *extra, db=db).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def openedx_site():
    with fixture_site("openedx") as running:
        yield running
