"""schemaorg family: sitemaps and Course markup (pure), then end to end through `mooc crawl`."""
from __future__ import annotations

import gzip
import json
import sqlite3

import jsonschema
import pytest

from harvester.schema import shipped_json_schema
from harvester.sources.schemaorg import extract_courses
from harvester.sources.sitemaps import MAX_SITEMAP_BYTES, SitemapError, parse_sitemap, sitemaps_from_robots
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import Route
from tests.fixture_sites.server import site as fixture_site

PAGE = "https://mooc.example.org/courses/x"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


# robots.txt and sitemaps ------------------------------------------------------
def test_sitemap_lines_of_robots_txt():
    robots = ("User-agent: *\nDisallow: /admin/\nsitemap: /sitemap-a.xml\n"
              "SITEMAP:   https://cdn.example.org/b.xml.gz  \n# Sitemap: https://x/commented.xml\n"
              "Sitemap: /sitemap-a.xml\nSitemap: ftp://example.org/c.xml\n")
    assert sitemaps_from_robots(robots, "https://mooc.example.org/robots.txt") == [
        "https://mooc.example.org/sitemap-a.xml", "https://cdn.example.org/b.xml.gz"]
    assert sitemaps_from_robots("User-agent: *\nDisallow:\n", "https://mooc.example.org/robots.txt") == []


def test_urlset_and_index_are_told_apart_and_locs_cleaned():
    urlset = (f'<?xml version="1.0"?><urlset {NS}><url><loc>\n  https://m.example.org/a  </loc>'
              '<lastmod>2026-01-01</lastmod></url><url><loc>/relative/b</loc></url>'
              '<url><loc>javascript:alert(1)</loc></url><url><loc></loc></url><url><lastmod>x</lastmod></url>'
              '<url><loc>https://m.example.org/a</loc></url><url><loc>https://m.example.org/q?a=1&amp;b=2</loc></url>'
              '</urlset>').encode()
    sitemap = parse_sitemap(urlset, "https://m.example.org/sitemap.xml")
    assert sitemap.kind == "urlset"
    assert sitemap.urls == ["https://m.example.org/a", "https://m.example.org/relative/b",
                            "https://m.example.org/q?a=1&b=2"]
    assert sitemap.skipped == ["javascript:alert(1)"]
    index = b"<sitemapindex><sitemap><loc>https://m.example.org/s1.xml</loc></sitemap></sitemapindex>"
    assert parse_sitemap(index, "https://m.example.org/x").kind == "index"  # no namespace: still read
    assert parse_sitemap(index, "https://m.example.org/x").urls == ["https://m.example.org/s1.xml"]


def test_gzip_and_text_sitemaps():
    body = gzip.compress(f"<urlset {NS}><url><loc>https://m.example.org/c</loc></url></urlset>".encode())
    assert parse_sitemap(body, "https://m.example.org/s.xml.gz").urls == ["https://m.example.org/c"]
    text = "\ufeffhttps://m.example.org/one\r\n\r\nhttps://m.example.org/two\n".encode()
    assert parse_sitemap(text, "https://m.example.org/s.txt").urls == [
        "https://m.example.org/one", "https://m.example.org/two"]


@pytest.mark.parametrize("body, message", [
    (b"", "empty"),
    (b"<?xml version='1.0'?><urlset><url><loc>https://m.example.org/a</loc></url>", "not well-formed"),
    (b"<!DOCTYPE html><html><body>Not found</body></html>", "not well-formed"),  # DTD forbidden
    (b"<html><body>Maintenance</body></html>", "root element <html>"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
     b"<urlset><url><loc>&lol2;</loc></url></urlset>", "not well-formed"),
    (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
     b"<urlset><url><loc>&xxe;</loc></url></urlset>", "not well-formed"),
    (b"User-agent: *\nDisallow: /\n", "not one URL per line"),
    (b"\xff\xfe\x00garbage", "neither XML nor UTF-8"),
    (gzip.compress(b"<urlset></urlset>")[:-12], "broken gzip"),
])
def test_unreadable_sitemaps_are_errors(body, message):
    with pytest.raises(SitemapError, match=message):
        parse_sitemap(body, "https://m.example.org/sitemap.xml")


