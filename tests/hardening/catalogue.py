"""A small real catalogue for the hardening tests and ``bench/fuzz_api.py``: the Open edX fixture platform
crawled with ``mooc crawl``, the API tests' written courses (every filter value, several scripts), a few
courses with hostile but schema-valid text, all indexed with ``mooc index``."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from harvester.schema import Course
from tests.api import catalogue_data
from tests.api.conftest import fill_store, mooc, mooc_env, write_registry
from tests.fixture_sites.server import site as fixture_site

FIXTURE_PLATFORM = {"id": "fixturemooc", "name": "Fixture MOOC", "country": "TH", "family": "openedx",
                    "languages": ["th", "en"], "enabled": True}

# Text a platform could send: markup, script, query syntax of both engines, SQL, traversal.
HOSTILE_TEXT = [
    ("<script>alert('t')</script> Data & \"Science\"", "<img src=x onerror=alert(1)> description"),
    ('title:* OR 1=1; DROP TABLE courses; -- "unbalanced', "') OR ('1'='1 \\ NEAR(a b) AND NOT *:*"),
    ("../../etc/passwd %2e%2e%2f \x7f control", "{{7*7}} ${7*7} <%= 7*7 %> javascript:alert(1)"),
]


def hostile_courses() -> list[dict[str, Any]]:
    out = []
    for n, (title, description) in enumerate(HOSTILE_TEXT):
        record = Course(
            id=f"openhpi:EVIL+{n}/../x?y=1#z", platform="openhpi", source_id=f"EVIL+{n}/../x?y=1#z",
            url=f'https://open.hpi.example/courses/{n}"><script>alert({n})</script>',
            country="DE", harvested_at=catalogue_data.HARVESTED, title=title, description=description,
            summary=description, languages=["en"], language_source="declared",
            organizations=[{"name": "<b>Org</b> & Co", "country": "DE"}],
            runs=[{"start": "2020-01-01", "end": "2020-02-01", "pacing": "instructor_paced"}],
        ).model_dump()
        record["content_hash"] = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
        out.append(record)
    return out


def build(folder: Path) -> dict[str, Any]:
    """Crawl, write, index into ``folder``; returns db, registry, env and the ``mooc`` options."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "catalogue.db"
    env = mooc_env(MOOC_INDEX="embedded", MOOC_INDEX_DIR=str(folder / "index"), MOOC_RATE_LIMIT="0")
    with fixture_site("openedx") as site:
        registry = write_registry(folder, [*catalogue_data.PLATFORMS, {**FIXTURE_PLATFORM, "url": site.base}],
                                  [{"code": "BN", "note": "No known public MOOC listing."}])
        options = ("--db", str(db), "--registry", str(registry))
        mooc(*options, "crawl", "--platform", "fixturemooc", env=env)
    fill_store(db, catalogue_data.courses() + hostile_courses())
    mooc(*options, "index", env=env)
    return {"db": db, "registry": registry, "env": env, "options": options, "index_dir": folder / "index"}
