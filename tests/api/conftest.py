from __future__ import annotations

import os
import socket
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from harvester.store import Store
from search_api.app import create_app
from search_api.settings import Settings
from tests.api import catalogue_data
from tests.conftest import MOOC, REPO, TEST_ENV

# crawl runs recorded for the written catalogue: platform → outcomes, oldest first
CRAWLS = {
    "thaimooc": ["complete"],
    "kmooc": ["complete", "complete"],
    "funmooc": ["complete"],
    "xuetangx": ["incomplete"],
    "jmooc": ["complete"],
    "openhpi": ["complete", "failed"],
}


def write_registry(folder: Path, platforms: list[dict], countries: list[dict] | None = None) -> Path:
    path = folder / "registry.yaml"
    path.write_text(yaml.safe_dump({"platforms": platforms, "countries": countries or []}, allow_unicode=True),
                    encoding="utf-8")
    return path


def fill_store(db: Path, records: list[dict]) -> None:
    """Store the records through the real store, with crawl runs as a harvest would leave them."""
    with Store(db) as store:
        for platform, outcomes in CRAWLS.items():
            family = next(p["family"] for p in catalogue_data.PLATFORMS if p["id"] == platform)
            for outcome in outcomes:
                run = store.start_run(platform, family)
                stored = 0
                if outcome != "failed":
                    with store.transaction():
                        for record in records:
                            if record["platform"] == platform:
                                store.upsert(record, run)
                                stored += 1
                store.finish_run(run, complete=outcome == "complete", finish_reason="finished",
                                 counts={"fetched": stored, "new": stored})


def mooc_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **TEST_ENV, **extra}
    for name in ("MOOC_REGISTRY", "MOOC_DB", "MOOC_INDEX", "MOOC_INDEX_DIR", "MOOC_INDEX_NAME", "ELASTICSEARCH_URL",
                 "OPENSEARCH_URL"):
        if name not in extra:
            env.pop(name, None)
    return env


def mooc(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([*MOOC, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"mooc {' '.join(args)} exited {result.returncode}\n"
                             f"stdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-8000:]}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`mooc serve` in a subprocess on a free port of 127.0.0.1."""

    def __init__(self, *options: str, env: dict[str, str], log: Path, serve: tuple[str, ...] = ()):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log = log.open("w")
        self.process = subprocess.Popen([*MOOC, *options, "serve", "--port", str(self.port), *serve], cwd=REPO,
                                        env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 60) -> Server:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"mooc serve exited {self.process.returncode}:\n{self.log.read_text()[-4000:]}")
            try:
                httpx.get(self.base + "/openapi.json", timeout=2)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError(f"mooc serve did not answer within {timeout} s:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self._log.close()


@pytest.fixture(scope="session")
def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture(scope="session")
def records(now) -> list[dict]:
    return catalogue_data.courses(now)


@pytest.fixture(scope="session")
def opensearch_url():
    """An in-memory OpenSearch-compatible server (the osmem-server wheel) for the whole session."""
    from osmem_server import OsmemServer

    with OsmemServer.start(freeze=False) as server:
        yield server.url


@pytest.fixture(scope="session", params=["embedded", "opensearch"])
def written(request, tmp_path_factory, records) -> dict:
    """The written catalogue in a real store, indexed by `mooc index --rebuild` into each backend."""
    backend = request.param
    folder = tmp_path_factory.mktemp(f"api_catalogue_{backend}")
    db = folder / "catalogue.db"
    registry = write_registry(
        folder,
        [*catalogue_data.PLATFORMS,
         {"id": "vnmooc", "name": "VN MOOC", "country": "VN", "family": "nosuchfamily",
          "url": "https://vn.example", "languages": ["vi"], "enabled": False}],
        [{"code": "BN", "note": "No known public MOOC listing."}])
    fill_store(db, records)
    index_dir = folder / "index"
    if backend == "embedded":
        env = mooc_env(MOOC_INDEX="embedded", MOOC_INDEX_DIR=str(index_dir))
    else:
        env = mooc_env(MOOC_INDEX="opensearch", OPENSEARCH_URL=request.getfixturevalue("opensearch_url"),
                       MOOC_INDEX_NAME=f"api-tests-{os.getpid()}")
    result = mooc("--db", str(db), "index", "--rebuild", "--max-change", "1", env=env)
    return {"backend": backend, "db": db, "registry": registry, "index_dir": index_dir, "env": env,
            "index_output": result}


@pytest.fixture(scope="session")
def client(written) -> TestClient:
    settings = Settings.from_env({k: v for k, v in written["env"].items() if k.startswith(("MOOC_", "OPENSEARCH"))},
                                 db=written["db"], registry=written["registry"])
    with TestClient(create_app(settings)) as test_client:
        yield test_client
