"""The mooc command as a user runs it."""
from __future__ import annotations

import json

import jsonschema

from harvester.registry import asem_countries
from harvester.schema import json_schema, shipped_json_schema
from tests.conftest import run_mooc


def test_shipped_json_schema_is_the_one_the_model_generates():
    assert shipped_json_schema() == json_schema()
    jsonschema.Draft202012Validator.check_schema(shipped_json_schema())


def test_platforms_lists_every_asem_country_with_spider_availability():
    rows = json.loads(run_mooc("platforms", "--format", "json").stdout)
    assert len(asem_countries()) == 51
    assert {r["country"] for r in rows} == {c.code for c in asem_countries()}
    for row in rows:
        assert row["platforms"] or row["note"], row["country"]
    families = {p["family"]: p["spider"] for r in rows for p in r["platforms"]}
    assert families["openedx"] is True
    assert any(spider is False for spider in families.values())  # families still without a spider show so


def test_platforms_table_is_readable():
    out = run_mooc("platforms").stdout
    assert "Thailand" in out and "openedx" in out and "51 countries" in out


def test_unknown_platform_is_a_clear_error(tmp_path):
    result = run_mooc("crawl", "--platform", "nope", db=tmp_path / "c.db", check=False)
    assert result.returncode != 0 and "nope" in result.stderr


def test_bad_registry_is_a_clear_error(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("platforms:\n  - id: X Y\n    name: n\n    country: FR\n    family: openedx\n    url: http://x\n")
    result = run_mooc("platforms", registry=bad, check=False)
    assert result.returncode != 0 and "must match" in result.stderr


def test_scrapy_list_names_the_families():
    import subprocess
    import sys

    from tests.conftest import REPO
    out = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=REPO, capture_output=True, text=True)
    assert "openedx" in out.stdout.split()


def test_scrapy_crawl_runs_a_family_spider_for_one_platform(tmp_path, openedx_site):
    import os
    import sqlite3
    import subprocess
    import sys

    from tests.conftest import REPO, TEST_ENV, write_registry
    registry = write_registry(tmp_path, {"id": "fixturemooc", "name": "F", "country": "TH", "family": "openedx",
                                         "url": openedx_site.base})
    db = tmp_path / "c.db"
    env = {**os.environ, **TEST_ENV, "MOOC_REGISTRY": str(registry), "MOOC_DB": str(db)}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "openedx", "-a", "platform=fixturemooc"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, new FROM crawl_runs").fetchall() == [("complete", 5)]


def test_a_registry_schedule_that_is_not_cron_is_a_clear_error(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("platforms:\n  - {id: x, name: n, country: FR, family: openedx, url: 'http://x', schedule: 'daily'}\n")
    result = run_mooc("platforms", registry=bad, check=False)
    assert result.returncode != 0 and "not a cron expression" in result.stderr
