"""Registry data may not point the harvester inside our own network (production mode)."""
from __future__ import annotations

import sqlite3

import pytest

from harvester.middlewares import _is_private
from tests.conftest import run_mooc, write_registry
from tests.test_openedx_crawl import platform_entry


@pytest.mark.parametrize("address, private", [
    ("127.0.0.1", True), ("10.1.2.3", True), ("192.168.0.10", True), ("172.16.5.4", True),
    ("169.254.169.254", True), ("::1", True), ("fd00::1", True), ("0.0.0.0", True),
    ("8.8.8.8", False), ("2001:4860:4860::8888", False),
])
def test_non_global_addresses_are_private(address, private):
    assert _is_private(address) is private


def test_a_loopback_platform_is_refused_unless_allowed_explicitly(tmp_path, openedx_site):
    registry = write_registry(tmp_path, platform_entry(openedx_site.base))
    db = tmp_path / "c.db"
    result = run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db, check=False,
                      env={"MOOC_ALLOW_PRIVATE_HOSTS": ""})
    assert result.returncode == 1
    assert openedx_site.requests == []  # not even robots.txt was fetched
    with sqlite3.connect(db) as conn:
        status = conn.execute("SELECT status FROM crawl_runs").fetchone()[0]
        message = conn.execute("SELECT message FROM crawl_errors").fetchone()[0]
    assert status == "failed" and "non-public address" in message


def test_a_next_link_off_the_platform_is_not_followed_and_leaves_the_crawl_incomplete(tmp_path, openedx_site):
    page2 = next(r for r in openedx_site.routes if r.query.get("page") == "2")
    page2.body = (openedx_site.folder / page2.file).read_text().replace(
        '"next": "${BASE}/api/courses/v1/courses/?page=3&page_size=100"',
        '"next": "http://elsewhere.example/api/courses/v1/courses/?page=3"')
    page2.file = None
    registry = write_registry(tmp_path, platform_entry(openedx_site.base))
    db = tmp_path / "c.db"
    result = run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db)
    assert "incomplete" in result.stderr
    with sqlite3.connect(db) as conn:
        kind, url, message = conn.execute("SELECT kind, url, message FROM crawl_errors WHERE kind = 'offsite'").fetchone()
    assert url.startswith("http://elsewhere.example/") and "allowed_hosts" in message
    assert all(r.path != "/api/courses/v1/courses/" or r.query.get("page") != ["3"] for r in openedx_site.requests)
