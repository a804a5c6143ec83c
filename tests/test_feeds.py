"""RSS/Atom feeds (``rss``) and Federica's feu: feed (``federica``): pure functions, then one crawl of both."""
from __future__ import annotations

import sqlite3

import jsonschema
import pytest

from harvester.registry import Platform
from harvester.schema import shipped_json_schema
from harvester.sources import federica, feeds
from spiders.base import PageError, PageRequest
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site

URL = "https://feeds.example/courses.xml"

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>T</title><language>fr-FR</language>{links}{items}</channel></rss>"""


def rss(items: str, links: str = "") -> str:
    return RSS.format(items=items, links=links)


def drafts(text: str, **state) -> list[dict]:
    return feeds.parse_page(text, PageRequest(URL, state=state)).drafts


# --- safe XML -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ('<!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss><channel><item><title>&b;</title>'
     '</item></channel></rss>', "unsafe XML"),
    ('<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title>'
     '</item></channel></rss>', "unsafe XML"),
    ("<rss><channel><item><title>unclosed</channel></rss>", "malformed XML"),
    ("<rss><channel><item><title>&nbsp;</title></item></channel></rss>", "malformed XML"),
    ("", "malformed XML"),
    ("<html><body>Maintenance</body></html>", "not an RSS or Atom feed"),
    ('{"data": []}', "malformed XML"),
])
def test_unsafe_malformed_or_foreign_documents_raise_page_error(text, message):
    with pytest.raises(PageError, match=message):
        feeds.parse_page(text, PageRequest(URL))


def test_a_byte_order_mark_and_leading_blank_lines_are_tolerated():
    text = "\ufeff\n  " + rss("<item><title>A</title><link>https://e/a</link></item>")
    assert [d["title"] for d in drafts(text)] == ["A"]


@pytest.mark.parametrize("body, declared, fitting", [
    ("Università".encode(), "utf-8", "utf-8"),
    ("Università".encode("latin-1"), "utf-8", "cp1252"),   # Latin-1 bytes declared UTF-8
    ("Curs €5 «ok»".encode("cp1252"), "utf-8", "cp1252"),
    (b"\x81\x8d", "utf-8", "latin-1"),                      # not even cp1252: never fails
    (b"abc", "no-such-codec", "cp1252"),
])
def test_fitting_encoding(body, declared, fitting):
    assert feeds.fitting_encoding(body, declared) == fitting
    body.decode(fitting)


# --- RSS items ----------------------------------------------------------------------------

def test_rss_item_fields():
    [draft] = drafts(rss("""<item>
        <title>Cours d'&#233;conomie</title><link>https://e/eco</link><guid isPermaLink="false">eco-1</guid>
        <description><![CDATA[<p>Court</p>]]></description>
        <content:encoded><![CDATA[<p>Long</p><p>Plus</p>]]></content:encoded>
        <category>Économie</category><category>Économie</category><dc:subject>Gestion</dc:subject>
        <pubDate>Tue, 12 Jan 2016 11:52:58 -0500</pubDate>
        <media:group><media:thumbnail url="https://e/t.jpg"/></media:group>
        </item>"""))
    assert draft == {"source_id": "eco-1", "title": "Cours d'économie", "url": "https://e/eco",
                     "summary": "<p>Court</p>", "description": "<p>Long</p><p>Plus</p>", "languages": "fr-FR",
                     "subjects": ["Économie", "Gestion"], "image_url": "https://e/t.jpg"}


def test_publication_dates_are_not_course_dates():
    [draft] = drafts(rss("<item><title>A</title><link>https://e/a</link>"
                         "<pubDate>Tue, 12 Jan 2016 11:52:58 -0500</pubDate></item>"))
    assert "runs" not in draft and "2016" not in str(draft)


def test_source_id_is_the_guid_else_the_link_and_a_permalink_guid_is_the_link():
    items = drafts(rss("""
        <item><title>no guid</title><link>https://e/1</link></item>
        <item><title>permalink</title><guid>https://e/2</guid></item>
        <item><title>not a permalink</title><guid isPermaLink="false">https://e/3</guid></item>
        <item><title>atom link</title><atom:link rel="alternate" href="https://e/4"/></item>"""))
    assert [(d["source_id"], d["url"]) for d in items] == [
        ("https://e/1", "https://e/1"), ("https://e/2", "https://e/2"), ("https://e/3", None),
        ("https://e/4", "https://e/4")]


def test_item_language_wins_over_the_channel_language():
    [draft] = drafts(rss("<item><title>A</title><link>https://e/a</link><dc:language>de</dc:language></item>"))
    assert draft["languages"] == "de"


@pytest.mark.parametrize("markup, image", [
    ('<enclosure url="https://e/a.mp3" type="audio/mpeg"/><enclosure url="https://e/a.png" type="image/png"/>',
     "https://e/a.png"),
    ('<media:content url="https://e/v.mp4" medium="video"/><media:content url="https://e/c.jpg" type="image/jpeg"/>',
     "https://e/c.jpg"),
    ('<media:thumbnail url="https://e/th.jpg"/><enclosure url="https://e/e.png" type="image/png"/>',
     "https://e/th.jpg"),
    ('<image><url>https://e/i.gif</url><title>x</title></image>', "https://e/i.gif"),
    ('<enclosure url="https://e/a.mp3" type="audio/mpeg"/>', None),
])
def test_image_sources(markup, image):
    [draft] = drafts(rss(f"<item><title>A</title><link>https://e/a</link>{markup}</item>"))
    assert draft["image_url"] == image


def test_rss_1_0_rdf_feed():
    text = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
        xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://e/"><title>T</title><dc:language>ja</dc:language></channel>
      <item rdf:about="https://e/k1"><title>講座</title><link>https://e/k1</link></item>
    </rdf:RDF>"""
    assert drafts(text) == [{"source_id": "https://e/k1", "title": "講座", "url": "https://e/k1", "summary": None,
                             "description": None, "languages": "ja", "subjects": [], "image_url": None}]


