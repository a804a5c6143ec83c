"""Courses, suggestions, platforms, coverage, health and the OpenAPI document (TestClient)."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from harvester.registry import asem_countries
from harvester.schema import Course
from search_api.app import create_app
from search_api.settings import Settings
from tests.api.conftest import CRAWLS


def error_of(response, status: int, parameter=None) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["parameter"] == parameter
    return body["error"]["message"]


@pytest.mark.parametrize("course_id", ["kmooc:SNU+AI01", "thaimooc:CU+PY101", "xuetangx:THU+ML01"])
def test_course_by_id_with_colon_and_plus(client, records, course_id):
    stored = next(r for r in records if r["id"] == course_id)
    for path in (course_id, quote(course_id, safe="")):
        response = client.get(f"/api/v1/courses/{path}")
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == set(Course.model_fields)
        assert {k: body[k] for k in ("id", "title", "runs", "languages")} == {
            k: stored[k] for k in ("id", "title", "runs", "languages")}
        assert body["status"] == "active" and body["first_seen"] and body["content_hash"] == stored["content_hash"]


@pytest.mark.parametrize("path", [
    "kmooc:NOPE", "kmooc:SNU+AI01+extra", "nosuch", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..%2F..%2Fetc%2Fpasswd",
    "....//....//etc/passwd", "%00", "kmooc:SNU%00AI01", "C:%5Cwindows%5Cwin.ini", "x" * 2000,
])
def test_unknown_courses_are_404_json(client, path):
    message = error_of(client.get(f"/api/v1/courses/{path}"), 404, "id")
    assert "passwd" not in message or "no course" in message


def test_dot_segments_never_read_a_file(client):
    # the client normalizes '..' away: the path no longer names a course, and nothing is served from disk
    response = client.get("/api/v1/courses/../../etc/passwd")
    assert response.status_code == 404 and "root:" not in response.text
    assert set(response.json()) == {"error"}


def test_course_endpoint_refuses_parameters(client):
    error_of(client.get("/api/v1/courses/kmooc:SNU+AI01?fields=title"), 400, "fields")


@pytest.mark.parametrize("q, title", [
    ("Intro", "Introduction à la programmation"),
    ("intro", "Introduction à la programmation"),
    ("인공", "인공지능의 이해"),
    ("デー", "データサイエンス入門"),
    ("机器", "机器学习基础"),
    ("การเขียน", "การเขียนโปรแกรมคอมพิวเตอร์ด้วยไพทอน"),
    ("Maschinelles L", "Maschinelles Lernen in der Praxis"),
])
def test_suggest_completes_titles_in_any_script(client, q, title):
    response = client.get("/api/v1/suggest", params={"q": q})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["q"] == q
    assert title in [s["title"] for s in body["suggestions"]]
    assert all(set(s) == {"id", "title"} for s in body["suggestions"])


def test_suggest_size_and_errors(client):
    assert len(client.get("/api/v1/suggest", params={"q": "i", "size": 1}).json()["suggestions"]) <= 1
    error_of(client.get("/api/v1/suggest"), 422, "q")
    error_of(client.get("/api/v1/suggest", params={"q": ""}), 422, "q")
    error_of(client.get("/api/v1/suggest", params={"q": "\u0000 "}), 422, "q")
    error_of(client.get("/api/v1/suggest", params={"q": "x" * 101}), 422, "q")
    error_of(client.get("/api/v1/suggest", params={"q": "a", "size": 21}), 422, "size")
    error_of(client.get("/api/v1/suggest", params={"q": "a", "size": "many"}), 422, "size")
    error_of(client.get("/api/v1/suggest", params={"q": "a", "lang": "fr"}), 400, "lang")


def test_platforms_with_counts_and_crawls(client, records):
    platforms = {p["id"]: p for p in client.get("/api/v1/platforms").json()["platforms"]}
    assert set(platforms) == set(CRAWLS) | {"vnmooc"}
    for pid, outcomes in CRAWLS.items():
        p = platforms[pid]
        assert p["courses"] == sum(1 for r in records if r["platform"] == pid), pid
        assert p["last_crawl"]["status"] == outcomes[-1]
        assert (p["last_successful_crawl"] is None) == ("complete" not in outcomes)
    assert platforms["thaimooc"]["status"] == "harvested" and platforms["thaimooc"]["spider"] is True
    assert platforms["openhpi"]["status"] == "failing" and platforms["openhpi"]["last_successful_crawl"]
    assert platforms["xuetangx"]["status"] == "incomplete"
    vn = platforms["vnmooc"]
    assert (vn["status"], vn["spider"], vn["courses"], vn["last_crawl"], vn["enabled"]) == (
        "no_spider", False, 0, None, False)
    assert platforms["kmooc"]["last_crawl"]["counts"]["fetched"] == 4


def test_coverage_per_country_and_totals(client, records):
    body = client.get("/api/v1/coverage").json()
    countries = {c["code"]: c for c in body["countries"]}
    assert [c["code"] for c in body["countries"]] == [c.code for c in asem_countries()]
    assert len(countries) == 51 == body["totals"]["countries"]
    assert body["totals"]["courses"] == len(records)
    assert body["totals"]["countries_with_courses"] == 6
    assert body["totals"]["countries_with_platforms"] == 7
    assert body["totals"]["platforms"] == 7 and body["totals"]["platforms_harvested"] == 5
    th = countries["TH"]
    assert th["courses"] == 4
    assert {x["value"]: x["count"] for x in th["languages"]} == {"th": 4, "en": 1}
    assert {x["value"]: x["count"] for x in th["isced_fields"]} == {"06": 1, "09": 1, "08": 1, "10": 1}
    assert [p["id"] for p in th["platforms"]] == ["thaimooc"] and th["last_successful_crawl"]
    assert countries["VN"]["courses"] == 0 and countries["VN"]["platforms"][0]["status"] == "no_spider"
    assert countries["BN"] == {**countries["BN"], "note": "No known public MOOC listing.", "platforms": [],
                               "courses": 0, "languages": [], "isced_fields": [], "last_successful_crawl": None}
    totals = {x["value"]: x["count"] for x in body["totals"]["languages"]}
    assert totals == {lang: sum(lang in r["languages"] for r in records)
                      for lang in {lang for r in records for lang in r["languages"]}}
    assert sum(c["courses"] for c in body["countries"]) == body["totals"]["courses"]


def test_health_reports_store_and_index(client, records, written):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["backend"] == written["backend"]
    assert body["store"] == {"ok": True, "documents": len(records), "detail": None}
    assert body["index"]["ok"] and body["index"]["documents"] == len(records)


def test_health_is_503_when_the_store_and_index_are_missing(tmp_path):
    settings = Settings.from_env({}, db=tmp_path / "none.db", index_dir=tmp_path / "noindex")
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/v1/health")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "degraded" and not body["store"]["ok"] and body["store"]["detail"]
        assert not (tmp_path / "none.db").exists()  # health never creates a store
        assert error_of(client.get("/api/v1/coverage"), 503)
        assert error_of(client.get("/api/v1/platforms"), 503)


def test_unknown_endpoint_and_method_are_json(client):
    error_of(client.get("/api/v1/nothing"), 404)
    error_of(client.get("/api/v1/courses/"), 404, "id")
    error_of(client.post("/api/v1/search"), 405)


def test_openapi_lists_every_endpoint_and_the_search_parameters(client):
    doc = client.get("/openapi.json").json()
    assert set(doc["paths"]) == {"/api/v1/search", "/api/v1/courses/{id}", "/api/v1/suggest", "/api/v1/platforms",
                                 "/api/v1/coverage", "/api/v1/health"}
    search = doc["paths"]["/api/v1/search"]["get"]
    names = [p["name"] for p in search["parameters"]]
    assert names == ["q", "country", "language", "platform", "isced", "level", "free", "certificate", "pacing",
                     "availability", "starts_after", "starts_before", "sort", "page", "size", "cursor", "highlight"]
    size = next(p for p in search["parameters"] if p["name"] == "size")
    assert size["schema"]["maximum"] == 100
    availability = next(p for p in search["parameters"] if p["name"] == "availability")
    assert availability["schema"]["items"]["enum"] == ["open", "upcoming", "self_paced", "archived"]
    ok = search["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/SearchResponse")
    assert search["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    schemas = doc["components"]["schemas"]
    hit = schemas["CourseHit"]["properties"]
    assert set(Course.model_fields) | {"highlights"} == set(hit)
    assert set(schemas["Facets"]["properties"]) == {"country", "language", "platform", "isced", "level", "free",
                                                    "certificate", "pacing", "availability"}


def test_health_is_503_when_the_index_is_empty_but_the_store_is_not(written, tmp_path):
    settings = Settings.from_env({}, db=written["db"], registry=written["registry"], index_dir=tmp_path / "empty")
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/v1/health")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "degraded" and body["store"]["documents"] == 20
        assert body["index"]["documents"] == 0 and "mooc index" in body["index"]["detail"]
        assert client.get("/api/v1/search").json()["total"] == 0


def test_an_unreadable_registry_is_a_503_naming_it(written, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("platforms: [{id: 'Bad Id!', name: x}]\n")
    for registry in (tmp_path / "missing.yaml", broken):
        settings = Settings.from_env({}, db=written["db"], registry=registry, index_dir=tmp_path / "index")
        with TestClient(create_app(settings)) as client:
            for path in ("/api/v1/platforms", "/api/v1/coverage"):
                assert registry.name in error_of(client.get(path), 503)
