"""Faults while indexing, with real processes: `mooc index` and `mooc index --rebuild` killed with SIGKILL
midway (a 20,000-course generated store: indexing takes a few seconds), and the OpenSearch-compatible
server (osmem) killed while `mooc index` writes to it. Afterwards the store is intact and unchanged, and
the next `mooc index` leaves an index that matches the store: the same ids with the same content hashes,
and a search for everything counts the store's active courses."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from bench import generate_catalogue as gen
from harvester.store import Store
from indexer.base import SearchQuery
from indexer.elastic import ElasticIndex
from indexer.embedded import EmbeddedIndex
from tests.api.conftest import mooc, mooc_env
from tests.conftest import MOOC, REPO

COURSES = 20_000


def store_state(db: Path) -> tuple[str, int, int]:
    """Integrity checked; (hash of every course row, rows, distinct ids)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT id, status, content_hash, record FROM courses ORDER BY id").fetchall()
        distinct = conn.execute("SELECT COUNT(DISTINCT id) FROM courses").fetchone()[0]
    finally:
        conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest(), len(rows), distinct


def active(db: Path) -> dict[str, str]:
    with Store(db) as store:
        return {course["id"]: course["content_hash"] for course in store.courses(status="active")}


def assert_index_matches_store(index, db: Path) -> None:
    expected = active(db)
    try:
        assert index.indexed_hashes() == expected
        assert index.stats().documents == len(expected)
        assert index.search(SearchQuery(size=1, highlight=False)).total == len(expected)
    finally:
        index.close()


