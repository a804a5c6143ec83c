"""Distributed mode on a real Redis: two workers share one queue and duplicate filter, one writer."""
from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import time

import pytest
import redis
import yaml

from harvester.distributed import RESULTS_KEY
from tests.conftest import MOOC, REPO, TEST_ENV, export_jsonl, write_registry
from tests.fixture_sites.server import FixtureSite
from tests.fixture_sites.server import site as fixture_site

API = "/api/v1.0/courses/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    assert server, "Debian's redis-server is needed (make test installs it)"
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def test_two_workers_crawl_a_multipage_platform_once_fully_into_one_store(tmp_path, redis_url):
    with fixture_site("richie") as site:
        for route in site.routes:
            route.delay = 0.3  # slow pages, so that both workers have a chance to take some
        registry = write_registry(tmp_path, {"id": "fixrichie", "name": "R", "country": "FR",
                                             "family": "richie", "url": site.base, "page_size": 3})
        db = tmp_path / "c.db"
        env = {**os.environ, **TEST_ENV}
        base = [*MOOC, "--registry", str(registry), "--db", str(db)]
        logs = [tmp_path / f"worker{i}.log" for i in range(2)]
        workers = [subprocess.Popen([*base, "worker", "--redis-url", redis_url], cwd=REPO, env=env,
                                    stdout=log.open("w"), stderr=subprocess.STDOUT) for log in logs]
        # the writer starts once the first result waits in Redis (its idle timer must not expire while
        # the workers start Scrapy on a loaded machine), then writes while the workers crawl
        client = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 120
        while not client.llen(RESULTS_KEY) and time.monotonic() < deadline \
                and any(w.poll() is None for w in workers):
            time.sleep(0.05)
        writer = subprocess.Popen([*base, "writer", "--redis-url", redis_url, "--workers", "2",
                                   "--until-idle", "3"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        for worker in workers:
            assert worker.wait(120) == 0
        try:
            _, writer_log = writer.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            writer.kill()
            _, writer_log = writer.communicate()
            raise AssertionError("the writer did not finish\n" + writer_log[-3000:] + "".join(
                f"\n--- {log.name}\n{log.read_text()[-3000:]}" for log in logs)) from None
        assert writer.returncode == 0, writer_log

        served = [(r.query["offset"][0], r.status) for r in site.requests_to(API)]
    # every page fetched once (the 500 on offset 3 is retried once), by whichever worker took it
    assert sorted(o for o, status in served if status == 200) == ["0", "3", "6"]
    assert len(served) == 4
    assert sorted(r["id"] for r in export_jsonl(db)) == [f"fixrichie:{n}" for n in (101, 102, 103, 105, 106, 107)]
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT status, new, rejected, stats FROM crawl_runs").fetchall()
        assert conn.execute("SELECT COUNT(*) FROM course_events WHERE event = 'new'").fetchone()[0] == 6
    assert [(status, new, rejected) for status, new, rejected, _ in runs] == [("complete", 6, 1)]
    by_worker = json.loads(runs[0][3])["requests_by_worker"]
    # both workers took part in the run (a platform paged by `next` links is fetched one page at a
    # time, so which worker takes which page is up to the queue); robots.txt + 4 page requests in all
    assert len(by_worker) == 2 and sum(by_worker.values()) == 5
    assert redis.Redis.from_url(redis_url).keys("mooc:richie.fixrichie:*") == []  # cleared for the next crawl


def test_a_page_error_in_a_worker_reaches_the_writers_run_record(tmp_path, redis_url):
    """A worker's failed listing page is one crawl error in the writer's run, which is then incomplete
    (record_error's message used to collide with _push's own ``kind`` argument: TypeError, error lost)."""
    folder = tmp_path / "site"
    shutil.copytree(fixture_site("richie").folder, folder)
    spec = yaml.safe_load((folder / "site.yaml").read_text(encoding="utf-8"))
    for route in spec["routes"]:
        if route.get("query", {}).get("offset") == "6":
            route["status"] = 404  # the last page is gone: not retried, a page error
        route.pop("fail_first", None)
    (folder / "site.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    with FixtureSite(folder) as site:
        registry = write_registry(tmp_path, {"id": "fixrichie", "name": "R", "country": "FR",
                                             "family": "richie", "url": site.base, "page_size": 3})
        db = tmp_path / "c.db"
        env = {**os.environ, **TEST_ENV}
        base = [*MOOC, "--registry", str(registry), "--db", str(db)]
        # the messages wait in Redis: the writer runs after the worker, so its idle timer cannot expire first
        worker = subprocess.run([*base, "worker", "--redis-url", redis_url], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=120)
        writer = subprocess.run([*base, "writer", "--redis-url", redis_url, "--workers", "1", "--until-idle", "1"],
                                cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        writer_log = writer.stderr
        assert "TypeError" not in worker.stderr, worker.stderr[-3000:]
        assert writer.returncode == 0, writer_log[-3000:] + worker.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT id, status, new, errors FROM crawl_runs").fetchall()
        errors = conn.execute("SELECT run_id, kind, url FROM crawl_errors WHERE kind = 'http'").fetchall()
    assert [(status, new, n_errors) for _, status, new, n_errors in runs] == [("incomplete", 5, 1)]
    assert [(run_id, kind) for run_id, kind, _ in errors] == [(runs[0][0], "http")]
    assert "offset=6" in errors[0][2]
