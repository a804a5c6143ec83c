"""MOOChub: the pure page/record functions, then an end-to-end crawl of the fixture feeds."""
from __future__ import annotations

import json
import sqlite3

import jsonschema
import pytest

from harvester.registry import Platform
from harvester.schema import shipped_json_schema
from harvester.sources import moochub
from spiders.base import PageError, PageRequest
from tests.conftest import export_jsonl, run_mooc, write_registry
from tests.fixture_sites.server import site as fixture_site

FEED = "https://hub.example/bridges/moochub/courses"


def page(data, links=None, url=FEED):
    body = {"data": data} if links is None else {"links": links, "data": data}
    return moochub.parse_page(json.dumps(body), PageRequest(url))


def record(**attributes):
    return {"id": "c1", "type": "courses", "attributes": {"name": "A course", "url": "https://hub.example/c1",
                                                         **attributes}}


# --- pages and paging ---------------------------------------------------------------------

def test_first_request_asks_for_moochub_v3():
    platform = Platform(id="hub", name="Hub", country="DE", family="moochub", url=FEED)
    first = moochub.first_request(platform, {})
    assert first.url == FEED
    assert first.headers == {"Accept": "application/vnd.api+json; moochub-version=3"}


def test_next_page_keeps_the_accept_header_and_resolves_relative_links():
    found = page([record()], {"self": FEED, "next": "?page=2"})
    assert found.next.url == FEED + "?page=2"
    assert found.next.headers["Accept"] == moochub.ACCEPT


@pytest.mark.parametrize("links", [
    None,                                                    # no links at all
    {},                                                      # empty links
    {"self": "", "first": "", "last": "", "prev": "", "next": ""},  # oncampus: all ""
    {"self": FEED, "next": FEED},                            # next == self
    {"self": FEED + "?page=3", "next": FEED + "?page=3"},    # next == self, not the URL asked for
    {"self": "", "next": FEED},                              # next == the page just fetched
    {"next": None},
    {"next": 3},
])
def test_no_next_page_when_links_are_empty_or_point_back(links):
    assert page([record()], links).next is None


def test_an_empty_page_ends_paging_even_with_a_next_link():
    found = page([], {"next": FEED + "?page=99"})
    assert found.drafts == [] and found.next is None


def test_data_as_one_object_is_one_record():
    found = page(record(), {"next": ""})
    assert [d["source_id"] for d in found.drafts] == ["c1"]


def test_data_null_is_an_empty_page():
    assert page(None).drafts == []


@pytest.mark.parametrize("text", ["<html>Maintenance</html>", "[1, 2]", '{"links": {}}', '{"data": "x"}', ""])
def test_pages_of_the_wrong_shape_raise_page_error(text):
    with pytest.raises(PageError):
        moochub.parse_page(text, PageRequest(FEED))


def test_entries_that_are_not_objects_become_drafts_the_pipeline_rejects():
    found = page([record(), "oops", None, 7])
    assert len(found.drafts) == 4
    assert all(not d["source_id"] and not d["title"] for d in found.drafts[1:])


# --- v3 attributes ------------------------------------------------------------------------

