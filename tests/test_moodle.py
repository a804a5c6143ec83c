"""End to end: crawl the Moodle fixture site (guest catalogue and web service) into a fresh store.

Five registry entries on one fixture site: the category catalogue, the search
catalogue, the web service (get_courses; paged search_courses) and a site whose
token is refused. The token must reach the server in the POST body and never
show in URLs, logs, the store or crawl errors.
"""
from __future__ import annotations

import sqlite3

import jsonschema
import pytest

from harvester.registry import Platform
from harvester.schema import shipped_json_schema
from harvester.sources import moodle
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site

TOKEN = "f1x7ur3-s3cr3t-t0k3n-9b8c7d6e5f4a"
PLATFORMS = ("fixmoodle", "fixmoodle-search", "fixmoodle-ws", "fixmoodle-wssearch", "fixmoodle-bad")
TOKENS = {"MOOC_TOKEN_FIXMOODLE_WS": TOKEN, "MOOC_TOKEN_FIXMOODLE_WSSEARCH": TOKEN, "MOOC_TOKEN_FIXMOODLE_BAD": TOKEN}


def entries(base: str) -> list[dict]:
    common = {"country": "RU", "family": "moodle", "url": base, "languages": ["ru", "el"]}
    return [
        {**common, "id": "fixmoodle", "name": "Fixture Moodle", "perpage": 3},
        {**common, "id": "fixmoodle-search", "name": "Fixture Moodle search", "catalogue": "search",
         "search_terms": ["язык"]},
        {**common, "id": "fixmoodle-ws", "name": "Fixture Moodle web service"},
        {**common, "id": "fixmoodle-wssearch", "name": "Fixture Moodle web service search",
         "ws_function": "core_course_search_courses", "search_terms": ["a"], "perpage": 2},
        {**common, "id": "fixmoodle-bad", "name": "Fixture Moodle refused token", "url": f"{base}/bad"},
    ]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("moodle")
    with fixture_site("moodle") as site:
        registry = write_registry(tmp, *entries(site.base))
        db = tmp / "catalogue.db"
        args = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
        # exits 1: the platform whose token is refused fails (the others complete)
        result = run_mooc("crawl", "--verbose", *args, registry=registry, db=db, check=False,
                          env={**TOKENS, "MOOC_LOG_LEVEL": "DEBUG"})  # Scrapy logs every request URL
        records = {r["id"]: r for r in export_jsonl(db)}
        with sqlite3.connect(db) as conn:
            runs = {row[0]: row[1:] for row in conn.execute(
                "SELECT platform, status, fetched, new, rejected, errors FROM crawl_runs")}
            errors = conn.execute("SELECT r.platform, e.kind, e.url, e.message FROM crawl_errors e "
                                  "JOIN crawl_runs r ON r.id = e.run_id").fetchall()
        yield {"registry": registry, "db": db, "site": site, "result": result, "records": records,
               "runs": runs, "errors": errors}


def of(crawled, platform: str) -> dict[str, dict]:
    return {k.split(":", 1)[1]: v for k, v in crawled["records"].items() if v["platform"] == platform}


def test_exported_records_validate_against_the_shipped_schema(crawled):
    schema = shipped_json_schema()
    for record in crawled["records"].values():
        jsonschema.validate(record, schema)


# guest catalogue, categories ----------------------------------------------------
def test_catalogue_finds_every_category_and_page(crawled):
    assert sorted(of(crawled, "fixmoodle")) == ["11", "12", "13", "14", "21", "31"]
    pages = [(r.query.get("categoryid", ["-"])[0], r.query.get("page", ["-"])[0], r.status)
             for r in crawled["site"].requests_to("/course/index.php")]
    # front page, category 2 (500 then retried), its page 2, category 3, then subcategory 5 found on 3
    assert sorted(pages) == sorted([("-", "-", 200), ("2", "0", 500), ("2", "0", 200), ("2", "1", 200),
                                    ("3", "0", 200), ("5", "0", 200)])
    assert crawled["runs"]["fixmoodle"] == ("complete", 7, 6, 1, 0)