def start(db: Path, env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([*MOOC, "--db", str(db), "index", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_when(process: subprocess.Popen, progress, what: str, timeout: float = 120) -> None:
    """SIGKILL ``process`` as soon as ``progress()`` is true; fail if it ended before."""
    deadline = time.monotonic() + timeout
    while not progress():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the process ended before {what} (exit {process.returncode}):\n{err[-3000:]}")
        assert time.monotonic() < deadline, f"no sign of {what} within {timeout} s"
        time.sleep(0.02)
    assert process.poll() is None, f"the process ended before it could be killed midway ({what})"
    process.kill()
    assert process.wait(30) == -9


def segments(folder: Path) -> list[Path]:
    """Segment files written by a Tantivy writer (flushed when its memory budget fills, before a commit)."""
    return list(folder.glob("*.store")) if folder.is_dir() else []


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("faults")
    db = folder / "catalogue.db"
    assert gen.write_store(gen.generate(COURSES, seed=7), db) == COURSES
    return db


@pytest.fixture
def store(generated, tmp_path) -> Path:
    db = tmp_path / "catalogue.db"
    shutil.copy(generated, db)
    return db


def change_store(db: Path, updated: int = 300, gone: int = 200) -> None:
    """What a crawl does between two index runs: some courses changed, some gone."""
    with Store(db) as store:
        ids = sorted(active(db))
        with store.transaction():
            for course_id in ids[:updated]:
                record = store.course(course_id)
                record["title"] += " (2nd edition)"
                record["content_hash"] = hashlib.sha256(record["title"].encode()).hexdigest()
                store.upsert(record, None)
            store.db.executemany("UPDATE courses SET status = 'gone' WHERE id = ?",
                                 [(i,) for i in ids[-gone:]])


def test_kill_9_during_mooc_index(store, tmp_path):
    index_dir = tmp_path / "index"
    env = mooc_env(MOOC_INDEX="embedded", MOOC_INDEX_DIR=str(index_dir))
    before = store_state(store)
    process = start(store, env)
    kill_when(process, lambda: segments(index_dir / "gen-0001"), "segments written")
    assert store_state(store) == before and before[1] == before[2] == COURSES
    # what searchers see meanwhile: the last commit (here: nothing yet), never a half-written one
    assert EmbeddedIndex(index_dir).stats().documents in (0, COURSES)

    mooc("--db", str(store), "index", env=env)
    assert store_state(store) == before
    assert_index_matches_store(EmbeddedIndex(index_dir), store)


def test_kill_9_during_mooc_index_rebuild(store, tmp_path):
    index_dir = tmp_path / "index"
    env = mooc_env(MOOC_INDEX="embedded", MOOC_INDEX_DIR=str(index_dir))
    mooc("--db", str(store), "index", env=env)
    change_store(store)
    before = store_state(store)
    process = start(store, env, "--rebuild", "--max-change", "1")
    kill_when(process, lambda: segments(index_dir / "gen-0002"), "the new generation's segments")
    assert store_state(store) == before
    assert (index_dir / "CURRENT").read_text().strip() == "gen-0001"    # the live index was not swapped
    live = EmbeddedIndex(index_dir)
    assert live.stats().documents == COURSES                            # and still answers, as before
    live.close()

    mooc("--db", str(store), "index", env=env)                          # the next run brings it up to date
    assert_index_matches_store(EmbeddedIndex(index_dir), store)
    mooc("--db", str(store), "index", "--rebuild", env=env)             # and a rebuild works again
    assert_index_matches_store(EmbeddedIndex(index_dir), store)
    assert store_state(store) == before
    current = (index_dir / "CURRENT").read_text().strip()
    leftovers = sorted(p.name for p in index_dir.glob("gen-*") if p.name != current)
    assert leftovers == [], f"generations left behind by the killed rebuild: {leftovers}"


@pytest.fixture
def osmem(tmp_path):
    from osmem_server import OsmemServer

    servers: list = []

    def start_server(addr: str = "127.0.0.1:0"):
        server = OsmemServer.start(addr=addr, japanese=False)
        servers.append(server)
        return server

    yield start_server
    for server in servers:
        server.close()


def alias_exists(url: str, alias: str) -> bool:
    try:
        index = ElasticIndex(url, client="opensearch", name=alias)
    except Exception:  # noqa: BLE001 - not up
        return False
    try:
        return bool(index.client.alias_targets(alias))
    except Exception:  # noqa: BLE001 - not up yet
        return False
    finally:
        index.close()


def test_kill_9_during_mooc_index_into_a_cluster(osmem, tmp_path):
    db = tmp_path / "catalogue.db"
    gen.write_store(gen.generate(3000, seed=13), db)
    server = osmem()
    env = mooc_env(MOOC_INDEX="opensearch", OPENSEARCH_URL=server.url, MOOC_INDEX_NAME="killed")
    before = store_state(db)
    process = start(db, env)
    seen: list[float] = []

    def midway() -> bool:   # the alias exists (indexing has begun), then half a second of bulk requests
        if not seen and alias_exists(server.url, "killed"):
            seen.append(time.monotonic())
        return bool(seen) and time.monotonic() - seen[0] > 0.5

    kill_when(process, midway, "bulk indexing")
    assert store_state(db) == before
    mooc("--db", str(db), "index", env=env)          # partly indexed, never refreshed: the next run completes it
    assert_index_matches_store(ElasticIndex(server.url, client="opensearch", name="killed"), db)


def test_the_index_server_gone_mid_indexing(osmem, tmp_path):
    db = tmp_path / "catalogue.db"
    gen.write_store(gen.generate(3000, seed=11), db)
    server = osmem()
    port = server.url.rsplit(":", 1)[1]
    alias = "faults"
    env = mooc_env(MOOC_INDEX="opensearch", OPENSEARCH_URL=server.url, MOOC_INDEX_NAME=alias)
    before = store_state(db)
    process = start(db, env)
    started = time.monotonic()

    deadline = time.monotonic() + 60
    while not alias_exists(server.url, alias):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()[1][-3000:]
        time.sleep(0.05)
    time.sleep(0.5)                                  # some bulk requests are through
    assert process.poll() is None, "indexing ended before the server could be killed"
    server.process.kill()                            # the server is gone, SIGKILL
    server.process.wait(10)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, (out, err)
    assert "indexing failed" in err and "Connection" in err, err[-2000:]
    assert "Traceback" not in err                    # one clear line, not a stack trace
    print(err.strip().splitlines()[-1])
    assert time.monotonic() - started < 60
    assert store_state(db) == before                 # the store is unaffected

    # the server back (the same address, empty: osmem keeps nothing): the next run succeeds
    back = osmem(f"127.0.0.1:{port}")
    assert back.url.endswith(port)
    mooc("--db", str(db), "index", env=env)
    assert store_state(db) == before
    assert_index_matches_store(ElasticIndex(back.url, client="opensearch", name=alias), db)


def test_one_rebuild_at_a_time(tmp_path):
    import fcntl

    from tests.index.factory import course
    index = EmbeddedIndex(tmp_path / "index")
    index.upsert([course("a", "Alpha")])
    with (tmp_path / "index" / "REBUILD.lock").open("a") as held:      # as a rebuild in another process holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(RuntimeError, match="another rebuild"):
            index.rebuild([course("b", "Beta")], max_change=1)
    index.rebuild([course("b", "Beta")], max_change=1)                  # released: it runs
    assert set(index.indexed_hashes()) == {"testmooc:b"}
    index.close()