def test_a_gzip_bomb_is_stopped_at_the_size_cap():
    bomb = gzip.compress(b"<urlset>" + b" " * (MAX_SITEMAP_BYTES + 10) + b"</urlset>", compresslevel=9)
    assert len(bomb) < 100_000
    with pytest.raises(SitemapError, match="decompresses to more than"):
        parse_sitemap(bomb, "https://m.example.org/bomb.xml.gz")


# Course markup ----------------------------------------------------------------
def html(head: str = "", body: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def jsonld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def test_expanded_iris_prefixed_types_and_type_lists_are_read():
    page = html(jsonld({"@type": ["http://schema.org/Course", "Product"],
                        "http://schema.org/name": [{"@value": "Expanded", "@language": "en"}],
                        "schema:courseCode": "EXP-1"})
                + jsonld({"@context": {"schema": "https://schema.org/"}, "@type": "schema:Course",
                          "name": "Prefixed", "identifier": 4711}))
    drafts = extract_courses(page, PAGE).drafts
    assert [(d["source_id"], d["title"]) for d in drafts] == [("EXP-1", "Expanded"), ("4711", "Prefixed")]


def test_courses_nested_in_item_lists_and_references_resolved():
    page = html(jsonld({"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "#org", "name": "Org by reference"},
        {"@type": "ItemList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "item": {"@type": "Course", "name": "One", "url": "/c/1",
                                                          "provider": {"@id": "#org"}}},
            {"@type": "ListItem", "position": 2, "item": {"@type": "Course", "name": "Two", "url": "/c/2"}}]}]}))
    drafts = extract_courses(page, PAGE).drafts
    assert [d["source_id"] for d in drafts] == ["https://mooc.example.org/c/1", "https://mooc.example.org/c/2"]
    assert drafts[0]["organizations"] == [{"name": "Org by reference", "country": None}]


def test_one_broken_block_does_not_hide_the_others():
    page = html('<script type="application/ld+json">{"@type": "Course", "name": </script>'
                + jsonld({"@context": "https://schema.org", "@type": "Course", "name": "Still here"}))
    found = extract_courses(page, PAGE)
    assert [d["title"] for d in found.drafts] == ["Still here"]
    assert len(found.problems) == 1 and "invalid JSON-LD (script 1)" in found.problems[0]


def test_the_same_course_in_two_syntaxes_is_one_draft():
    page = html(jsonld({"@context": "https://schema.org", "@type": "Course", "name": "Twice",
                        "courseCode": "TW-1"}),
                '<div itemscope itemtype="https://schema.org/Course"><span itemprop="name">Twice (microdata)</span>'
                '<meta itemprop="courseCode" content="TW-1"><span itemprop="description">From microdata</span></div>')
    drafts = extract_courses(page, PAGE).drafts
    assert len(drafts) == 1
    assert drafts[0]["title"] == "Twice" and drafts[0]["description"] == "From microdata"


def test_pages_without_course_markup_and_hostile_input():
    assert extract_courses(html(jsonld({"@type": "Organization", "name": "X"})), PAGE).drafts == []
    assert extract_courses("", PAGE).drafts == [] and extract_courses(b"\x00\xff", PAGE).problems == []
    latin1 = ('<html><head><meta charset="iso-8859-1">' + jsonld({"@type": "Course", "name": "Café"})
              + "</head></html>").encode("latin-1")
    assert extract_courses(latin1, PAGE).drafts[0]["title"] == "Café"  # bytes decoded as the page says
    deep = '{"x": ' * 3000 + '{"@type": "Course", "name": "Deep"}' + "}" * 3000
    found = extract_courses(html(f'<script type="application/ld+json">{deep}</script>'), PAGE)
    assert found.drafts == []  # too deep to be read as a course, and no crash
    assert found.problems  # RecursionError in the JSON decoder, reported