def test_boost_course_box_with_teachers_and_image(crawled):
    course = of(crawled, "fixmoodle")["11"]
    base = crawled["site"].base
    assert course["id"] == "fixmoodle:11" and course["source_id"] == "11" and course["country"] == "RU"
    assert course["title"] == "Русский язык для начинающих"
    assert course["url"] == f"{base}/course/view.php?id=11"
    assert course["summary"] == ("Курс для тех, кто начинает изучать русский язык.\n\n"
                                 "Второй абзац: грамматика & лексика.")
    assert course["instructors"] == ["Анна Петрова", "Иван Сидоров"]
    assert course["image_url"] == f"{base}/pluginfile.php/45/course/overviewfiles/russkij.jpg"
    assert course["subjects"] == ["Языки и литература"]  # the category the page lists
    assert course["languages"] == ["ru"] and course["language_source"] == "detected"
    assert course["runs"] == [] and course["unparsed"] == {}


def test_course_box_with_missing_fields(crawled):
    course = of(crawled, "fixmoodle")["12"]
    assert course["title"] == "Литература XIX века"
    assert course["summary"] is None and course["image_url"] is None and course["instructors"] == []
    assert course["subjects"] == ["Языки и литература"]


def test_second_page_and_teacher_without_profile_link(crawled):
    course = of(crawled, "fixmoodle")["14"]
    assert course["url"] == f"{crawled['site'].base}/course/view.php?id=14"  # section=0 dropped
    assert course["instructors"] == ["Мария Кузнецова"]
    assert course["summary"] == "Ἐν ἀρχῇ ἦν ὁ λόγος — чтение древнегреческих текстов."


def test_hostile_markup_is_made_harmless(crawled):
    course = of(crawled, "fixmoodle")["13"]
    assert "<" not in course["title"] and course["title"].startswith("Поэзия & проза")
    assert "alert" not in course["summary"] and "Стихи" in course["summary"]


def test_card_theme_and_link_only_theme(crawled):
    courses = of(crawled, "fixmoodle")
    base = crawled["site"].base
    physics = courses["21"]
    assert physics["title"] == "Εισαγωγή στη Φυσική"
    assert physics["image_url"] == f"{base}/pluginfile.php/77/course/overviewfiles/fysiki.png"  # from a CSS background
    assert physics["instructors"] == ["Γιώργος Παπαδόπουλος"]
    assert physics["subjects"] == ["Φυσικές Επιστήμες"] and physics["languages"] == ["el"]
    astronomy = courses["31"]  # a theme with bare course links, in a subcategory
    assert astronomy["title"] == "Αστρονομία για όλους" and astronomy["subjects"] == ["Αστρονομία"]
    assert astronomy["url"] == f"{base}/course/view.php?id=31"
    assert "1" not in courses  # the site front page linked from the footer is no course


def test_course_box_without_a_link_is_rejected(crawled):
    rejected = [e for e in crawled["errors"] if e[0] == "fixmoodle" and e[1] == "rejected"]
    assert len(rejected) == 1
    assert "url" in rejected[0][3] and "categoryid=3" in rejected[0][2]


# guest catalogue, search ---------------------------------------------------------
def test_search_catalogue_reads_the_category_line(crawled):
    courses = of(crawled, "fixmoodle-search")
    assert sorted(courses) == ["11", "14"]
    assert courses["11"]["title"] == "Русский язык для начинающих"  # highlight markup gone
    assert courses["11"]["subjects"] == ["Языки и литература"]
    assert crawled["runs"]["fixmoodle-search"] == ("complete", 2, 2, 0, 0)
    searches = crawled["site"].requests_to("/course/search.php")
    assert [(r.query["search"], r.query["perpage"]) for r in searches] == [(["язык"], ["all"])]


# web service ------------------------------------------------------------------------
def test_web_service_courses(crawled):
    courses = of(crawled, "fixmoodle-ws")
    base = crawled["site"].base
    assert sorted(courses) == ["11", "12", "21"]  # not 1 (the site), not 15 (hidden); 24 has no title
    russian = courses["11"]
    assert russian["title"] == "Русский язык для начинающих"
    assert russian["url"] == f"{base}/course/view.php?id=11"
    assert russian["summary"] == "Курс для тех, кто начинает изучать русский язык."
    assert russian["languages"] == ["ru"] and russian["language_source"] == "declared"
    assert russian["runs"] == [{"start": "2026-01-01T00:00:00Z", "end": "2026-06-01T00:00:00Z",
                                "enrollment_start": None, "enrollment_end": None, "pacing": None}]
    literature = courses["12"]  # startdate/enddate 0 mean none, lang "" means the site default
    assert literature["runs"] == [] and literature["summary"] is None
    assert literature["language_source"] != "declared"
    physics = courses["21"]
    assert physics["languages"] == ["el"] and physics["runs"][0]["start"] == "2026-03-15T00:00:00Z"
    assert physics["runs"][0]["end"] is None
    assert crawled["runs"]["fixmoodle-ws"] == ("complete", 4, 3, 1, 0)


