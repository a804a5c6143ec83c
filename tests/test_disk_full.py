"""Disk full during a crawl: a clear error, nothing corrupted, nothing stored before is lost."""
from __future__ import annotations

import os
import re
import sqlite3
import subprocess

import pytest

from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.test_openedx_crawl import platform_entry

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root (CI runs as root)")


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder, leave_bytes: int) -> None:
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with open(folder / "filler", "wb") as handle:
        handle.write(b"\0" * max(0, free - leave_bytes))


def test_a_full_disk_stops_the_crawl_clearly_and_keeps_the_store_intact(small_disk, openedx_site):
    registry = write_registry(small_disk.parent, platform_entry(openedx_site.base))
    db = small_disk / "catalogue.db"
    run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db, env={"MOOC_HTTPCACHE": "0"})
    before = {r["id"]: r["content_hash"] for r in export_jsonl(db)}
    assert len(before) == 5

    # every course changes (new titles), and the disk has almost no room left for them
    for route in openedx_site.routes:
        if route.file and route.file.startswith("page"):
            route.body = re.sub(r'"name": "(?=[^"])', '"name": "NEW ', (openedx_site.folder / route.file).read_text())
            route.file = None
    fill(small_disk, leave_bytes=48 * 1024)  # room to open the store, not to write the changes
    result = run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db, check=False,
                      env={"MOOC_HTTPCACHE": "0"})
    assert result.returncode != 0
    assert "disk is full" in result.stderr

    (small_disk / "filler").unlink()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = {r["id"]: r["content_hash"] for r in export_jsonl(db)}
    assert set(after) == set(before)  # nothing lost, nothing marked gone

    run_mooc("crawl", "--platform", "fixturemooc", registry=registry, db=db, env={"MOOC_HTTPCACHE": "0"})
    titles = [r["title"] for r in export_jsonl(db)]
    assert len(titles) == 5 and all(t.startswith("NEW ") for t in titles)