def test_v3_record_maps_every_field():
    draft = moochub.transform({"id": "x-1", "type": "Course", "attributes": {
        "name": "Kurs", "url": "https://hub.example/x", "description": "<p>Lang</p>",
        "inLanguage": ["de", "en"],
        "startDate": ["2026-01-01T08:00:00Z", "2026-06-01T08:00:00Z"], "endDate": ["2026-02-01T08:00:00Z"],
        "courseMode": ["online", "asynchronous"],
        "image": {"contentUrl": "https://hub.example/i.png", "type": "ImageObject"},
        "instructor": [{"name": "A. Person", "type": "Person"}],
        "creator": [{"name": "B. Person", "type": "Person"}, {"name": "Uni X", "type": "Organization"}],
        "publisher": {"name": "Hub", "type": "Organization"},
        "contributor": [{"name": "C. Person", "type": "Person"}, {"name": "Lab Y", "type": "Organization"}],
        "duration": "P3W", "workload": {"timeValue": 2, "timeUnit": "h/week"},
        "license": [{"identifier": "CC-BY-4.0", "url": "https://spdx.org/licenses/CC-BY-4.0.html"}],
        "keywords": ["ai", "ml"], "teaches": [{"name": [{"inLanguage": "en", "name": "Use ML"}]}],
        "about": [{"name": "Informatik"}],
        "educationalAlignment": [{"name": [{"inLanguage": "en", "name": "Computer use"}]}],
        "educationalLevel": [{"name": [{"inLanguage": "en", "name": "FOUNDATION"}]}],
        "access": ["free"],
        "offer": [{"price": 0, "priceCurrency": "EUR", "category": "course"},
                  {"price": 25, "priceCurrency": "EUR", "category": "certificate"}],
    }})
    assert draft == {
        "source_id": "x-1", "title": "Kurs", "url": "https://hub.example/x", "summary": None,
        "description": "<p>Lang</p>", "languages": ["de", "en"],
        "subjects": ["Informatik", "Computer use"], "keywords": ["ai", "ml", "Use ML"], "level": "FOUNDATION",
        "organizations": ["Uni X", "Hub", "Lab Y"], "instructors": ["A. Person", "B. Person"],
        "image_url": "https://hub.example/i.png", "license": "CC-BY-4.0",
        "runs": [{"start": "2026-01-01T08:00:00Z", "end": "2026-02-01T08:00:00Z", "enrollment_start": None,
                  "enrollment_end": None, "pacing": "self_paced"},
                 {"start": "2026-06-01T08:00:00Z", "end": None, "enrollment_start": None,
                  "enrollment_end": None, "pacing": "self_paced"}],
        "effort": "2 hours/week", "duration_weeks": "P3W", "is_free": True,
        "certificate": {"available": True, "price": 25, "currency": "EUR"},
    }


def test_has_course_instance_wins_over_date_lists():
    draft = moochub.transform(record(
        startDate=["2020-01-01"], courseMode=["online"],
        hasCourseInstance=[{"startDate": "2026-01-01", "endDate": "2026-02-01", "courseMode": ["synchronous"]},
                           {"startDate": "2026-09-01", "applicationDeadline": "2026-08-15"}]))
    assert draft["runs"] == [
        {"start": "2026-01-01", "end": "2026-02-01", "enrollment_start": None, "enrollment_end": None,
         "pacing": "instructor_paced"},
        {"start": "2026-09-01", "end": None, "enrollment_start": None, "enrollment_end": "2026-08-15",
         "pacing": None}]


def test_enrollment_dates_go_to_a_single_run_only():
    one = moochub.transform(record(startDate=["2026-03-01"], applicationDeadline="2026-02-20"))
    assert one["runs"][0]["enrollment_end"] == "2026-02-20"
    none = moochub.transform(record(applicationStartDate="2026-01-01"))
    assert none["runs"] == [{"start": None, "end": None, "pacing": None,
                             "enrollment_start": "2026-01-01", "enrollment_end": None}]
    two = moochub.transform(record(startDate=["2026-03-01", "2026-09-01"], applicationDeadline="2026-02-20"))
    assert [r["enrollment_end"] for r in two["runs"]] == [None, None]


@pytest.mark.parametrize("workload, effort", [
    ({"timeValue": 3, "timeUnit": "h/week"}, "3 hours/week"),
    ({"timeValue": 13, "timeUnit": "h/month"}, "3 hours/week"),
    ({"timeValue": 1, "timeUnit": "h/day"}, "1 h/day"),      # left to the normalizer (unparsed)
    (5, "5 hours/week"),                                     # v2: weekly hours as an integer
    (1080, 1080),                                            # not weekly hours: passed raw
    ("PT2H", "PT2H"),
    (None, None),
])
def test_workload_forms(workload, effort):
    assert moochub.transform(record(workload=workload))["effort"] == effort