def test_web_service_search_pages_with_contacts_and_public_image(crawled):
    courses = of(crawled, "fixmoodle-wssearch")
    base = crawled["site"].base
    assert sorted(courses) == ["11", "21", "31"]
    assert courses["11"]["instructors"] == ["Анна Петрова", "Иван Сидоров"]
    assert courses["11"]["subjects"] == ["Языки и литература"]
    # webservice/pluginfile.php needs the token: the public pluginfile.php URL is kept instead
    assert courses["11"]["image_url"] == f"{base}/pluginfile.php/45/course/overviewfiles/russkij.jpg"
    assert courses["21"]["image_url"] is None  # a generated data: pattern is no image
    assert courses["31"]["instructors"] == ["Γιώργος Παπαδόπουλος"]
    calls = [(r.query["wsfunction"][0], r.query.get("page", ["-"])[0]) for r in crawled["site"].requests
             if r.path == "/webservice/rest/server.php" and r.query["wsfunction"][0] == "core_course_search_courses"]
    assert calls == [("core_course_search_courses", "0"), ("core_course_search_courses", "1")]


def test_refused_token_is_a_clear_page_error(crawled):
    assert crawled["runs"]["fixmoodle-bad"] == ("failed", 0, 0, 0, 1)
    assert crawled["result"].returncode == 1
    (error,) = [e for e in crawled["errors"] if e[0] == "fixmoodle-bad"]
    assert error[1] == "parse" and "invalidtoken" in error[3] and "Invalid token" in error[3]
    assert error[2].startswith(f"{crawled['site'].base}/bad/webservice/rest/server.php")


def test_token_travels_in_the_post_body_only(crawled):
    site = crawled["site"]
    ws_calls = [r for r in site.requests if r.path.endswith("/webservice/rest/server.php")]
    assert ws_calls and all(r.method == "POST" and f"wstoken={TOKEN}".encode() in r.body for r in ws_calls)
    assert all(TOKEN not in str(r.query) and TOKEN not in r.path for r in site.requests)
    assert TOKEN not in crawled["result"].stdout and TOKEN not in crawled["result"].stderr
    assert "Crawled (200) <POST " in crawled["result"].stderr  # Scrapy's request lines are in the log
    assert TOKEN.encode() not in crawled["db"].read_bytes()
    assert not any(TOKEN in (e[2] or "") + e[3] for e in crawled["errors"])


def test_no_token_no_web_service():
    platform = Platform(id="up-model", name="x", country="PH", family="moodle", url="https://m.example/")
    assert moodle.token_variable("up-model") == "MOOC_TOKEN_UP_MODEL"
    assert moodle.ws_token(platform, {"MOOC_TOKEN_UP_MODEL": "  "}) is None
    assert moodle.ws_token(platform, {"MOOC_TOKEN_UP_MODEL": "abc"}) == "abc"


def test_a_login_wall_is_reported_not_taken_for_an_empty_catalogue():
    platform = Platform(id="m", name="m", country="PH", family="moodle", url="https://m.example")
    with pytest.raises(moodle.PageError, match="login"):
        moodle.parse_catalogue("<html><form id=login></form></html>", "https://m.example/login/index.php", platform,
                               start=True)
    with pytest.raises(moodle.PageError, match="no course categories"):
        moodle.parse_catalogue("<html><p>Welcome</p></html>", "https://m.example/course/index.php", platform,
                               start=True)


def test_search_catalogue_needs_search_terms():
    platform = Platform(id="m", name="m", country="PH", family="moodle", url="https://m.example",
                        options={"catalogue": "search"})
    with pytest.raises(moodle.PageError, match="search_terms"):
        moodle.catalogue_start(platform)


