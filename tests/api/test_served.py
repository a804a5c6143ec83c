"""End to end over real HTTP: crawl the Open edX fixture platform with `mooc crawl`, `mooc index`, `mooc serve`."""
from __future__ import annotations

import json
import socket
import subprocess
import time
from datetime import UTC, datetime

import httpx
import pytest

from indexer.base import FACETS
from tests.api.catalogue_data import facet_values
from tests.api.conftest import Server, mooc, mooc_env
from tests.conftest import MOOC, REPO, export_jsonl, write_registry
from tests.fixture_sites.server import site as fixture_site


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    db = folder / "catalogue.db"
    env = mooc_env(MOOC_INDEX_DIR=str(folder / "index"))
    with fixture_site("openedx") as site:
        registry = write_registry(folder, {
            "id": "fixturemooc", "name": "Fixture MOOC", "country": "TH", "family": "openedx", "url": site.base,
            "languages": ["th", "en"], "enabled": True})
        options = ("--db", str(db), "--registry", str(registry))
        mooc(*options, "crawl", "--platform", "fixturemooc", env=env)
        indexed = mooc(*options, "index", env=env)
        server = Server(*options, env=env, log=folder / "serve.log").wait()
        try:
            yield {"base": server.base, "port": server.port, "db": db, "env": env, "options": options,
                   "site": site, "records": export_jsonl(db), "index_output": indexed,
                   "http": httpx.Client(base_url=server.base, timeout=30)}
        finally:
            server.stop()


