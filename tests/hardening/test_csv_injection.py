"""Issue 11 #9: no CSV the project writes lets a spreadsheet run a cell as a formula (OWASP rule: text
starting with = + - @ tab or CR, also after leading white space, gets a leading ')."""
from __future__ import annotations

import csv
import io
import os
import subprocess

import pytest

from harvester.csvsafe import safe_cell
from harvester.pipelines.hash import content_hash
from harvester.store import Store
from search_api.pages import views
from tests.conftest import MOOC, REPO, TEST_ENV

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1", "  =1+1", "\u00a0@SUM(1)", "\n-1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_text_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Data science", "", "a=b", "1-2", "'quoted", -3, 2.5, None, "(=1)"])
def test_other_cells_are_left_alone(value):
    assert safe_cell(value) == value


def test_mooc_export_csv_escapes_every_text_cell(tmp_path):
    db = tmp_path / "c.db"
    with Store(db) as store:
        run = store.start_run("thaimooc", "openedx")
        for n, title in enumerate(HOSTILE):
            rec = {"id": f"thaimooc:{n}", "platform": "thaimooc", "source_id": str(n), "url": "https://t.example/c",
                   "country": "TH", "harvested_at": "2026-01-01T00:00:00Z", "title": title,
                   "description": "=cmd", "subjects": ["-x", "ok"], "unparsed": {}}
            rec["content_hash"] = content_hash(rec)
            store.upsert(rec, run)
    done = subprocess.run([*MOOC, "--db", str(db), "export", "--format", "csv"], cwd=REPO, capture_output=True,
                          env={**os.environ, **TEST_ENV}, timeout=120, check=True)
    out = done.stdout.decode()  # bytes: a CR inside a quoted cell stays a CR
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert sorted(r["title"] for r in rows) == sorted("'" + t for t in HOSTILE)
    assert {r["description"] for r in rows} == {"'=cmd"} and {r["subjects"] for r in rows} == {"'-x|ok"}
    for row in rows:
        for cell in row.values():
            assert not cell.lstrip(" \u00a0\n").startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_dashboard_csv_escapes_registry_and_platform_text():
    coverage = {
        "countries": [{"code": "TH", "name": "  =Thailand", "group": "@Asia", "note": "\t+note", "courses": 0,
                       "platforms": [], "languages": [{"value": "-x", "count": 1}], "isced_fields": [],
                       "last_successful_crawl": None}],
        "totals": {"languages": [], "isced_fields": [], "last_successful_crawl": None},
    }
    rows = list(csv.DictReader(io.StringIO(views.dashboard_csv(views.dashboard(coverage, views.datetime.now(
        views.UTC))))))
    assert (rows[0]["name"], rows[0]["group"], rows[0]["note"], rows[0]["languages"]) == \
        ("'  =Thailand", "'@Asia", "'\t+note", "'-x:1")