# --- Atom entries -------------------------------------------------------------------------

ATOM = """<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <link rel="self" href="{url}"/>{next}
  <entry><id>urn:c:1</id><title type="html">A &lt;b&gt;bold&lt;/b&gt; course</title>
    <link rel="edit" href="https://e/edit/1"/><link href="https://e/c/1"/>
    <summary>Short</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p><p>Two</p></div></content>
    <category term="sci" label="Science"/><category term="maths"/>
    <updated>2026-01-01T00:00:00Z</updated></entry>
  <entry xml:lang="ms"><title>Kursus</title><link rel="alternate" href="https://e/c/2"/></entry>
</feed>"""


def test_atom_entries():
    found = feeds.parse_page(ATOM.format(url=URL, next=""), PageRequest(URL))
    first, second = found.drafts
    assert first == {"source_id": "urn:c:1", "title": "A <b>bold</b> course", "url": "https://e/c/1",
                     "summary": "Short", "description": "<div><p>One</p><p>Two</p></div>", "languages": "en",
                     "subjects": ["Science", "maths"], "image_url": None}
    assert (second["source_id"], second["languages"]) == ("https://e/c/2", "ms")
    assert found.next is None


# --- paging -------------------------------------------------------------------------------

def test_next_page_from_atom_link_relative_and_with_state():
    text = rss("<item><title>A</title><link>https://e/a</link></item>",
               links='<atom:link rel="self" href="courses.xml"/><atom:link rel="next" href="courses.xml?page=2"/>')
    found = feeds.parse_page(text, PageRequest(URL, state={"link_pattern": "/a"}))
    assert found.next == PageRequest(URL + "?page=2", state={"link_pattern": "/a"})


@pytest.mark.parametrize("links", [
    '<atom:link rel="self" href="{url}?p=3"/><atom:link rel="next" href="{url}?p=3"/>',  # next == self
    '<atom:link rel="next" href="{url}"/>',                                             # next == this page
    '<atom:link rel="first" href="{url}?p=1"/>',                                        # no next
])
def test_no_next_page_when_it_points_back(links):
    text = rss("<item><title>A</title><link>https://e/a</link></item>", links=links.format(url=URL))
    assert feeds.parse_page(text, PageRequest(URL)).next is None