def test_rdfa_values_come_out_in_the_same_order_every_time():
    """RDF is unordered: without sorting, runs and names would change order (and content hash) between crawls."""
    runs = "".join(f'<span rel="hasCourseInstance" typeof="CourseInstance"><meta property="startDate" '
                   f'content="2026-0{m}-01"/><meta property="courseWorkload" content="{m} h/week"/></span>'
                   for m in (5, 1, 3))
    people = "".join(f'<div property="instructor" typeof="Person"><span property="name">{n}</span></div>'
                     for n in ("Zoé", "Anna", "Marc"))
    page = (f'<html><body vocab="https://schema.org/" typeof="Course"><h1 property="name">R</h1>{runs}{people}'
            '<meta property="keywords" content="b"/><meta property="keywords" content="a"/></body></html>')
    drafts = [extract_courses(page, PAGE).drafts[0] for _ in range(8)]
    assert all(d == drafts[0] for d in drafts)
    assert [r["start"] for r in drafts[0]["runs"]] == ["2026-01-01", "2026-03-01", "2026-05-01"]
    assert drafts[0]["effort"] == "1 h/week"  # the first run's
    assert drafts[0]["instructors"] == ["Anna", "Marc", "Zoé"] and drafts[0]["keywords"] == ["a", "b"]


@pytest.mark.parametrize("offers, accessible, is_free, certificate", [
    ([{"category": "Paid", "price": "120", "priceCurrency": "EUR"}], None, False, {}),
    ([{"category": "Subscription"}], None, False, {}),
    ([{"category": "Partially Free"}, {"price": 39, "priceCurrency": "USD"}], None, True,
     {"available": True, "price": "39", "currency": "USD"}),
    ([{"price": "0"}], None, True, {}),
    ([{"price": "49"}], "https://schema.org/True", True, {"available": True, "price": "49", "currency": None}),
    ([], "False", False, {}),
    ([], "sometimes", "sometimes", {}),  # not a schema.org Boolean: left to the normalizer
])
def test_offers_and_is_accessible_for_free(offers, accessible, is_free, certificate):
    course = {"@context": "https://schema.org", "@type": "Course", "name": "Priced", "offers": offers}
    if accessible is not None:
        course["isAccessibleForFree"] = accessible
    draft = extract_courses(html(jsonld(course)), PAGE).drafts[0]
    assert (draft["is_free"], draft["certificate"]) == (is_free, certificate)


def test_effort_and_length_sources():
    def draft(**course):
        return extract_courses(html(jsonld({"@context": "https://schema.org", "@type": "Course",
                                            "name": "E", **course})), PAGE).drafts[0]

    assert (draft(timeRequired="PT20H")["duration_weeks"], draft(timeRequired="P6W")["duration_weeks"]) == (None, "P6W")
    daily = draft(hasCourseInstance={"courseSchedule": {"repeatFrequency": "Daily", "repeatCount": 14,
                                                        "duration": "PT1H"}})
    assert (daily["effort"], daily["duration_weeks"]) == (None, "P14D")
    weekly = draft(hasCourseInstance={"courseSchedule": {"repeatFrequency": "https://schema.org/Weekly",
                                                         "repeatCount": "5", "duration": "PT3H"}})
    assert (weekly["effort"], weekly["duration_weeks"]) == ("PT3H", "5")


# end to end -------------------------------------------------------------------
PLATFORM = "fixtureschema"
COURSE_IDS = [f"{PLATFORM}:{key}" for key in ("CLIM-200", "DS-101", "KH-301", "PHILO-02")]


def platform_entry(base: str, **extra) -> dict:
    return {"id": PLATFORM, "name": "Fixture schema.org site", "country": "NL", "family": "schemaorg",
            "url": base + "/", "languages": ["en", "fr"], "url_pattern": "/(courses|cours|kr)/", **extra}


