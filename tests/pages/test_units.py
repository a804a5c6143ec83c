"""Pure parts of the pages: language choice, safety filters, charts, dashboard figures, catalogues, templates."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from search_api.pages import charts, i18n, views
from search_api.pages.routes import environment

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
PAGES = Path(i18n.__file__).resolve().parent
SVG = "{http://www.w3.org/2000/svg}"


# --- language ------------------------------------------------------------------------------------

def test_accept_language_is_ranked_by_weight_then_order():
    assert i18n.parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5") == \
        ["fr-CH", "fr", "en", "de", "*"]
    assert i18n.parse_accept_language("en;q=0.5, ko") == ["ko", "en"]
    assert i18n.parse_accept_language("th;q=0, en;q=bad, ;;, ko") == ["ko"]
    assert i18n.parse_accept_language(None) == []


@pytest.mark.parametrize("query, cookie, header, expected", [
    ("ko", "fr", "th", "ko"),
    (None, "fr", "th", "fr"),
    ("zz", "xx", "th-TH", "th"),
    (None, None, "ko_KR", "ko"),
    (None, None, "ja, zh;q=0.9", "en"),
    (None, None, "*, fr;q=0.5", "en"),
    ("TH", None, None, "th"),
])
def test_the_switch_then_the_cookie_then_the_browser(query, cookie, header, expected):
    assert i18n.negotiate(query, cookie, header) == expected


def test_labels_come_from_cldr_and_the_catalogues():
    fr, ko, th = (i18n.Labels(code, {"p1": "Plateforme Un"}) for code in ("fr", "ko", "th"))
    assert (fr.country("KR"), ko.country("TH"), th.country("FR")) == ("Corée du Sud", "태국", "ฝรั่งเศส")
    assert (fr.language_name("ko"), ko.language_name("th")) == ("Coréen", "태국어")
    assert fr.value("isced", "06") == "Technologies de l’information et de la communication"
    assert ko.value("free", "true") == "무료" and th.value("availability", "upcoming") == "เปิดเรียนเร็ว ๆ นี้"
    assert fr.value("platform", "p1") == "Plateforme Un" and fr.value("platform", "other") == "other"
    assert fr.language_name("xyz") == "Xyz" and fr.country("QQ") == "QQ"
    assert fr.date("2031-02-03T00:00:00Z") == "3 févr. 2031" and fr.date("not a date") == "not a date"
    assert fr.age("2026-06-15T09:00:00Z", NOW) == "il y a 3 heures"
    assert fr.money(49, "EUR") == "49,00\u00a0€" and fr.money(None, "EUR") == ""


# --- safety --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://www.kmooc.kr/view/course/1", "https://www.kmooc.kr/view/course/1"),
    ("http://127.0.0.1:8000/c?a=1&b=2", "http://127.0.0.1:8000/c?a=1&b=2"),
    (" HTTPS://EXAMPLE.ORG/x ", "HTTPS://EXAMPLE.ORG/x"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("vbscript:msgbox(1)", None),
    ("//evil.example/x", None),
    ("/courses/1", None),
    ("https://", None),
    ("https://[::1", None),
    (None, None),
    (42, None),
])
def test_only_absolute_http_urls_are_linked(url, expected):
    assert views.safe_url(url) == expected


def test_highlights_keep_only_their_marks():
    assert views.highlighted("Intro to <mark>data</mark> &amp; AI") == "Intro to <mark>data</mark> &amp; AI"
    assert views.highlighted("&lt;img src=x&gt; <mark>Fractions</mark>") == \
        "&lt;img src=x&gt; <mark>Fractions</mark>"
    # a damaged or foreign highlight cannot inject markup or leave a mark open
    assert views.highlighted('<img src=x onerror=alert(1)><mark>a</mark>') == \
        "&lt;img src=x onerror=alert(1)&gt;<mark>a</mark>"
    assert views.highlighted("<mark><mark>a</mark></mark></mark>b<mark>c") == "<mark>a</mark>b<mark>c</mark>"
    assert views.highlighted(None) == ""


def test_course_template_links_only_safe_urls_and_escapes_everything():
    course = {
        "id": "p:1", "platform": "p", "country": "TH", "title": "<b>Bold</b> & \"quoted\"",
        "url": "javascript:alert(1)", "image_url": "data:image/svg+xml,<svg onload=alert(1)>",
        "license": "javascript:alert(2)", "summary": "one\n\ntwo <script>x</script>", "description": None,
        "languages": ["th"], "organizations": [{"name": "<i>Org</i>", "country": "TH"}],
        "instructors": ["<u>Teacher</u>"], "runs": [], "isced_fields": ["99"], "subjects": ["<s>"],
        "keywords": [], "certificate": {"available": True, "price": 10, "currency": "THB"},
        "unparsed": {"url": "javascript:alert(1)", "runs": [{"start": "<TBA>"}]},
        "first_seen": "2026-01-01T00:00:00Z", "last_seen": "2026-01-02T00:00:00Z", "status": "gone",
    }
    env = environment("en")
    page = env.get_template("course.html").render(
        lang="en", L=i18n.Labels("en"), now=NOW, path="/", lang_links=[], section="search", course=course,
        timing=views.timing(course, NOW))
    assert "<b>" not in page and "<i>Org" not in page and "<u>" not in page and "<script>x" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &#34;quoted&#34;" in page
    assert 'href="javascript' not in page and 'src="data:' not in page and "<img" not in page
    assert "no web address that can be linked safely" in page
    assert "no longer listed by its platform" in page
    assert page.count('<p lang="th">one</p>') == 1 and '<p lang="th">two &lt;script&gt;x&lt;/script&gt;</p>' in page
    assert "&lt;TBA&gt;" in page                               # unparsed values, escaped
    assert "THB" in page or "฿" in page


# --- what a learner reads first ---------------------------------------------------------------------

def day(days: int) -> str:
    return (NOW + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("runs, expected", [
    ([{"start": day(-10), "end": None, "pacing": "self_paced"}, {"start": day(30), "pacing": "instructor_paced"}],
     ("self_paced", None)),
    ([{"start": day(40), "end": day(90)}, {"start": day(20), "end": day(60)}], ("upcoming", day(20))),
    ([{"start": day(-40), "end": day(-20)}, {"start": day(-5), "end": day(30)}], ("open", day(-5))),
    ([{"start": day(-400), "end": day(-300)}, {"start": day(-100), "end": day(-50)}], ("archived", day(-50))),
    ([{"start": None, "end": None, "pacing": None}], ("unknown", None)),
    ([], ("unknown", None)),
])
def test_timing_follows_the_availability_definitions(runs, expected):
    result = views.timing({"runs": runs}, NOW)
    assert (result.kind, result.when) == expected


# --- charts -------------------------------------------------------------------------------------------

def parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.find(SVG + "title").text and root.find(SVG + "desc").text
    labelled = root.get("aria-labelledby").split()
    assert labelled == [root.find(SVG + "title").get("id"), root.find(SVG + "desc").get("id")]
    return root


def test_bar_chart_is_proportional_and_escapes_labels():
    svg = charts.bar_chart([("Thailand", 40, "40"), ("<script>alert(1)</script>", 10, "10"), ("Zero", 0, "0")],
                           chart_id="c1", title="Courses & <things>", description="d")
    root = parse(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Courses &amp; &lt;things&gt;" in svg
    widths = [float(r.get("width")) for r in root.iter(SVG + "rect")]
    assert widths[0] == pytest.approx(4 * widths[1]) and widths[2] == 0
    assert [t.text for t in root.iter(SVG + "title")][1:] == ["Thailand: 40", "<script>alert(1)</script>: 10",
                                                              "Zero: 0"]


def test_long_labels_are_cut_to_fit_with_the_full_text_in_a_tooltip():
    label = "The United Kingdom of Great Britain and Northern Ireland " * 2
    root = parse(charts.bar_chart([(label, 1, "1")], chart_id="c", title="t", description="d", width=400))
    shown = [t.text for t in root.iter(SVG + "text")][0]
    assert shown.endswith("…") and len(shown) < len(label)
    assert charts.text_width("인공지능") > charts.text_width("abcd")     # wide scripts take more room


def test_stacked_bars_split_each_total_by_series():
    series = [charts.Series("en", "English", charts.PALETTE[0]), charts.Series("th", "Thai", charts.PALETTE[1])]
    root = parse(charts.stacked_bar_chart([("TH", [("en", 1), ("th", 3)]), ("KR", [("en", 2), ("th", 0)])], series,
                                          chart_id="c2", title="t", description="d"))
    bars = [[float(r.get("width")) for r in g.iter(SVG + "rect")] for g in root.iter(SVG + "g")
            if g.get("class") == "bar"]
    assert len(bars) == 2 and len(bars[1]) == 1                       # a zero segment is not drawn
    assert bars[0][1] == pytest.approx(3 * bars[0][0]) and sum(bars[0]) == pytest.approx(2 * bars[1][0])
    legend = [t.text for g in root.iter(SVG + "g") if g.get("class") == "legend" for t in g.iter(SVG + "text")]
    assert legend == ["English", "Thai"]


def test_freshness_marks_differ_in_shape_not_only_colour():
    labels = {s: s for s in charts.STATES}
    root = parse(charts.freshness_chart(
        [("Thailand", [("Thai MOOC", "fresh", "2 hours ago"), ("Old", "stale", "3 weeks ago")]),
         ("Vietnam", [("VN", "no_spider", ""), ("New", "never", "")])],
        labels, chart_id="c3", title="t", description="d"))
    marks = [g for g in root.iter(SVG + "g") if (g.get("class") or "").startswith("mark ")]
    assert [g.get("class") for g in marks] == ["mark fresh", "mark stale", "mark no_spider", "mark never"]
    shapes = [[child.tag.removeprefix(SVG) for child in g if child.tag != SVG + "title"][0] for g in marks]
    assert shapes == ["circle", "rect", "rect", "circle"]
    assert marks[0].find(SVG + "title").text == "Thai MOOC: fresh · 2 hours ago"
    assert [marks[2][1].get("stroke-dasharray"), marks[3][1].get("fill")] == ["2 2", "none"]


def test_empty_charts_say_so():
    root = parse(charts.bar_chart([], chart_id="e", title="t", description="d", empty="Nothing yet"))
    assert [t.text for t in root.iter(SVG + "text")] == ["Nothing yet"]


# --- dashboard figures ------------------------------------------------------------------------------------

def coverage() -> dict:
    def platform(pid, status, crawl=None, courses=0):
        return {"id": pid, "name": pid.upper(), "family": "openedx", "status": status, "courses": courses,
                "last_successful_crawl": crawl}
    return {
        "countries": [
            {"code": "TH", "name": "Thailand", "group": "Asia", "note": None, "courses": 7,
             "platforms": [platform("a", "harvested", "2026-06-15T10:00:00Z", 5),
                           platform("b", "incomplete", "2026-06-01T00:00:00Z", 2), platform("c", "failing"),
                           platform("d", "not_crawled")],
             "languages": [{"value": "th", "count": 6}, {"value": "en", "count": 2}],
             "isced_fields": [{"value": "06", "count": 3}], "last_successful_crawl": "2026-06-15T10:00:00Z"},
            {"code": "VN", "name": "Vietnam", "group": "Asia", "note": None, "courses": 0,
             "platforms": [platform("v", "no_spider")], "languages": [], "isced_fields": [],
             "last_successful_crawl": None},
            {"code": "BN", "name": "Brunei", "group": "Asia", "note": "=cmd|' /C calc'!A0", "courses": 0,
             "platforms": [], "languages": [], "isced_fields": [], "last_successful_crawl": None},
        ],
        "totals": {"languages": [{"value": "th", "count": 6}, {"value": "en", "count": 2}],
                   "isced_fields": [{"value": "06", "count": 3}], "last_successful_crawl": "2026-06-15T10:00:00Z"},
    }


def test_dashboard_counts_platform_states_per_country_and_in_total():
    figures = views.dashboard(coverage(), NOW)
    th, vn, bn = figures.countries
    assert (th.harvested, th.failing, th.not_crawled, th.no_spider) == (1, 2, 1, 0)   # incomplete counts as failing
    assert (th.age_hours, th.freshness) == (2.0, "fresh")
    assert (vn.no_spider, vn.freshness, vn.no_known_listing) == (1, "no_spider", False)
    assert (bn.no_known_listing, bn.freshness) == (True, "none")
    t = figures.totals
    assert (t["platforms"], t["harvested"], t["failing"], t["no_spider"], t["no_known_listing"], t["courses"]) == \
        (5, 1, 2, 1, 1, 7)
    assert t["countries_with_courses"] == 1 and t["countries_with_platforms"] == 2
    assert figures.as_dict()["countries"][0]["isced_fields"] == [
        {"value": "06", "count": 3, "name": "Information and communication technologies"}]


@pytest.mark.parametrize("last, spider, expected", [
    ("2026-06-15T00:00:00Z", True, "fresh"), ("2026-06-10T00:00:00Z", True, "aging"),
    ("2026-05-01", True, "stale"), (None, True, "never"), ("2026-06-15T00:00:00Z", False, "no_spider"),
])
def test_freshness_bands(last, spider, expected):
    assert views.freshness(last, NOW, spider) == expected


def test_csv_has_one_row_per_country_and_a_total_and_no_formulas():
    text = views.dashboard_csv(views.dashboard(coverage(), NOW))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["code"] for r in rows] == ["TH", "VN", "BN", "ASEM"]
    assert rows[0]["languages"] == "th:6|en:2" and rows[0]["failing"] == "2" and rows[0]["age_hours"] == "2.0"
    assert rows[2]["note"] == "'=cmd|' /C calc'!A0"        # a spreadsheet reads text, not a formula
    assert rows[3]["courses"] == "7" and rows[2]["no_known_listing"] == "yes"


# --- message catalogues -----------------------------------------------------------------------------------

def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def template_messages() -> set:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                                        "lstrip_blocks": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    return {message[2] if isinstance(message[2], str) else tuple(message[2])
            for message in extract_from_dir(str(PAGES), method_map, options, keywords=keywords)
            if message[2]}


def test_the_template_file_lists_every_message_of_the_code_and_templates():
    with (PAGES / "locale" / "messages.pot").open("rb") as handle:
        catalogue = {m.id for m in read_po(handle) if m.id}
    found = template_messages()
    assert found - catalogue == set(), "run pybabel extract (see search_api/pages/babel.cfg)"
    assert catalogue - found == set(), "messages no longer used"


@pytest.mark.parametrize("language", [code for code in i18n.LANGUAGES if code != i18n.DEFAULT_LANGUAGE])
def test_every_message_is_translated_with_the_same_placeholders(language):
    with (PAGES / "locale" / "messages.pot").open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with i18n.po_file(language).open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    translated = {m.id: m for m in catalogue if m.id}
    assert set(translated) == wanted
    for msgid, message in translated.items():
        assert not message.fuzzy, msgid
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: {msgid!r} is not translated"
        for string in strings:
            assert placeholders(string) == placeholders(ids[-1]), (language, msgid, string)
    assert i18n.translations(language).gettext("Country") != "Country"


def test_every_template_renders_in_every_language():
    for language in i18n.LANGUAGES:
        env = environment(language)
        for name in ("search.html", "course.html", "dashboard.html", "health.html", "error.html"):
            env.get_template(name)   # compiles: a broken {% trans %} block fails here