def test_time_required_is_read_when_there_is_no_workload():
    assert moochub.transform(record(timeRequired="PT4H"))["effort"] == "PT4H"


# --- v1/v2 drift --------------------------------------------------------------------------

def test_v2_keys_and_oncampus_typos():
    draft = moochub.transform({"id": "7f", "type": "courses", "attributes": {
        "name": "Windenergie", "url": "https://hub.example/w", "abtract": "Kurz",
        "languages": ["de"], "startDate": "2026-10-24T00:00:00+02:00", "endDate": "2026-11-28T00:00:00+01:00",
        "availableUntil": None, "image": "https://hub.example/w.jpg", "video": "https://youtu.be/x",
        "instructors": [{"name": "J. Loviscach"}], "partnerInstitute": [{"name": "TH Lübeck"}],
        "moocProvider": {"name": "oncampus", "url": "https://oncampus.example"},
        "licence": "https://creativecommons.org/licenses/by/4.0/", "isAccessibleForFree": "false",
        "learningobjectives": ["Windenergieanlagen und ihre Auswirkungen auf die Umwelt einschätzen."],
        "courseMode": "MOOC", "workload": 2, "duration": "P8W",
    }})
    assert draft["summary"] == "Kurz" and draft["description"] is None
    assert draft["languages"] == ["de"]
    assert draft["runs"] == [{"start": "2026-10-24T00:00:00+02:00", "end": "2026-11-28T00:00:00+01:00",
                              "enrollment_start": None, "enrollment_end": None, "pacing": None}]
    assert draft["image_url"] == "https://hub.example/w.jpg"
    assert draft["instructors"] == ["J. Loviscach"]
    assert draft["organizations"] == ["TH Lübeck", "oncampus"]
    assert draft["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert draft["is_free"] == "false"  # the normalizer reads the string
    assert draft["keywords"] == []      # learning objectives are sentences, not keywords
    assert draft["effort"] == "2 hours/week" and draft["duration_weeks"] == "P8W"


@pytest.mark.parametrize("image, url", [
    ({"url": "https://h/v2.png", "licenses": []}, "https://h/v2.png"),
    ({"contentUrl": "https://h/v3.png"}, "https://h/v3.png"),
    ("https://h/s.png", "https://h/s.png"),
    ([{"contentUrl": ""}, {"contentUrl": "https://h/2nd.png"}], "https://h/2nd.png"),
    ({"description": "no url"}, None),
    ("", None),
])
def test_image_forms(image, url):
    assert moochub.transform(record(image=image))["image_url"] == url


@pytest.mark.parametrize("attributes, license", [
    ({"license": [{"identifier": "CC-BY-SA-4.0", "url": "https://spdx.org/licenses/CC-BY-SA-4.0.html"}]},
     "CC-BY-SA-4.0"),
    ({"courseLicenses": [{"id": "CC-BY-NC-4.0", "url": "https://creativecommons.org/licenses/by-nc/4.0/"}]},
     "CC-BY-NC-4.0"),
    ({"courseLicenses": [{"url": "https://creativecommons.org/licenses/by-sa/4.0/"}]},
     "https://creativecommons.org/licenses/by-sa/4.0/"),
    ({"license": [{"identifier": "proprietary", "url": None}]}, None),
    ({"license": [{"identifier": "proprietary", "url": None, "contentUrl": "https://h/terms"}]}, "https://h/terms"),
    ({"license": "Proprietary"}, None),
    ({"licence": "CC0-1.0"}, "CC0-1.0"),
])
def test_license_forms(attributes, license):
    assert moochub.transform(record(**attributes))["license"] == license


@pytest.mark.parametrize("attributes, free", [
    ({"isAccessibleForFree": True}, True),
    ({"isAccessibleForFree": "true", "access": ["paid"]}, "true"),
    ({"access": ["free", "paid"]}, True),
    ({"access": ["paid"]}, False),
    ({"offers": {"price": 0, "priceCurrency": "EUR"}}, True),
    ({"offer": [{"price": 99, "priceCurrency": "EUR", "category": "course"},
                {"price": 0, "priceCurrency": "EUR", "category": "certificate"}]}, False),
    ({}, None),
])
def test_free_or_not(attributes, free):
    assert moochub.transform(record(**attributes))["is_free"] == free


def test_certificate_from_awarded_credentials():
    draft = moochub.transform(record(educationalCredentialsAwarded=["record of achievement", "certificate"]))
    assert draft["certificate"] == {"available": True, "price": None, "currency": None}


def test_record_without_attributes_object_is_read_flat_and_id_kept_as_string():
    draft = moochub.transform({"id": 42, "name": "Flat", "url": "https://h/42"})
    assert (draft["source_id"], draft["title"], draft["url"]) == ("42", "Flat", "https://h/42")


def test_missing_fields_are_none_or_empty():
    draft = moochub.transform({"id": "m", "attributes": {"name": "Only a name", "url": "https://h/m",
                                                          "languages": [], "image": None, "instructors": []}})
    assert draft["summary"] is None and draft["image_url"] is None and draft["runs"] == []
    assert draft["organizations"] == [] and draft["instructors"] == [] and draft["certificate"] == {}
    assert draft["is_free"] is None and draft["effort"] is None and draft["languages"] is None


# --- end to end -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("moochub")
    with fixture_site("moochub") as site:
        registry = write_registry(
            folder,
            {"id": "hubfixture", "name": "Fixture MOOChub", "country": "DE", "family": "moochub",
             "url": f"{site.base}/bridges/moochub/courses", "languages": ["de", "en"]},
            {"id": "hubloop", "name": "Looping MOOChub", "country": "AT", "family": "moochub",
             "url": f"{site.base}/loop/moochub.json"},
        )
        db = folder / "catalogue.db"
        result = run_mooc("crawl", "--platform", "hubfixture", "--platform", "hubloop", registry=registry, db=db)
        yield {"db": db, "site": site, "base": site.base, "result": result,
               "records": {r["id"]: r for r in export_jsonl(db)}}


def test_every_good_record_is_stored_and_the_broken_ones_rejected(crawled):
    assert sorted(crawled["records"]) == [
        "hubfixture:0c9f3ad2b1e47f5a8d6c0b3e2a1f4d57", "hubfixture:42",
        "hubfixture:5b1e0c2a-7d4f-4a51-9a57-0d6f3b2c9e11", "hubfixture:internet-basics-2026",
        "hubfixture:ml-beginners-ja", "hubfixture:ua-python-101",
        "hubloop:loop-a", "hubloop:loop-b"]
    with sqlite3.connect(crawled["db"]) as db:
        runs = db.execute("SELECT platform, status, fetched, new, rejected, errors FROM crawl_runs "
                          "ORDER BY platform").fetchall()
        rejected = db.execute("SELECT url, message FROM crawl_errors WHERE kind = 'rejected'").fetchall()
    assert runs == [("hubfixture", "complete", 8, 6, 2, 0), ("hubloop", "complete", 2, 2, 0, 0)]
    assert len(rejected) == 2 and all(url.endswith("/bridges/moochub/courses") for url, _ in rejected)
    assert sorted("title" in message for _, message in rejected) == [True, True]


def test_exported_records_validate_against_the_shipped_schema(crawled):
    schema = shipped_json_schema()
    for course in crawled["records"].values():
        jsonschema.validate(course, schema)


def test_each_page_is_fetched_once_with_the_moochub_accept_header(crawled):
    site = crawled["site"]
    hub = [(r.query.get("page", ["1"])[0], r.status) for r in site.requests_to("/bridges/moochub/courses")]
    assert hub == [("1", 200), ("2", 503), ("2", 200), ("3", 200)]  # page 3's next == self: not refetched
    loop = [r.query.get("page", ["1"])[0] for r in site.requests_to("/loop/moochub.json")]
    assert loop == ["1", "2"]  # page 2's next is page 1 again
    pages = site.requests_to("/bridges/moochub/courses") + site.requests_to("/loop/moochub.json")
    assert {r.headers.get("Accept") for r in pages} == {"application/vnd.api+json; moochub-version=3"}


def test_v3_german_course(crawled):
    course = crawled["records"]["hubfixture:5b1e0c2a-7d4f-4a51-9a57-0d6f3b2c9e11"]
    base = crawled["base"]
    assert course["title"] == "Datenschutz im Alltag: Grundlagen für Bürgerinnen & Bürger"
    assert course["url"] == f"{base}/courses/datenschutz2026"
    assert course["source_id"] == "5b1e0c2a-7d4f-4a51-9a57-0d6f3b2c9e11"
    assert course["platform"] == "hubfixture" and course["country"] == "DE"
    assert course["summary"] is None
    assert course["description"] == "Wie schütze ich meine persönlichen Daten im Netz?\n\nSechs Wochen, ein Zertifikat."
    assert course["languages"] == ["de"] and course["language_source"] == "declared"
    assert course["subjects"] == ["Computer use"]
    assert course["keywords"] == ["Datenschutz", "DSGVO", "Privatsphäre", "Persönliche Daten schützen"]
    assert course["level"] == "advanced"
    assert course["organizations"] == [{"name": "Hochschule Musterstadt", "country": None},
                                       {"name": "openFixture", "country": None}]
    assert course["instructors"] == ["Anna Schäfer", "Jürgen Weiß"]
    assert course["image_url"] == f"{base}/media/datenschutz.png"
    assert course["license"] == "CC-BY-SA-4.0"
    assert course["runs"] == [
        {"start": "2026-03-02T08:00:00Z", "end": "2026-04-13T20:00:00Z", "enrollment_start": None,
         "enrollment_end": None, "pacing": "self_paced"},
        {"start": "2026-09-07T06:00:00Z", "end": "2026-10-19T18:00:00Z", "enrollment_start": None,
         "enrollment_end": None, "pacing": "self_paced"}]
    assert course["effort_hours_per_week"] == 3.0 and course["duration_weeks"] == 6.0
    assert course["is_free"] is True
    assert course["certificate"] == {"available": True, "price": 49.5, "currency": "EUR"}
    assert course["unparsed"] == {} and course["status"] == "active"


def test_v3_ukrainian_course_with_relative_links_and_monthly_workload(crawled):
    course = crawled["records"]["hubfixture:ua-python-101"]
    base = crawled["base"]
    assert course["title"] == "Основи програмування на Python"
    assert course["url"] == f"{base}/courses/python-ua"
    assert course["image_url"] == f"{base}/media/python-ua.jpg"
    assert course["description"] == "Курс для початківців: змінні, цикли, функції та робота з файлами."
    assert course["languages"] == ["uk"]
    assert course["instructors"] == ["Олена Коваленко"]
    assert course["organizations"] == [{"name": "Київський політехнічний інститут", "country": None}]
    assert course["keywords"] == ["Python", "програмування"]
    assert course["runs"] == [{"start": "2026-02-01", "end": None, "enrollment_start": None,
                               "enrollment_end": None, "pacing": "instructor_paced"}]
    assert course["effort_hours_per_week"] == 3.0  # 13 h/month
    assert course["license"] is None  # "proprietary" names no license
    assert course["is_free"] is True
    assert course["unparsed"] == {}


def test_xikolo_record_with_v2_keys(crawled):
    course = crawled["records"]["hubfixture:internet-basics-2026"]
    assert course["title"] == "Internet Basics for Everyone"
    assert course["summary"] == "How the *network of networks* works, in four weeks."
    assert course["description"] == "Packets, routers and protocols.\n\nNo prior knowledge needed."
    assert course["languages"] == ["en"]
    assert course["instructors"] == ["Jane Doe", "Ravi Kumar"]
    assert course["organizations"] == [{"name": "Fixture Institute of Technology", "country": None},
                                       {"name": "openFixture", "country": None}]
    assert course["license"] == "CC-BY-NC-SA-4.0"
    assert course["image_url"] == f"{crawled['base']}/media/internet.png"
    assert course["runs"] == [{"start": "2026-05-04T07:00:00Z", "end": "2026-06-01T21:59:00Z",
                               "enrollment_start": None, "enrollment_end": None, "pacing": None}]
    assert course["effort_hours_per_week"] == 4.0 and course["duration_weeks"] == 4.0
    assert course["is_free"] is True and course["keywords"] == []
    assert course["unparsed"] == {}


def test_oncampus_record_with_typos_and_string_values(crawled):
    course = crawled["records"]["hubfixture:0c9f3ad2b1e47f5a8d6c0b3e2a1f4d57"]
    base = crawled["base"]
    assert course["title"] == "Windenergie und Umwelt – Grundlagen"
    assert course["url"] == f"{base}/mod/page/view.php?id=2718&lang=de"
    assert course["summary"] == ("Was erwartet dich in diesem Kurs? Schall, Schatten und Vögel: "
                                 "die Windkraft und ihre Nachbarn.")
    assert course["image_url"] == f"{base}/images.php?url=moduledescriptions/wind.jpg"
    assert course["license"] == "CC-BY-4.0"
    assert course["is_free"] is False
    assert course["runs"] == [{"start": "2026-10-23T22:00:00Z", "end": "2026-11-27T23:00:00Z",
                               "enrollment_start": None, "enrollment_end": None, "pacing": None}]
    assert course["duration_weeks"] == 8.0
    assert course["instructors"] == ["Jörn Loviscach"]
    assert [o["name"] for o in course["organizations"]] == ["Technische Hochschule Lübeck", "oncampus GmbH"]
    assert course["unparsed"] == {}


def test_record_with_missing_fields(crawled):
    course = crawled["records"]["hubfixture:42"]
    assert course["source_id"] == "42" and course["title"] == "Lernen mit digitalen Medien"
    assert course["url"] == f"{crawled['base']}/course/view.php?id=42"
    assert course["summary"] is None and course["description"] is None and course["image_url"] is None
    assert course["runs"] == [] and course["instructors"] == [] and course["organizations"] == []
    assert course["license"] is None and course["is_free"] is None and course["effort_hours_per_week"] is None
    assert course["certificate"] == {"available": None, "price": None, "currency": None}
    assert course["unparsed"] == {}


def test_single_object_page_with_course_instances(crawled):
    course = crawled["records"]["hubfixture:ml-beginners-ja"]
    assert course["title"] == "はじめての機械学習"
    assert course["languages"] == ["ja"]
    assert course["runs"] == [
        {"start": "2026-04-01", "end": "2026-06-30", "enrollment_start": None, "enrollment_end": None,
         "pacing": "self_paced"},
        {"start": "2026-10-01", "end": "2026-12-20", "enrollment_start": None, "enrollment_end": None,
         "pacing": "instructor_paced"}]
    assert course["instructors"] == ["山田 太郎"]
    assert course["organizations"] == [{"name": "東京フィクスチャー大学", "country": None}]
    assert course["image_url"] == f"{crawled['base']}/media/ml.jpg"
    assert course["effort_hours_per_week"] == 2.0
    assert course["license"] == "CC-BY-4.0"
    assert course["level"] == "introductory"
    assert course["is_free"] is True
    assert course["unparsed"] == {}