def crawl(tmp_path, running, check: bool = True, **extra) -> dict:
    registry = write_registry(tmp_path, platform_entry(running.base, **extra))
    db = tmp_path / "catalogue.db"
    result = run_mooc("crawl", "--platform", PLATFORM, registry=registry, db=db, check=check)
    with sqlite3.connect(db) as conn:
        run = conn.execute("SELECT status, fetched, new, rejected, errors, stats FROM crawl_runs "
                           "ORDER BY id DESC").fetchone()
        errors = conn.execute("SELECT kind, url, message FROM crawl_errors ORDER BY id").fetchall()
    return {"db": db, "site": running, "result": result, "records": {r["id"]: r for r in export_jsonl(db)},
            "run": run[:5], "stats": json.loads(run[5]), "errors": errors}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with fixture_site("schemaorg") as running:
        yield crawl(tmp_path_factory.mktemp("schemaorg"), running)


def test_every_course_on_the_site_is_stored_once(crawled):
    base = crawled["site"].base
    assert sorted(crawled["records"]) == sorted(COURSE_IDS + [f"{PLATFORM}:{base}/courses/web-accessibility"])
    for record in crawled["records"].values():
        jsonschema.validate(record, shipped_json_schema())


def test_jsonld_graph_course(crawled):
    course = crawled["records"][f"{PLATFORM}:DS-101"]
    base = crawled["site"].base
    assert course["title"] == "Data Science & Society"
    assert course["url"] == f"{base}/courses/data-science"
    assert course["country"] == "NL" and course["platform"] == PLATFORM and course["source_id"] == "DS-101"
    assert course["description"] == "How data shapes public life.\n\nSecond paragraph: privacy."
    assert course["summary"] is None
    assert course["languages"] == ["en"] and course["language_source"] == "declared"
    assert course["subtitle_languages"] == ["nl", "de"]
    assert course["subjects"] == ["Statistics", "Computer science"]
    assert course["keywords"] == ["data", "ethics", "statistics"]
    assert "05" in course["isced_fields"] and "06" in course["isced_fields"]
    assert course["level"] == "introductory"
    assert course["organizations"] == [{"name": "Universiteit van Voorbeeld", "country": "NL"},
                                       {"name": "Fixture Academy", "country": None}]
    assert course["instructors"] == ["Dr. Ada Example", "Prof. Bram Voorbeeld"]
    assert course["image_url"] == f"{base}/media/ds101.jpg"
    assert course["license"] == "CC-BY-SA-4.0"
    assert course["runs"] == [
        {"start": "2026-02-02", "end": "2026-03-30", "enrollment_start": None, "enrollment_end": None,
         "pacing": "self_paced"},
        {"start": "2026-09-07", "end": "2026-11-02", "enrollment_start": None, "enrollment_end": None,
         "pacing": None}]
    assert course["effort_hours_per_week"] == 4.0  # "3-5 hours per week" of the first run
    assert course["duration_weeks"] == 8  # the weekly schedule's repeatCount
    assert course["is_free"] is True
    assert course["certificate"] == {"available": True, "price": 49.0, "currency": "EUR"}
    assert course["unparsed"] == {} and course["status"] == "active"


def test_jsonld_list_course_and_the_nameless_one_is_rejected(crawled):
    course = crawled["records"][f"{PLATFORM}:CLIM-200"]
    assert course["title"] == "Klimamodelle verstehen"
    assert course["url"].startswith(f"{crawled['site'].base}/courses/pair")
    assert course["languages"] == ["de"]
    assert course["organizations"] == [{"name": "Klimainstitut Beispielstadt", "country": None}]
    assert course["duration_weeks"] == 6 and course["effort_hours_per_week"] is None
    assert course["is_free"] is False
    assert course["certificate"] == {"available": None, "price": None, "currency": None}
    assert course["runs"] == []
    rejected = [e for e in crawled["errors"] if e[0] == "rejected"]
    assert len(rejected) == 1 and rejected[0][1].endswith("/courses/pair") and "title" in rejected[0][2]