def test_an_empty_page_ends_paging():
    text = rss("", links=f'<atom:link rel="next" href="{URL}?page=9"/>')
    found = feeds.parse_page(text, PageRequest(URL))
    assert found.drafts == [] and found.next is None


def test_atom_next_link():
    found = feeds.parse_page(ATOM.format(url=URL, next='<link rel="next" href="?page=2"/>'), PageRequest(URL))
    assert found.next.url == URL + "?page=2"


# --- registry option link_pattern ----------------------------------------------------------

def platform(**options) -> Platform:
    return Platform(id="f", name="F", country="GB", family="rss", url=URL, options=options)


def test_link_pattern_keeps_matching_items_only():
    first = feeds.first_request(platform(link_pattern="/free-course/"), {})
    assert first == PageRequest(URL, state={"link_pattern": "/free-course/"})
    items = feeds.parse_page(rss("<item><title>C</title><link>https://e/free-course/c</link></item>"
                                 "<item><title>A</title><link>https://e/article/a</link></item>"), first).drafts
    assert [d["title"] for d in items] == ["C"]


def test_a_bad_link_pattern_is_a_config_error():
    with pytest.raises(PageError, match="link_pattern"):
        feeds.first_request(platform(link_pattern="(unclosed"), {})


# --- Federica -----------------------------------------------------------------------------

FEDERICA = """<rss version="2.0"{decl}><channel><title>Federica</title><language>it</language>
<item><title>Corso</title><link>https://f/c/1</link><guid>https://f/c/1</guid>
  <feu:unique_id>77</feu:unique_id><feu:start_date>2026-01-15 10:30</feu:start_date>
  <feu:end_date>2026-07-15 10:30:00</feu:end_date><feu:author>Anna Verdi; Paolo Neri</feu:author>
  <feu:author>Sara Blu</feu:author><feu:cover>https://f/i.jpg</feu:cover><feu:language>en</feu:language>
</item></channel></rss>"""


@pytest.mark.parametrize("decl", [' xmlns:feu="https://www.federica.eu/feu"', ' xmlns:feu="urn:other"', ""])
def test_federica_feu_fields_whatever_the_namespace_uri_or_none_declared(decl):
    [draft] = federica.parse_page(FEDERICA.format(decl=decl), PageRequest(URL)).drafts
    assert draft["source_id"] == "77"
    assert draft["runs"] == [{"start": "2026-01-15T10:30:00+01:00", "end": "2026-07-15T10:30:00+02:00"}]
    assert draft["instructors"] == ["Anna Verdi", "Paolo Neri", "Sara Blu"]
    assert draft["image_url"] == "https://f/i.jpg"
    assert draft["languages"] == ["en"]
    assert (draft["title"], draft["url"]) == ("Corso", "https://f/c/1")


def test_federica_without_feu_elements_falls_back_to_the_rss_fields():
    text = FEDERICA.format(decl=' xmlns:feu="urn:f"').replace("<feu:", "<x-").replace("</feu:", "</x-")
    [draft] = federica.parse_page(text, PageRequest(URL)).drafts
    assert (draft["source_id"], draft["languages"], draft["runs"], draft["instructors"]) == (
        "https://f/c/1", "it", [], [])


@pytest.mark.parametrize("value, expected", [
    ("2026-03-02", "2026-03-02"),                          # a date stays a date
    ("2026-03-02 09:00:00", "2026-03-02T09:00:00+01:00"),  # CET
    ("2026-08-02T09:00", "2026-08-02T09:00:00+02:00"),     # CEST
    ("2026-08-02T09:00:00Z", "2026-08-02T09:00:00Z"),      # has its zone already
    ("2026-13-40 09:00", "2026-13-40 09:00"),              # left for the normalizer to report
    (None, None),
])
def test_federica_local_times(value, expected):
    assert federica.rome_time(value) == expected


def test_declare_prefix_only_when_needed():
    declared = '<rss xmlns:feu="urn:f"><feu:x/></rss>'
    assert federica.declare_prefix(declared) == declared
    assert federica.declare_prefix("<rss><a/></rss>") == "<rss><a/></rss>"
    assert 'xmlns:feu="' in federica.declare_prefix('<?xml version="1.0"?>\n<rss version="2.0"><feu:x/></rss>')


