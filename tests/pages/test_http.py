"""The pages over plain HTTP (the same `mooc serve`): languages, headers, downloads, errors, no external assets."""
from __future__ import annotations

import csv
import io
import re

import pytest

from harvester.registry import asem_countries


def html(served, path: str, status: int = 200, **kwargs) -> str:
    response = served["http"].get(path, **kwargs)
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def lang_of(text: str) -> str:
    return re.search(r'<html lang="([^"]+)"', text).group(1)


@pytest.mark.parametrize("header, expected", [
    ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
    ("ko-KR,ko;q=0.9", "ko"),
    ("th", "th"),
    ("de-DE, th;q=0.4, en;q=0.3", "th"),        # the first the interface has, by weight
    ("ja, en;q=0.5", "en"),
    ("fr;q=0, ko;q=0.1", "ko"),                   # q=0 means "not this one"
    ("*", "en"),
    ("", "en"),
    ("x" * 500 + ";q=abc", "en"),
])
def test_the_interface_language_follows_accept_language(served, header, expected):
    assert lang_of(html(served, "/dashboard", headers={"Accept-Language": header})) == expected


def test_the_switch_sets_a_cookie_that_wins_over_the_browser(served):
    http = served["http"]
    http.cookies.clear()
    response = http.get("/?lang=th", headers={"Accept-Language": "fr"})
    assert lang_of(response.text) == "th" and response.headers["content-language"] == "th"
    assert "lang=th" in response.headers["set-cookie"] and "httponly" in response.headers["set-cookie"].lower()
    assert lang_of(http.get("/health-report", headers={"Accept-Language": "fr"}).text) == "th"
    assert lang_of(http.get("/?lang=xx", headers={"Accept-Language": "fr"}).text) == "th"   # unknown: ignored
    http.cookies.clear()
    assert lang_of(http.get("/", headers={"Accept-Language": "fr"}).text) == "fr"


def test_pages_send_a_strict_content_security_policy_and_fetch_nothing_from_elsewhere(served):
    for path in ("/", "/courses/hocmo:HOCMO+PY101", "/dashboard", "/health-report"):
        response = served["http"].get(path)
        assert response.status_code == 200
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assets = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', response.text)
        assert assets and all(a.startswith("/static/") or a == "data:," for a in assets), assets
        tags = re.findall(r"<[a-zA-Z][^<>]*>", response.text)   # course text is escaped, so never a tag here
        assert not [t for t in tags if re.search(r"\s(on[a-z]+|style)\s*=", t)]


def test_a_query_is_reflected_escaped(served):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    text = html(served, "/", params={"q": payload})
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;' in text


def test_bad_filters_and_unknown_courses_answer_html_pages(served):
    text = html(served, "/", 422, params={"country": "Thailand!"})
    assert "country" in text and "not accepted" in text
    assert "not accepted" in html(served, "/", 422, params={"free": "maybe"})
    text = html(served, "/courses/hocmo:NOPE", 404)
    assert "hocmo:NOPE" in text and "Course not found" in text
    assert "Course not found" in html(served, "/courses/" + "<script>x", 404).replace("&lt;script&gt;", "")
    # foreign parameters of a shared link (utm_…) do not break a search; the API stays strict
    assert html(served, "/", params={"q": "python", "utm_source": "mail"})
    assert served["http"].get("/api/v1/search", params={"utm_source": "mail"}).status_code == 400
    assert served["http"].get("/api/v1/nothing").headers["content-type"].startswith("application/json")


def test_empty_filter_values_from_a_plain_form_are_ignored(served):
    text = html(served, "/", params={"q": "", "free": "", "certificate": "", "sort": "relevance"})
    assert f"{len(served['records'])} courses found" in text


def test_csv_and_json_downloads_carry_the_dashboard_figures(served):
    http = served["http"]
    coverage = http.get("/api/v1/coverage").json()
    response = http.get("/dashboard.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["code"] for r in rows] == [c.code for c in asem_countries()] + ["ASEM"]
    by_code = {r["code"]: r for r in rows}
    for country in coverage["countries"]:
        row = by_code[country["code"]]
        assert int(row["courses"]) == country["courses"]
        assert int(row["platforms"]) == len(country["platforms"])
        assert row["languages"] == "|".join(f"{x['value']}:{x['count']}" for x in country["languages"])
    assert int(by_code["ASEM"]["courses"]) == coverage["totals"]["courses"] == len(served["records"])
    assert (by_code["PH"]["failing"], by_code["VN"]["no_spider"], by_code["BN"]["no_known_listing"]) == \
        ("1", "1", "yes")
    body = http.get("/dashboard.json")
    assert body.headers["content-type"].startswith("application/json")
    figures = body.json()
    assert figures["totals"]["courses"] == coverage["totals"]["courses"]
    assert [c["code"] for c in figures["countries"]] == [c["code"] for c in coverage["countries"]]
    vn = next(c for c in figures["countries"] if c["code"] == "VN")
    assert {p["id"] for p in vn["platform_list"]} == {"hocmo", "nospider"}
    assert vn["freshness"] == "fresh" and vn["age_hours"] is not None and vn["age_hours"] < 1
    assert any(f["name"] == "Information and communication technologies" for f in vn["isced_fields"])


def test_static_files_are_served_with_validators_and_nothing_else(served):
    http = served["http"]
    css = http.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert http.get("/static/style.css", headers={"If-None-Match": css.headers["etag"]}).status_code == 304
    assert http.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    for name in ("../routes.py", "..%2Froutes.py", "routes.py", "missing.css", "%2e%2e%2fi18n.py"):
        assert http.get("/static/" + name).status_code == 404


def test_the_pages_are_not_in_the_api_document(served):
    paths = served["http"].get("/openapi.json").json()["paths"]
    assert all(p.startswith("/api/v1/") for p in paths)