def test_microdata_course(crawled):
    base = crawled["site"].base
    course = crawled["records"][f"{PLATFORM}:{base}/courses/web-accessibility"]
    assert course["source_id"] == course["url"] == f"{base}/courses/web-accessibility"
    assert course["title"] == "Web Accessibility for Everyone"
    assert course["summary"] == "Accessible web design in six weeks."
    assert course["description"].startswith("Build sites that work for all.")
    assert course["languages"] == ["en"] and course["level"] == "advanced"
    assert course["keywords"] == ["accessibility", "WCAG"]
    assert course["organizations"] == [{"name": "Open Web Collective", "country": None}]
    assert course["instructors"] == ["Chris Sample"]
    assert course["image_url"] == f"{base}/media/a11y.png"
    assert course["runs"] == [{"start": "2026-04-06T07:00:00Z", "end": "2026-05-18", "enrollment_start": None,
                               "enrollment_end": None, "pacing": "instructor_paced"}]
    assert course["effort_hours_per_week"] == 2.5 and course["duration_weeks"] == 6
    assert course["is_free"] is True
    assert course["certificate"] == {"available": True, "price": None, "currency": None}


def test_rdfa_richie_course_in_french_with_two_runs(crawled):
    course = crawled["records"][f"{PLATFORM}:PHILO-02"]
    base = crawled["site"].base
    assert course["title"] == "Philosophie morale : éthique et société"
    assert course["url"] == f"{base}/cours/philosophie-morale"  # reached through the gzip sitemap
    assert course["description"] == "Une introduction à l’éthique contemporaine, des Lumières à nos jours."
    assert course["languages"] == ["fr"] and course["language_source"] == "declared"
    assert course["organizations"] == [{"name": "Université Fictive de Lyon", "country": None}]
    assert course["instructors"] == ["Élise Martin"]
    assert course["image_url"] == f"{base}/media/thumbnails/philo-300x170.jpg"
    assert course["license"] == "CC-BY-NC-4.0"
    assert [(r["start"], r["end"], r["pacing"]) for r in course["runs"]] == [
        ("2026-03-02", "2026-04-27", None), ("2026-10-05", "2026-12-14", None)]
    assert course["effort_hours_per_week"] == 2.0  # "2 heures par semaine"
    assert course["duration_weeks"] is None  # timeRequired PT24H is the total workload, not a length
    assert course["is_free"] is None and course["unparsed"] == {}


def test_korean_course(crawled):
    course = crawled["records"][f"{PLATFORM}:KH-301"]
    assert course["title"] == "한국사의 이해"
    assert course["description"] == "고대부터 현대까지 한국 역사의 흐름을 살펴봅니다."
    assert course["languages"] == ["ko"]
    assert course["organizations"] == [{"name": "가상대학교", "country": "KR"}]
    assert course["instructors"] == ["김민수", "이서연"]
    assert course["keywords"] == ["역사", "한국학"]
    assert course["runs"][0]["start"] == "2026-03-02T15:00:00Z" and course["runs"][0]["end"] == "2026-06-16T14:59:59Z"
    assert course["effort_hours_per_week"] == 3.0 and course["duration_weeks"] == 15
    assert course["is_free"] is True


def test_counts_errors_and_the_404_leaves_the_crawl_incomplete(crawled):
    assert crawled["run"] == ("incomplete", 6, 5, 1, 2)  # status, fetched, new, rejected, errors
    base = crawled["site"].base
    errors = {(kind, url.removeprefix(base)): message for kind, url, message in crawled["errors"]}
    assert set(errors) == {("http", "/courses/retired"), ("markup", "/courses/broken"), ("rejected", "/courses/pair")}
    assert errors[("http", "/courses/retired")] == "HTTP 404"
    assert "invalid JSON-LD" in errors[("markup", "/courses/broken")]
    stats = crawled["stats"]
    assert stats["mooc/pages_without_course"] == 1  # /courses/faq
    assert stats["mooc/pages_with_invalid_markup"] == 1
    assert stats["mooc/urls_not_matching_pattern"] == 1  # /blog/welcome
    assert stats["mooc/pages_skipped_by_robots_txt"] == 1  # /admin/courses/draft
    assert stats["mooc/sitemap_entries_skipped"] == 1  # mailto:
    assert "incomplete" in crawled["result"].stderr


