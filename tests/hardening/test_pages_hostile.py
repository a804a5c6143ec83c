"""The pages over a store holding what validation should have kept out (a store written by an older
version, or edited by hand) and a registry with a `javascript:` platform URL: every page escapes the text
and links nothing but http(s). Complements tests/pages (valid hostile records, in a browser)."""
from __future__ import annotations

import re

import httpx
import lxml.html
import pytest

from harvester.store import Store
from tests.api.conftest import Server, mooc, mooc_env, write_registry

JS = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
EVIL_ID = "evilmooc:</title><script>alert(0)</script>"

RECORD = {
    "id": EVIL_ID, "platform": "evilmooc", "source_id": "</title><script>alert(0)</script>",
    "url": "javascript:alert(1)", "image_url": " JaVaScRiPt:alert(2)", "license": "javascript:alert(3)",
    "country": "VN", "harvested_at": "2026-01-01T00:00:00Z", "title": "</title><script>alert(4)</script>",
    "summary": "<img src=x onerror=alert(5)>", "description": "<a href=\"javascript:alert(6)\">click</a>",
    "languages": ["en"], "organizations": [{"name": "\"><svg onload=alert(7)>", "country": "VN"}],
    "instructors": ["<iframe src=javascript:alert(8)>"], "subjects": ["data:text/html,<script>alert(9)</script>"],
    "runs": [{"start": "2020-01-01", "end": None, "pacing": "self_paced"}], "unparsed": {"url": "javascript:x"},
    "is_free": True, "certificate": {"available": None, "price": None, "currency": None}, "content_hash": "h1",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages_hostile")
    db = folder / "catalogue.db"
    registry = write_registry(folder, [{"id": "evilmooc", "name": "<script>alert(10)</script> MOOC", "country": "VN",
                                        "family": "openedx", "url": "javascript:alert(11)", "languages": ["vi"]}])
    with Store(db) as store:       # straight into the store: no validation on this path
        run = store.start_run("evilmooc", "openedx")
        with store.transaction():
            store.upsert(RECORD, run)
        store.record_error(run, "http", "javascript:alert(12)", "<script>alert(13)</script>")
        store.finish_run(run, complete=False, finish_reason="finished", counts={"fetched": 1, "new": 1})
    env = mooc_env(MOOC_INDEX_DIR=str(folder / "index"), MOOC_RATE_LIMIT="0")
    options = ("--db", str(db), "--registry", str(registry))
    mooc(*options, "index", env=env)
    server = Server(*options, env=env, log=folder / "serve.log").wait()
    try:
        with httpx.Client(base_url=server.base, timeout=30) as http:
            yield http
    finally:
        server.stop()


def unsafe(page: str) -> list[str]:
    tree = lxml.html.fromstring(page)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}>")
            if name.lower() in ("href", "src", "action", "formaction", "srcset", "poster", "data") and JS.match(value):
                if not (element.tag == "link" and value == "data:,"):    # the empty favicon
                    found.append(f"<{element.tag} {name}={value!r}>")
        if element.tag in ("iframe", "object", "embed", "svg", "img") and element.get("src", "").startswith("x"):
            found.append(f"<{element.tag}>")
        if element.tag == "script" and not (element.get("src") or "").startswith("/static/"):
            found.append("<script> inline")
        if element.tag in ("iframe", "object", "embed"):
            found.append(f"<{element.tag}>")
    return found


@pytest.mark.parametrize("path", ["/", "/?q=alert", "/courses/evilmooc:%3C%2Ftitle%3E%3Cscript%3Ealert(0)%3C%2Fscript%3E",
                                  "/health-report", "/dashboard"])
def test_pages_show_hostile_text_as_text_and_link_only_http(hostile_site, path):
    response = hostile_site.get(path)
    assert response.status_code == 200, response.text[:500]
    assert unsafe(response.text) == []
    for raw in ("<script>alert", "<svg onload", "<img src=x", "<iframe", "<a href=\"javascript"):
        assert raw not in response.text, raw
    text = lxml.html.fromstring(response.text).text_content()
    if path.startswith(("/courses/", "/?q=")):
        assert "</title><script>alert(4)</script>" in text         # shown, as text
    if path == "/health-report":
        assert "javascript:alert(12)" in text and "<script>alert(13)</script>" in text


def test_the_api_returns_the_stored_text_unchanged_as_json(hostile_site):
    response = hostile_site.get("/api/v1/courses/" + EVIL_ID.replace("/", "%2F"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.json()["title"] == RECORD["title"]
    assert response.headers.get("x-content-type-options") in (None, "nosniff")