def get(served, path, status=200, **params):
    response = served["http"].get(path, params=params or None)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """A request whose target is sent exactly as written (no client-side normalization of '..')."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_index_command_prints_its_figures(served):
    figures = json.loads(served["index_output"].stdout.strip().splitlines()[-1])
    assert figures["new"] == figures["documents"] == 5 and figures["backend"] == "embedded"
    assert "documents" in served["index_output"].stderr  # the same figures as a table


def test_serve_listens_on_127_0_0_1_port_8000_by_default():
    out = subprocess.run([*MOOC, "serve", "--help"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "[default: 127.0.0.1]" in out and "[default: 8000;" in out


def test_health_over_http(served):
    body = get(served, "/api/v1/health")
    assert body["status"] == "ok"
    assert body["store"]["documents"] == body["index"]["documents"] == len(served["records"]) == 5


def test_every_crawled_course_is_searchable_with_facets(served):
    body = get(served, "/api/v1/search", size=100)
    assert body["total"] == 5 and {r["id"] for r in body["results"]} == {r["id"] for r in served["records"]}
    assert body["facets"]["country"] == [{"value": "TH", "count": 5}]
    assert body["facets"]["platform"] == [{"value": "fixturemooc", "count": 5}]


def test_every_filter_over_http_matches_the_exported_records(served):
    now = datetime.now(UTC)
    records = served["records"]
    values = {(facet, v) for r in records for facet in FACETS for v in facet_values(r, facet, now)}
    assert len(values) > 10
    for facet, value in sorted(values):
        body = get(served, "/api/v1/search", size=100, **{facet: value})
        expected = {r["id"] for r in records if value in facet_values(r, facet, now)}
        assert {r["id"] for r in body["results"]} == expected, (facet, value)
        counts = {i["value"]: i["count"] for i in body["facets"][facet]}
        assert counts[value] == len(expected)  # a facet's counts ignore its own filter


def test_text_search_in_thai_korean_and_chinese(served):
    for q, course in (("Statistics", "fixturemooc:KU+STAT01"), ("청렴", "fixturemooc:ACRCEDU+ACRC01"),
                      ("วิทยาการข้อมูล", "fixturemooc:CHULA+DS101"), ("人工智能", "fixturemooc:TSINGHUA+AI01")):
        results = get(served, "/api/v1/search", q=q)["results"]
        assert course in [r["id"] for r in results], q


def test_paging_and_cursor_over_http(served):
    first = get(served, "/api/v1/search", size=2)
    second = get(served, "/api/v1/search", size=2, cursor=first["next_cursor"])
    third = get(served, "/api/v1/search", size=2, cursor=second["next_cursor"])
    ids = [r["id"] for page in (first, second, third) for r in page["results"]]
    assert len(ids) == len(set(ids)) == 5 and third["next_cursor"] is None


def test_course_ids_with_colon_and_plus_in_the_raw_path(served):
    status, body = raw_get(served["port"], "/api/v1/courses/fixturemooc:CHULA+DS101")
    assert status == 200 and json.loads(body)["title"].startswith("วิทยาการข้อมูล")
    status, body = raw_get(served["port"], "/api/v1/courses/fixturemooc%3AACRCEDU%2BACRC01")
    assert status == 200 and json.loads(body)["title"] == "문화와 생활 속 청렴"


@pytest.mark.parametrize("target", [
    "/api/v1/courses/../../etc/passwd", "/api/v1/courses/..%2F..%2F..%2Fetc%2Fpasswd", "/api/v1/../../etc/passwd",
    "/api/v1/courses/fixturemooc:NOPE", "/api/v1/courses/%2e%2e/%2e%2e/etc/passwd", "/../../../etc/passwd",
])
def test_unknown_and_traversal_paths_are_404_json_never_a_file(served, target):
    status, body = raw_get(served["port"], target)
    assert status == 404 and b"root:" not in body
    if target.startswith("/api/v1/courses/"):
        assert json.loads(body)["error"]["parameter"] == "id"


def test_bad_requests_and_hostile_queries_over_http(served):
    assert get(served, "/api/v1/search", 422, size=1000)["error"]["parameter"] == "size"
    assert get(served, "/api/v1/search", 422, availability="soon")["error"]["parameter"] == "availability"
    assert get(served, "/api/v1/search", 400, colour="red")["error"]["parameter"] == "colour"
    for q in ('title:"a', "(((", "a AND OR NOT", "*:*^2~", "[1 TO", "DROP TABLE courses;--", "\\"):
        assert isinstance(get(served, "/api/v1/search", q=q)["total"], int)


def test_suggest_coverage_platforms_openapi_over_http(served):
    titles = [s["title"] for s in get(served, "/api/v1/suggest", q="문화")["suggestions"]]
    assert "문화와 생활 속 청렴" in titles
    coverage = get(served, "/api/v1/coverage")
    th = next(c for c in coverage["countries"] if c["code"] == "TH")
    assert th["courses"] == coverage["totals"]["courses"] == 5
    assert th["platforms"][0]["status"] == "harvested" and th["last_successful_crawl"]
    assert {x["value"] for x in th["languages"]} == {lang for r in served["records"] for lang in r["languages"]}
    platform = get(served, "/api/v1/platforms")["platforms"][0]
    assert (platform["id"], platform["courses"], platform["last_crawl"]["status"]) == ("fixturemooc", 5, "complete")
    paths = get(served, "/openapi.json")["paths"]
    assert {"/api/v1/search", "/api/v1/courses/{id}", "/api/v1/suggest", "/api/v1/platforms", "/api/v1/coverage",
            "/api/v1/health"} <= set(paths)


def test_serve_with_two_workers_reads_the_same_store_and_index(served, tmp_path):
    server = Server(*served["options"], env=served["env"], log=tmp_path / "serve2.log", serve=("--workers", "2"))
    try:
        server.wait()
        with httpx.Client(base_url=server.base, timeout=30) as http:
            for _ in range(6):  # connections land on either worker
                with httpx.Client(base_url=server.base, timeout=30) as fresh:
                    health = fresh.get("/api/v1/health").json()
                assert health["store"]["documents"] == health["index"]["documents"] == 5
            assert http.get("/api/v1/platforms").json()["platforms"][0]["id"] == "fixturemooc"
    finally:
        server.stop()


def test_a_running_server_sees_courses_gone_after_a_recrawl_and_index(served):
    """Last in the module: changes the fixture site and the store."""
    page3 = next(r for r in served["site"].routes if r.query.get("page") == "3")
    page3.body, page3.file = '{"results": [], "pagination": {"next": null}}', None
    mooc(*served["options"], "crawl", "--platform", "fixturemooc", env=served["env"])
    figures = json.loads(mooc(*served["options"], "index", env=served["env"]).stdout.strip().splitlines()[-1])
    assert (figures["deleted"], figures["unchanged"], figures["documents"]) == (2, 3, 3)
    deadline = time.monotonic() + 10  # the server's index reader notices another process's commit within ~1 s
    while (body := get(served, "/api/v1/search", size=100))["total"] != 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert body["total"] == 3 and "fixturemooc:TSINGHUA+AI01" not in {r["id"] for r in body["results"]}
    assert get(served, "/api/v1/health")["index"]["documents"] == 3
    gone = get(served, "/api/v1/courses/fixturemooc:TSINGHUA+AI01")
    assert gone["status"] == "gone"  # the store still knows it


def test_index_rebuild_refused_when_the_count_changes_too_much(served):
    """After the previous test: the index holds 3 courses; a rebuild that would empty it is refused."""
    import sqlite3
    with sqlite3.connect(served["db"]) as db:
        db.execute("UPDATE courses SET status = 'gone'")
    result = subprocess.run([*MOOC, *served["options"], "index", "--rebuild", "--max-change", "0.5"], cwd=REPO,
                            env=served["env"], capture_output=True, text=True)
    assert result.returncode == 1 and "refused" in result.stderr and result.stdout == ""
    assert get(served, "/api/v1/health")["index"]["documents"] == 3  # the live index is untouched