def test_a_category_page_failing_for_good_leaves_the_crawl_incomplete(crawled):
    site = crawled["site"]
    route = next(r for r in site.routes if r.query.get("categoryid") == "5")
    route.status = 500
    try:
        result = run_mooc("crawl", "--platform", "fixmoodle", registry=crawled["registry"], db=crawled["db"])
    finally:
        route.status = 200
    assert "incomplete" in result.stderr
    assert "fixmoodle:31" in {r["id"] for r in export_jsonl(crawled["db"])}  # not marked gone
    with sqlite3.connect(crawled["db"]) as db:
        status, errors = db.execute(
            "SELECT status, errors FROM crawl_runs WHERE platform = 'fixmoodle' ORDER BY id DESC").fetchone()
        kind, url, message = db.execute(
            "SELECT kind, url, message FROM crawl_errors WHERE kind = 'http' ORDER BY id DESC").fetchone()
    assert (status, errors) == ("incomplete", 1)
    assert "categoryid=5" in url and "500" in message


def test_moodle3_jump_menu_and_a_site_under_a_path():
    platform = Platform(id="m", name="m", country="GB", family="moodle", url="https://www.example.org/create/",
                        options={"perpage": 20})
    html = """<html><body>
      <form action="https://www.example.org/create/course/jumpto.php"><select name="jump">
        <option value="/course/index.php?categoryid=7">Partners / Health</option>
        <option value="/course/index.php?categoryid=8&amp;browse=courses">Partners / Языки</option>
      </select></form>
      <a href="https://www.example.org/course/index.php?categoryid=9">another site on the same host</a>
      <a href="https://elsewhere.example/create/course/index.php?categoryid=10">another host</a>
    </body></html>"""
    page = moodle.parse_catalogue(html, "https://www.example.org/create/course/index.php", platform, start=True)
    assert page.drafts == []
    assert page.links == [
        moodle.CatalogueLink("https://www.example.org/create/course/index.php?categoryid=7&browse=courses"
                             "&perpage=20&page=0", "Health"),
        moodle.CatalogueLink("https://www.example.org/create/course/index.php?categoryid=8&browse=courses"
                             "&perpage=20&page=0", "Языки")]


def test_web_service_courses_by_field():
    request = moodle.ws_request("https://m.example", "core_course_get_courses_by_field")
    text = """{"courses": [
        {"id": 5, "fullname": "Φιλοσοφία", "categoryname": "Ανθρωπιστικές", "lang": "el", "visible": 1,
         "startdate": 1767225600, "enddate": 0, "contacts": [{"id": 2, "fullname": "Ελένη Νικολάου"}],
         "courseimage": "https://m.example/pluginfile.php/9/course/overviewfiles/f.jpg"},
        "not a course"], "warnings": []}"""
    page = moodle.parse_page(text, request)
    assert page.next is None
    assert page.drafts == [
        {"source_id": "5", "title": "Φιλοσοφία", "url": "https://m.example/course/view.php?id=5", "summary": None,
         "languages": "el", "subjects": ["Ανθρωπιστικές"], "instructors": ["Ελένη Νικολάου"],
         "image_url": "https://m.example/pluginfile.php/9/course/overviewfiles/f.jpg",
         "runs": [{"start": 1767225600, "end": None}]},
        {"source_id": None, "title": None, "url": None}]  # rejected and counted downstream
    assert request.method == "POST" and request.body is None  # the spider adds the token as it sends it


def test_requests_the_source_describes_hold_no_token():
    """Crawl checkpoints save the next request as JSON: it must not carry the token."""
    import json
    from dataclasses import asdict

    platform = Platform(id="m-ws", name="m", country="PH", family="moodle", url="https://m.example",
                        options={"ws_function": "core_course_search_courses", "search_terms": ["a", "e"],
                                 "perpage": 1})
    first = moodle.first_request(platform, {"MOOC_TOKEN_M_WS": TOKEN})
    page = moodle.parse_page('{"total": 2, "courses": [{"id": 4, "fullname": "A", "visible": 1}]}', first)
    assert [d["source_id"] for d in page.drafts] == ["4"] and page.next.state["page"] == 1
    last = moodle.parse_page('{"total": 2, "courses": [{"id": 4, "fullname": "A"}]}', page.next)
    assert last.drafts == [] and last.next.state["terms"] == ["e"]  # seen on page 0: not yielded twice
    for request in (first, page.next, last.next):
        assert TOKEN not in json.dumps(asdict(request))
    assert moodle.with_token(None, TOKEN) == f"wstoken={TOKEN}"