def test_sitemaps_and_pages_are_fetched_once_and_only_those_allowed(crawled):
    site = crawled["site"]
    fetched = [r.path for r in site.requests]
    assert fetched.count("/sitemap_index.xml") == 1  # the index lists itself
    assert fetched.count("/courses/data-science") == 1  # listed twice
    assert fetched.count("/sitemaps/sitemap-archive.xml.gz") == 1
    assert "/blog/welcome" not in fetched and "/admin/courses/draft" not in fetched
    assert all("mooc-harvester" in r.headers.get("User-Agent", "") for r in site.requests)


def test_without_the_404_the_crawl_is_complete(tmp_path):
    with fixture_site("schemaorg") as running:
        running.routes.append(Route(path="/courses/retired", content_type="text/html",
                                    body="<html><body><p>This course has been retired.</p></body></html>"))
        result = crawl(tmp_path, running)
        again = crawl(tmp_path, running)  # same store: nothing changed, so nothing is rewritten
    assert result["run"] == ("complete", 6, 5, 1, 1)
    assert {e[0] for e in result["errors"]} == {"markup", "rejected"}  # the broken JSON-LD page is still reported
    assert result["stats"]["mooc/pages_without_course"] == 2
    assert len(result["records"]) == 5
    assert again["run"] == ("complete", 6, 0, 1, 1) and again["stats"]["mooc/unchanged"] == 5
    assert {k: r["content_hash"] for k, r in again["records"].items()} == {
        k: r["content_hash"] for k, r in result["records"].items()}


def test_an_unreadable_sitemap_is_a_page_error_and_the_others_are_still_read(tmp_path):
    with fixture_site("schemaorg") as running:
        plain = next(r for r in running.routes if r.path == "/sitemap-courses.xml")
        plain.file, plain.body = None, '<?xml version="1.0"?><urlset><url><loc>${BASE}/courses/pair</loc>'
        result = crawl(tmp_path, running)
    assert result["run"][0] == "incomplete"
    assert sorted(result["records"]) == [f"{PLATFORM}:KH-301", f"{PLATFORM}:PHILO-02"]
    parse = [e for e in result["errors"] if e[0] == "parse"]
    assert len(parse) == 1 and parse[0][1].endswith("/sitemap-courses.xml")
    assert "unreadable sitemap: not well-formed XML" in parse[0][2]


def test_without_a_sitemap_line_sitemap_xml_is_read(tmp_path):
    with fixture_site("schemaorg") as running:
        running.routes = [r for r in running.routes if r.path != "/robots.txt"]  # robots.txt: 404
        index = next(r for r in running.routes if r.path == "/sitemap_index.xml")
        running.routes.append(Route(path="/sitemap.xml", file=index.file, content_type="application/xml"))
        result = crawl(tmp_path, running, url_pattern="/courses/(data|pair)")
        paths = [r.path for r in running.requests]
    assert sorted(result["records"]) == [f"{PLATFORM}:CLIM-200", f"{PLATFORM}:DS-101"]
    assert result["run"][0] == "complete"
    assert "/sitemap.xml" in paths and "/cours/philosophie-morale" not in paths


def test_a_bad_url_pattern_is_a_configuration_error(tmp_path):
    with fixture_site("schemaorg") as running:
        result = crawl(tmp_path, running, check=False, url_pattern="/courses/(")
        assert running.requests_to("/robots.txt") == []
    assert result["run"][0] == "failed"
    assert result["errors"][0][0] == "config" and "url_pattern" in result["errors"][0][2]
    assert result["records"] == {}