# --- end to end -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feeds")
    with fixture_site("rss") as site, fixture_site("federica") as fed:
        registry = write_registry(
            folder,
            {"id": "feedfixture", "name": "Fixture OpenLearn", "country": "GB", "family": "rss",
             "url": f"{site.base}/openlearn/rss.xml", "link_pattern": "/free-course/"},
            {"id": "brokenfeed", "name": "Broken feed", "country": "GB", "family": "rss",
             "url": f"{site.base}/broken.xml"},
            {"id": "bombfeed", "name": "Entity bomb feed", "country": "GB", "family": "rss",
             "url": f"{site.base}/bomb.xml"},
            {"id": "federicafixture", "name": "Fixture Federica", "country": "IT", "family": "federica",
             "url": f"{fed.base}/feed-courses.php", "languages": ["it", "en"]},
        )
        db = folder / "catalogue.db"
        result = run_mooc("crawl", "--platform", "feedfixture", "--platform", "brokenfeed",
                          "--platform", "bombfeed", "--platform", "federicafixture",
                          registry=registry, db=db, check=False)
        yield {"db": db, "site": site, "base": site.base, "fed": fed, "result": result,
               "records": {r["id"]: r for r in export_jsonl(db)}}


def test_crawl_runs_and_counts(crawled):
    with sqlite3.connect(crawled["db"]) as db:
        runs = dict((row[0], row[1:]) for row in db.execute(
            "SELECT platform, status, fetched, new, rejected, errors FROM crawl_runs"))
        rejected = db.execute("SELECT url, message FROM crawl_errors WHERE kind = 'rejected'").fetchall()
    assert runs == {"feedfixture": ("complete", 7, 6, 1, 0), "federicafixture": ("complete", 4, 3, 1, 0),
                    "brokenfeed": ("failed", 0, 0, 0, 1), "bombfeed": ("failed", 0, 0, 0, 1)}
    assert sorted(url.rsplit("/", 1)[-1] for url, _ in rejected) == ["feed-courses.php", "rss.xml"]
    assert all("title" in message for _, message in rejected)


def test_malformed_and_hostile_feeds_are_reported_with_their_url(crawled):
    with sqlite3.connect(crawled["db"]) as db:
        errors = db.execute("SELECT kind, url, message FROM crawl_errors WHERE kind = 'parse' ORDER BY url").fetchall()
    assert [(kind, url.rsplit("/", 1)[-1]) for kind, url, _ in errors] == [("parse", "bomb.xml"), ("parse", "broken.xml")]
    assert "unsafe XML refused" in errors[0][2] and "EntitiesForbidden" in errors[0][2]
    assert "malformed XML" in errors[1][2]
    assert "failed" in crawled["result"].stderr and crawled["result"].returncode == 1


def test_exported_records_validate_against_the_shipped_schema(crawled):
    schema = shipped_json_schema()
    for course in crawled["records"].values():
        jsonschema.validate(course, schema)


def test_each_feed_page_is_fetched_once(crawled):
    pages = [r.query.get("page", ["1"])[0] for r in crawled["site"].requests_to("/openlearn/rss.xml")]
    assert pages == ["1", "2", "3"]  # page 3's next is page 1 again


def test_rss_item_record(crawled):
    course = crawled["records"]["feedfixture:ol-course-1001"]
    base = crawled["base"]
    assert course["title"] == "Introducing Sino-Japanese relations: 日中関係入門"
    assert course["url"] == f"{base}/free-course/sino-japanese-relations"
    assert course["country"] == "GB" and course["platform"] == "feedfixture"
    assert course["summary"] == "An introduction to two neighbours & their shared history."
    assert course["description"] == "This free course looks at 2,000 years of contact.\n\nSecond paragraph."
    assert course["languages"] == ["en"] and course["language_source"] == "declared"
    assert course["subjects"] == ["History", "Asia & the Pacific", "Languages"]
    assert course["image_url"] == f"{base}/images/sino-japanese.jpg"
    assert course["runs"] == []  # pubDate is not a course date
    assert course["unparsed"] == {}


def test_item_without_guid_is_keyed_by_its_link(crawled):
    base = crawled["base"]
    course = crawled["records"][f"feedfixture:{base}/free-course/understanding-the-weather"]
    assert course["source_id"] == course["url"] == f"{base}/free-course/understanding-the-weather"
    assert course["image_url"] == f"{base}/images/weather.jpg"  # relative enclosure URL resolved
    assert course["description"] == "Clouds, fronts and forecasts." and course["summary"] is None


def test_articles_are_left_out_by_link_pattern(crawled):
    assert not [k for k in crawled["records"] if "article" in k]


def test_hostile_item_is_made_harmless(crawled):
    base = crawled["base"]
    course = crawled["records"][f"feedfixture:{base}/free-course/cyber-security-basics"]
    assert "<" not in course["title"] and "Cyber security" in course["title"]
    assert "script" not in course["description"] and "cookie" not in course["description"]
    assert "onclick" not in course["description"] and "Stay safe online." in course["description"]
    assert course["image_url"] == f"{base}/images/cyber.png"


def test_atom_entries_records(crawled):
    base = crawled["base"]
    ecology = crawled["records"]["feedfixture:tag:fixture.example,2026:course-2001"]
    assert ecology["title"] == "Introduction to ecology"
    assert ecology["url"] == f"{base}/free-course/introduction-to-ecology"
    assert ecology["summary"] == "Ecosystems, food webs and biodiversity."
    assert ecology["description"] == "Week 1: ecosystems.\n\nWeek 2: food webs."
    assert ecology["subjects"] == ["Science, Maths & Technology", "nature"]
    assert ecology["languages"] == ["en"]
    assert ecology["image_url"] == f"{base}/images/ecology.png"
    assert ecology["runs"] == []
    welsh = crawled["records"]["feedfixture:tag:fixture.example,2026:course-2002"]
    assert welsh["languages"] == ["cy"] and welsh["language_source"] == "declared"
    assert welsh["summary"] == "Dysgu Cymraeg o'r dechrau."
    assert welsh["image_url"] == f"{base}/images/cymraeg.jpg"


def test_latin1_feed_declared_utf8_is_decoded_leniently(crawled):
    course = crawled["records"]["feedfixture:ol-course-3001"]
    assert course["title"] == "Università e società: français élémentaire"
    assert course["description"] == "Un corso per chi comincia: perché, così, già."
    assert course["languages"] == ["it"]
    assert "rss.xml?page=3 is not valid utf-8, read as cp1252" in crawled["result"].stderr


def test_federica_course(crawled):
    course = crawled["records"]["federicafixture:501"]
    base = crawled["fed"].base
    assert course["title"] == "Introduzione all'economia politica"
    assert course["url"] == f"{base}/c/introduzione-economia-politica"
    assert course["country"] == "IT" and course["source_id"] == "501"
    assert course["description"] == "Domanda, offerta e mercati: un corso per capire l'economia di tutti i giorni."
    assert course["languages"] == ["it"] and course["language_source"] == "declared"
    assert course["subjects"] == ["Economia"]
    assert course["instructors"] == ["Maria Rossi", "Giovanni Esposito"]
    assert course["image_url"] == f"{base}/images/corsi/economia.jpg"
    assert course["runs"] == [{"start": "2026-03-02", "end": "2026-05-25", "enrollment_start": None,
                               "enrollment_end": None, "pacing": None}]
    assert course["unparsed"] == {}


def test_federica_english_course_with_local_time_and_relative_cover(crawled):
    course = crawled["records"]["federicafixture:502"]
    base = crawled["fed"].base
    assert course["languages"] == ["en"]
    assert course["instructors"] == ["Luca Bianchi"]
    assert course["image_url"] == f"{base}/images/corsi/archeologia.jpg"
    assert course["runs"] == [{"start": "2026-10-01T07:00:00Z", "end": None, "enrollment_start": None,
                               "enrollment_end": None, "pacing": None}]


def test_federica_item_without_feu_id_uses_its_guid(crawled):
    course = crawled["records"]["federicafixture:federica-course-503"]
    assert course["title"] == "Storia della lingua italiana"
    assert course["languages"] == ["it"]  # channel <language>it-it</language>
    assert course["runs"] == [] and course["instructors"] == []
