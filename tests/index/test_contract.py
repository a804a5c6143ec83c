"""The contract both index backends keep (indexer.base.SearchIndex): the embedded Tantivy index and the
Elasticsearch/OpenSearch backend (osmem-server, or a real cluster: see conftest.py).

Expectations are written out by hand; where a figure depends on the whole catalogue (facet counts,
availability) it is also checked against indexer.common's reference definitions evaluated in Python.
"""
from __future__ import annotations

import html
import re
import uuid
from collections import Counter

import pytest

from harvester.store import Store
from indexer.base import FACETS, QueryError, RebuildRefused, SearchQuery
from indexer.common import availability, facet_values, to_epoch
from indexer.elastic import ElasticIndex
from indexer.embedded import EmbeddedIndex
from indexer.sync import rebuild_index, run_index, sync_index
from tests.index.conftest import drop, new_cluster_index
from tests.index.factory import course, run

NOW = "2026-06-01T00:00:00Z"
NOW_TS = to_epoch(NOW)


def _seen(day: str) -> dict:
    return {"first_seen": f"{day}T09:00:00Z"}


CATALOGUE = [
    course("fr-data", "Science des données et apprentissage automatique", platform="fun", country="FR",
           languages=("fr",), summary="Les bases de l'analyse de données pour tous.", isced_fields=["06"],
           level="introductory", certificate={"available": True, "price": 49.0, "currency": "EUR"},
           runs=[run("2026-05-01", "2026-07-31")], **_seen("2024-03-01")),
    course("fr-stat", "Statistique et donnée publique", platform="fun", country="FR", languages=("fr",),
           summary="Une donnée ouverte, des apprentissages concrets.", isced_fields=["05"], level="intermediate",
           runs=[run("2026-09-01", "2026-11-30")], **_seen("2025-01-15")),
    course("en-ml", "Machine Learning for Everyone", platform="uklearn", country="GB", languages=("en",),
           summary="Models that learn from data.", isced_fields=["06"], level="intermediate", is_free=False,
           certificate={"available": True, "price": 99.0, "currency": "GBP"},
           runs=[run("2024-01-08", "2024-03-01")], organizations=[{"name": "Learning Analytics Institute",
                                                                    "country": "GB"}], **_seen("2023-05-05")),
    course("en-intro", "Introduction to Machine Learning", platform="swayam", country="IN", languages=("en", "hi"),
           summary="A self-paced first course.", isced_fields=["06"], level="introductory",
           runs=[run("2025-01-01", None, "self_paced")], instructors=["Ravi Learning"], **_seen("2026-02-01")),
    course("zh-ml", "机器学习导论", platform="xuetangx", country="CN", languages=("zh",),
           summary="本课程介绍机器学习的基本方法。", isced_fields=["06"], runs=[run("2026-07-01", "2026-09-30")],
           **_seen("2025-06-01")),
    course("ja-ds", "データサイエンス入門", platform="jmooc", country="JP", languages=("ja",),
           summary="統計とプログラミングの基礎を学びます。", isced_fields=["05", "06"],
           runs=[run("2023-04-01", "2023-06-30")], **_seen("2022-04-01")),
    course("ko-ai", "인공지능개론", platform="kmooc", country="KR", languages=("ko",),
           summary="인공지능의 기본 개념을 배웁니다.", isced_fields=["06"], runs=[run("2026-03-02", "2026-06-30")],
           **_seen("2026-01-10")),
    course("th-ml", "การเรียนรู้ของเครื่องเบื้องต้น", platform="thaimooc", country="TH", languages=("th",),
           summary="รายวิชานี้แนะนำการเรียนรู้ของเครื่อง", isced_fields=["06"],
           runs=[run("2026-05-15", "2026-08-15")], **_seen("2026-03-03")),
    course("de-two-runs", "Zwei Durchläufe: Klimawandel verstehen", platform="oncampus", country="DE",
           languages=("de",), isced_fields=["05"],
           runs=[run("2020-01-10", "2020-03-01"), run("2030-01-10", "2030-03-01")], **_seen("2019-11-11")),
    course("de-noruns", "Klimawandel und Gesellschaft", platform="oncampus", country="DE", languages=("de",),
           isced_fields=["05", "03"], runs=[], is_free=None, **_seen("2021-07-07")),
    course("es-datos", "Ciencia de datos para la salud", platform="miriadax", country="ES", languages=("es",),
           isced_fields=["06", "09"], level="advanced", runs=[run("2025-10-01", "2025-12-20")],
           **_seen("2025-09-09")),
    course("en-rust", 'C++ & <Rust>: "systems" programming (part 1/2)', platform="uklearn", country="GB",
           languages=("en",), summary="Memory safety <b>without</b> garbage collection & more.", isced_fields=["06"],
           runs=[run("2026-04-01", "2026-12-01", "self_paced")], **_seen("2026-04-04")),
    course("many-runs", "Cohort course repeated often", platform="sgmooc", country="SG", languages=("en",),
           runs=[run(f"{year}-02-01", f"{year}-03-15") for year in (2021, 2022, 2023, 2024)]
           + [run("2026-05-25", "2026-06-25")], **_seen("2021-01-01")),
    course("garden-open", "Gardening basics", platform="fun", country="FR", languages=("en",),
           runs=[run("2026-05-20", "2026-07-20")], **_seen("2020-02-02")),
    course("garden-old", "Gardening basics", platform="uklearn", country="GB", languages=("en",),
           runs=[run("2019-05-20", "2019-07-20")], **_seen("2020-02-03")),
    course("quantum-title", "Quantum entanglement", platform="uklearn", country="GB", languages=("en",),
           runs=[run("2018-01-01", "2018-02-01")], **_seen("2018-01-01")),
    course("quantum-aside", "Physics for poets", platform="fun", country="FR", languages=("en",),
           description="Week 9 mentions quantum physics, and entanglement once, among many other topics of "
                       "modern physics, astronomy, optics, mechanics, thermodynamics and relativity.",
           runs=[run("2026-05-03", "2026-08-01")], **_seen("2017-01-01")),
]
BY_ID = {c["id"]: c for c in CATALOGUE}


def cid(source_id: str) -> str:
    return next(c["id"] for c in CATALOGUE if c["source_id"] == source_id)


@pytest.fixture(scope="module", params=["embedded", "cluster"])
def index(request, tmp_path_factory):
    """The catalogue above in each backend, read-only for the tests that take it."""
    if request.param == "embedded":
        built = EmbeddedIndex(tmp_path_factory.mktemp("index"))
    else:
        built = new_cluster_index(request.getfixturevalue("cluster"))
    assert built.upsert(CATALOGUE) == len(CATALOGUE)
    yield built
    drop(built)


def search(index, **fields):
    return index.search(SearchQuery(now=NOW, **fields))


def ids(result) -> list[str]:
    return [hit.course["id"] for hit in result.hits]


def all_ids(index, **fields) -> set[str]:
    result = search(index, size=100, **fields)
    assert result.total == len(result.hits)
    return set(ids(result))


# --- text -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("q, expected", [
    ("donnée", {"fr-data", "fr-stat"}),              # plural and singular, one stem
    ("données", {"fr-data", "fr-stat"}),
    ("apprentissages", {"fr-data", "fr-stat"}),
    ("Klimawandel", {"de-two-runs", "de-noruns"}),
])
def test_words_match_their_forms_in_the_course_language(index, q, expected):
    assert all_ids(index, q=q) == {cid(s) for s in expected}


def test_accents_are_folded(index):
    assert cid("fr-data") in all_ids(index, q="donnees")
    assert cid("de-two-runs") in all_ids(index, q="durchlaufe")


@pytest.mark.parametrize("q, expected", [
    ("学习", "zh-ml"),            # Chinese: inside 机器学习导论
    ("サイエンス", "ja-ds"),       # Japanese: inside データサイエンス入門
    ("지능", "ko-ai"),             # Korean: inside the compound 인공지능개론
    ("เรียนรู้", "th-ml"),          # Thai: inside การเรียนรู้ของเครื่องเบื้องต้น
    ("统计", None),                # a word no title or summary holds
])
def test_words_are_found_inside_unspaced_scripts(index, q, expected):
    result = search(index, q=q)
    assert ids(result) == ([cid(expected)] if expected else [])


def test_names_are_not_stemmed_and_are_searched(index):
    assert all_ids(index, q="Analytics") == {cid("en-ml")}
    assert all_ids(index, q="Ravi") == {cid("en-intro")}


@pytest.mark.parametrize("q", [
    '"', '""', "*", "*:*", "(", ")", "AND", "OR NOT", "-", "--", "^", "~", "\\", "/", "[", "]", "{", "}",
    'title:"machine', "machine AND (learning OR", "foo~2 bar^3", "a:b:c", "[1 TO 5]", "{a TO b]", "NEAR(a b)",
    "C++ & <Rust>", '"unbalanced phrase', "-", "!!!", "\u0000\u0001", "x" * 600, "'; DROP TABLE courses; --",
    "\\\\\\", "/regex.*/", "machine* learn?", "++--&&||", "😀 🚀", "ＡＮＤ", "\u200b",
])
def test_any_query_string_is_answered(index, q):
    result = search(index, q=q)
    assert result.total >= 0 and len(result.hits) <= 20


def test_query_syntax_is_taken_as_words(index):
    assert cid("en-rust") in ids(search(index, q="C++ & <Rust>"))
    assert ids(search(index, q='title:"machine learning for everyone"'))[0] == cid("en-ml")
    assert all_ids(index, q="machine -everyone") == {cid("en-intro")}


def test_highlights_mark_matches_and_escape_everything_else(index):
    [hit] = search(index, q="rust").hits
    [title] = hit.highlights["title"]
    assert re.search(r"<mark>Rust</mark>", title)
    assert "&lt;" in title and "&amp;" in title and "<Rust>" not in title
    assert html.unescape(re.sub(r"</?mark>", "", title)) == hit.course["title"]
    [hit] = search(index, q="garbage").hits
    [summary] = hit.highlights["summary"]
    assert "<mark>garbage</mark>" in summary and "&lt;b&gt;" in summary and "<b>" not in summary
    [hit] = search(index, q="学习").hits
    assert "<mark>" in hit.highlights["title"][0] and "学" in hit.highlights["title"][0]
    assert search(index, q="rust", highlight=False).hits[0].highlights == {}


# --- filters and facets ---------------------------------------------------------------------------

def _reference_facets(courses: list[dict], filters: dict[str, tuple[str, ...]]) -> dict[str, dict[str, int]]:
    """What a faceted search counts: each facet over the courses matching every other facet's filter."""
    def values(c, facet):
        return availability(c, NOW_TS) if facet == "availability" else set(facet_values(c)[facet])

    out = {}
    for facet in FACETS:
        counts: Counter = Counter()
        for c in courses:
            if all(values(c, f) & set(v) for f, v in filters.items() if f != facet):
                counts.update(values(c, facet))
        out[facet] = dict(counts)
    return out


@pytest.mark.parametrize("filters", [
    {},
    {"country": ("FR",)},
    {"country": ("FR", "GB"), "language": ("en",)},
    {"isced": ("05",), "level": ("intermediate", "introductory")},
    {"free": ("false",)},
    {"certificate": ("true",), "pacing": ("instructor_paced",)},
    {"availability": ("open",), "country": ("FR", "KR", "TH", "GB")},
    {"availability": ("archived", "upcoming")},
])
def test_filters_and_facet_counts_ignoring_their_own_filter(index, filters):
    result = search(index, filters=filters, size=100)
    expected = {c["id"] for c in CATALOGUE
                if all((availability(c, NOW_TS) if f == "availability" else set(facet_values(c)[f])) & set(v)
                       for f, v in filters.items())}
    assert set(ids(result)) == expected and result.total == len(expected)
    reference = _reference_facets(CATALOGUE, filters)
    for facet in FACETS:
        assert dict(result.facets[facet]) == reference[facet], facet
        counts = [count for _, count in result.facets[facet]]
        assert counts == sorted(counts, reverse=True)


def test_facet_counts_follow_the_text_query(index):
    result = search(index, q="machine", filters={"country": ("GB",)})
    assert ids(result) == [cid("en-ml")]
    assert dict(result.facets["country"]) == {"GB": 1, "IN": 1}
    assert dict(result.facets["language"]) == {"en": 1}


def test_availability_is_computed_at_query_time(index):
    expected = {  # at NOW
        "open": {"fr-data", "en-intro", "ko-ai", "th-ml", "en-rust", "garden-open", "quantum-aside", "many-runs"},
        "upcoming": {"fr-stat", "zh-ml", "de-two-runs"},
        "self_paced": {"en-intro", "en-rust"},
        "archived": {"en-ml", "ja-ds", "es-datos", "garden-old", "quantum-title"},
    }
    for value, sources in expected.items():
        assert all_ids(index, filters={"availability": (value,)}) == {cid(s) for s in sources}, value
    later = index.search(SearchQuery(now="2030-06-01T00:00:00Z", filters={"availability": ("archived",)}, size=100))
    assert cid("de-two-runs") in ids(later) and cid("fr-data") in ids(later)
    assert cid("en-intro") not in ids(later)      # self-paced without an end never ends


@pytest.mark.parametrize("now", ["2021-02-15T12:00:00Z", "2023-06-01T00:00:00Z", "2026-06-25T23:00:00Z",
                                 "2030-02-01T00:00:00Z"])
@pytest.mark.parametrize("q", ["", "course", "learning"])
def test_availability_matches_its_definition_at_any_time(index, now, q):
    ts = to_epoch(now)
    result = index.search(SearchQuery(q=q, now=now, size=100))
    matched = [BY_ID[i] for i in ids(result)]
    assert len(matched) == result.total and (q or len(matched) == len(CATALOGUE))
    assert dict(result.facets["availability"]) == dict(Counter(v for c in matched for v in availability(c, ts)))
    for value in ("open", "upcoming", "self_paced", "archived"):
        found = index.search(SearchQuery(q=q, now=now, size=100, filters={"availability": (value,)}))
        assert set(ids(found)) == {c["id"] for c in matched if value in availability(c, ts)}, value


def test_date_filter_applies_to_one_and_the_same_run(index):
    # de-two-runs starts 2020-01-10 and 2030-01-10: no run starts within 2025-2026.
    assert cid("de-two-runs") not in all_ids(index, starts_after="2025-01-01", starts_before="2026-12-31")
    assert cid("de-two-runs") in all_ids(index, starts_after="2029-12-01", starts_before="2030-02-01")
    assert all_ids(index, starts_after="2026-05-01", starts_before="2026-05-15") == {
        cid("fr-data"), cid("quantum-aside"), cid("th-ml")}          # both bounds inclusive
    assert all_ids(index, starts_after="2026-07-01") == {cid("fr-stat"), cid("zh-ml"), cid("de-two-runs")}
    assert all_ids(index, starts_before="2018-01-01") == {cid("quantum-title")}
    facets = search(index, starts_after="2026-01-01", starts_before="2026-12-31").facets
    assert dict(facets["country"]) == {"FR": 4, "CN": 1, "KR": 1, "TH": 1, "GB": 1, "SG": 1}


def test_a_bad_date_is_a_query_error(index):
    with pytest.raises(QueryError) as caught:
        search(index, starts_after="next tuesday")
    assert caught.value.parameter == "starts_after"


# --- ranking, sorting, paging ---------------------------------------------------------------------

def test_relevance_prefers_courses_open_now_among_equals(index):
    result = search(index, q="gardening basics")
    assert ids(result) == [cid("garden-open"), cid("garden-old")]
    assert result.hits[0].score > result.hits[1].score


def test_relevance_does_not_hide_a_better_text_match(index):
    result = search(index, q="quantum entanglement")
    assert ids(result) == [cid("quantum-title"), cid("quantum-aside")]
    assert result.hits[0].score > result.hits[1].score


def test_sort_newest_first_seen(index):
    result = search(index, sort="newest", size=100)
    seen = [hit.course["first_seen"] for hit in result.hits]
    assert seen == sorted(seen, reverse=True) and len(seen) == len(CATALOGUE)
    assert all(hit.score is None for hit in result.hits)


def test_sort_by_start_of_the_current_or_next_run(index):
    result = search(index, sort="start_date", size=100)
    keyed = [c for c in ids(result)]
    # the earliest start among runs not ended at NOW; courses without one come last
    expected = ["en-intro", "ko-ai", "en-rust", "fr-data", "quantum-aside", "th-ml", "garden-open", "many-runs",
                "zh-ml", "fr-stat", "de-two-runs"]
    assert keyed[:len(expected)] == [cid(s) for s in expected]
    assert set(keyed[len(expected):]) == {c["id"] for c in CATALOGUE} - {cid(s) for s in expected}


def test_filtered_start_date_sort_and_paging(index):
    first = search(index, sort="start_date", filters={"country": ("FR",)}, size=2)
    assert ids(first) == [cid("fr-data"), cid("quantum-aside")] and first.total == 4
    second = search(index, sort="start_date", filters={"country": ("FR",)}, size=2, cursor=first.next_cursor)
    assert ids(second) == [cid("garden-open"), cid("fr-stat")]


@pytest.mark.parametrize("sort", ["relevance", "newest", "start_date"])
def test_pages_and_cursor_walk_every_course_once(index, sort):
    everything = ids(search(index, sort=sort, size=100))
    by_page = []
    for page in range(1, 7):
        by_page += ids(search(index, sort=sort, size=3, page=page))
    assert by_page == everything
    by_cursor, cursor, totals = [], None, set()
    while True:
        result = search(index, sort=sort, size=5, cursor=cursor)
        by_cursor += ids(result)
        totals.add(result.total)
        cursor = result.next_cursor
        if cursor is None:
            break
    assert by_cursor == everything and totals == {len(CATALOGUE)}


def test_a_page_beyond_the_last_is_empty(index):
    result = search(index, page=50, size=10)
    assert result.hits == [] and result.total == len(CATALOGUE) and result.next_cursor is None
    assert search(index, size=0).total == len(CATALOGUE)


def test_cursor_of_another_search_is_refused(index):
    cursor = search(index, q="machine", size=1).next_cursor
    assert cursor
    for bad in (cursor + "x", "not-a-cursor", cursor[:-4]):
        with pytest.raises(QueryError) as caught:
            search(index, q="machine", size=1, cursor=bad)
        assert caught.value.parameter == "cursor"
    with pytest.raises(QueryError):
        search(index, q="gardening", size=1, cursor=cursor)


# --- suggestions, get -----------------------------------------------------------------------------

@pytest.mark.parametrize("prefix, expected", [
    ("mach", ["en-ml", "en-intro"]),
    ("Machine Le", ["en-ml", "en-intro"]),
    ("garden", ["garden-open"]),     # same title twice: suggested once
    ("机器", ["zh-ml"]),
    ("データ", ["ja-ds"]),
    ("인공", ["ko-ai"]),
    ("การเรียน", ["th-ml"]),
    ("zzzz", []),
    ("*:(", []),
])
def test_suggestions_complete_titles_in_any_script(index, prefix, expected):
    suggestions = index.suggest(prefix, 10)
    assert [s["title"] for s in suggestions] == [BY_ID[cid(e)]["title"] for e in expected]
    assert all(set(s) == {"id", "title"} for s in suggestions)


def test_get_returns_the_stored_record(index):
    record = BY_ID[cid("ko-ai")]
    assert index.get(record["id"]) == record
    assert index.get("nowhere:nothing") is None
    assert index.stats().documents == len(CATALOGUE)
    assert index.indexed_hashes() == {c["id"]: c["content_hash"] for c in CATALOGUE}


# --- writing ----------------------------------------------------------------------------------------

def test_upsert_replaces_and_delete_removes(fresh_index):
    first = course("one", "Astronomy for beginners", runs=[])
    fresh_index.upsert([first, course("two", "Botany for beginners", runs=[])])
    changed = course("one", "Astrophysics for beginners", runs=[])
    fresh_index.upsert([changed])
    assert fresh_index.stats().documents == 2
    assert ids(fresh_index.search(SearchQuery(q="astronomy"))) == []
    assert ids(fresh_index.search(SearchQuery(q="astrophysics"))) == [changed["id"]]
    assert fresh_index.delete([changed["id"], "testmooc:never-indexed"]) == 1
    assert ids(fresh_index.search(SearchQuery(q="beginners"))) == ["testmooc:two"]
    assert fresh_index.get(changed["id"]) is None


def _store_with(path, records, complete=True):
    store = Store(path)
    run_id = store.start_run("testmooc", "openedx")
    outcomes = Counter(store.upsert(r, run_id) for r in records)
    store.finish_run(run_id, complete=complete, finish_reason="finished", counts={"fetched": len(records)})
    return store, outcomes


def test_incremental_sync_from_the_store(fresh_index, tmp_path):
    records = [course(f"c{i}", f"Course {i} about rivers", runs=[]) for i in range(5)]
    store, _ = _store_with(tmp_path / "catalogue.db", records)
    assert sync_index(store, fresh_index) == {"new": 5, "updated": 0, "unchanged": 0, "deleted": 0, "documents": 5}
    assert sync_index(store, fresh_index) == {"new": 0, "updated": 0, "unchanged": 5, "deleted": 0, "documents": 5}
    # next crawl: c1 changed, c4 no longer listed (a complete crawl marks it gone)
    run_id = store.start_run("testmooc", "openedx")
    changed = course("c1", "Course 1 about lakes", runs=[])
    for record in [records[0], changed, records[2], records[3]]:
        store.upsert(record, run_id)
    store.finish_run(run_id, complete=True, finish_reason="finished", counts={"fetched": 4})
    assert store.course("testmooc:c4")["status"] == "gone"
    figures = sync_index(store, fresh_index)
    assert figures == {"new": 0, "updated": 1, "unchanged": 3, "deleted": 1, "documents": 4}
    assert ids(fresh_index.search(SearchQuery(q="lakes"))) == ["testmooc:c1"]
    assert fresh_index.get("testmooc:c4") is None
    # a course that disappears from the store altogether is removed too
    store.db.execute("DELETE FROM courses WHERE id = 'testmooc:c0'")
    assert sync_index(store, fresh_index)["deleted"] == 1
    assert set(fresh_index.indexed_hashes()) == {"testmooc:c1", "testmooc:c2", "testmooc:c3"}
    store.close()


def test_rebuild_swaps_in_a_new_index_unless_the_count_changed_too_much(fresh_index, tmp_path):
    records = [course(f"r{i}", f"Course {i} on volcanoes", runs=[]) for i in range(10)]
    fresh_index.upsert(records[:8])
    store, _ = _store_with(tmp_path / "catalogue.db", records)
    assert rebuild_index(store, fresh_index, max_change=0.5) == {"before": 8, "documents": 10}
    assert fresh_index.search(SearchQuery(q="volcanoes")).total == 10
    with pytest.raises(RebuildRefused):
        fresh_index.rebuild(records[:2], max_change=0.5)
    assert fresh_index.stats().documents == 10                     # the live index is untouched
    assert fresh_index.search(SearchQuery(q="volcanoes")).total == 10
    fresh_index.rebuild(records[:2], max_change=0.9)
    assert fresh_index.stats().documents == 2
    store.close()


def test_run_index_with_the_embedded_backend(tmp_path, monkeypatch):
    records = [course(f"m{i}", f"Course {i} on mountains", runs=[]) for i in range(3)]
    _store_with(tmp_path / "catalogue.db", records)[0].close()
    monkeypatch.setenv("MOOC_INDEX", "embedded")
    monkeypatch.delenv("MOOC_INDEX_DIR", raising=False)
    figures = run_index(tmp_path / "catalogue.db", rebuild=False, max_change=0.5)
    assert figures["new"] == 3 and figures["documents"] == 3 and (tmp_path / "index" / "CURRENT").exists()
    assert run_index(tmp_path / "catalogue.db", rebuild=True, max_change=0.5)["documents"] == 3


def test_another_process_sees_a_rebuild(tmp_path):
    writer = EmbeddedIndex(tmp_path / "index")
    reader = EmbeddedIndex(tmp_path / "index")
    writer.upsert([course("a", "Geology", runs=[])])
    assert reader.search(SearchQuery(q="geology")).total == 1
    writer.rebuild([course("a", "Geology", runs=[]), course("b", "Geology II", runs=[])], max_change=1.0)
    assert reader.search(SearchQuery(q="geology")).total == 2


def test_the_elasticsearch_client_sends_the_same_bodies(cluster, monkeypatch):
    """The suite talks to osmem through opensearch-py; this runs the elasticsearch-client code path too.
    Against osmem (or OpenSearch), the client's Elasticsearch-9 compatibility media types are turned
    back into plain JSON, which those servers refuse otherwise."""
    if cluster.client != "elasticsearch":
        import elasticsearch._sync.client._base as client_base
        assert hasattr(client_base, "_COMPAT_MIMETYPE_SUB"), "elasticsearch client internals changed"
        monkeypatch.setattr(client_base, "_COMPAT_MIMETYPE_SUB", r"application/\g<1>")
    index = ElasticIndex(cluster.url, client="elasticsearch", name=f"mooc-test-{uuid.uuid4().hex[:10]}")
    try:
        sample = [c for c in CATALOGUE if c["country"] in ("FR", "KR")]
        assert index.upsert(sample) == len(sample)
        result = index.search(SearchQuery(q="donnée", now=NOW, filters={"country": ("FR",)}, size=1))
        assert ids(result) and result.total == 2 and dict(result.facets["country"]) == {"FR": 2}
        following = index.search(SearchQuery(q="donnée", now=NOW, filters={"country": ("FR",)}, size=1,
                                             cursor=result.next_cursor))
        assert set(ids(result) + ids(following)) == {cid("fr-data"), cid("fr-stat")}
        assert index.get(cid("ko-ai")) == BY_ID[cid("ko-ai")]
        assert index.suggest("인공") == [{"id": cid("ko-ai"), "title": BY_ID[cid("ko-ai")]["title"]}]
        assert index.delete([cid("ko-ai")]) == 1
        assert index.rebuild(sample, max_change=1.0).documents == len(sample)
        assert set(index.indexed_hashes()) == {c["id"] for c in sample}
    finally:
        drop(index)


def test_an_index_of_an_older_schema_is_rebuilt(tmp_path, monkeypatch):
    import tantivy
    old = tmp_path / "index" / "gen-0001"
    old.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True)
    writer = tantivy.Index(builder.build(), path=str(old)).writer(15_000_000, 1)
    writer.add_document(tantivy.Document(id="x"))
    writer.commit()
    (tmp_path / "index" / "CURRENT").write_text("gen-0001\n")
    stale = EmbeddedIndex(tmp_path / "index")
    assert stale.stats().documents == 1
    with pytest.raises(RuntimeError, match="rebuild"):
        stale.search(SearchQuery(q="x"))
    _store_with(tmp_path / "catalogue.db", [course("s1", "Seismology", runs=[])])[0].close()
    monkeypatch.setenv("MOOC_INDEX", "embedded")
    monkeypatch.delenv("MOOC_INDEX_DIR", raising=False)
    figures = run_index(tmp_path / "catalogue.db", rebuild=False, max_change=0.5)
    assert "rebuilt" in figures and figures["documents"] == 1
    assert ids(EmbeddedIndex(tmp_path / "index").search(SearchQuery(q="seismology"))) == ["testmooc:s1"]


def test_run_index_with_the_cluster_backend(cluster, tmp_path, monkeypatch):
    records = [course(f"k{i}", f"Course {i} on glaciers", runs=[]) for i in range(4)]
    _store_with(tmp_path / "catalogue.db", records)[0].close()
    name = f"mooc-test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("MOOC_INDEX", cluster.client)
    monkeypatch.setenv("ELASTICSEARCH_URL" if cluster.client == "elasticsearch" else "OPENSEARCH_URL", cluster.url)
    monkeypatch.setenv("MOOC_INDEX_NAME", name)
    try:
        figures = run_index(tmp_path / "catalogue.db", rebuild=False, max_change=0.5)
        assert figures["backend"] == cluster.client and figures["new"] == 4 and figures["documents"] == 4
        assert run_index(tmp_path / "catalogue.db", rebuild=True, max_change=0.5)["documents"] == 4
    finally:
        drop(ElasticIndex(cluster.url, client=cluster.client, name=name))


def test_open_index_from_configuration(tmp_path, monkeypatch):
    from indexer import open_index
    for name in ("MOOC_INDEX", "MOOC_INDEX_DIR", "OPENSEARCH_URL", "ELASTICSEARCH_URL"):
        monkeypatch.delenv(name, raising=False)
    as_api = open_index({"backend": "embedded", "db": str(tmp_path / "c.db"), "index_dir": None,
                         "elasticsearch_url": None, "opensearch_url": None})
    assert isinstance(as_api, EmbeddedIndex) and as_api.root == tmp_path / "index"
    assert open_index("embedded", path=tmp_path / "elsewhere").root == tmp_path / "elsewhere"
    monkeypatch.setenv("MOOC_INDEX_DIR", str(tmp_path / "from-env"))
    assert open_index().root == tmp_path / "from-env"
    opensearch = open_index({"backend": "opensearch", "opensearch_url": "http://127.0.0.1:9"})
    assert isinstance(opensearch, ElasticIndex) and opensearch.client.kind == "opensearch"
    with pytest.raises(ValueError, match="ELASTICSEARCH_URL"):
        open_index("elasticsearch")
    with pytest.raises(ValueError, match="MOOC_INDEX"):
        open_index("solr")
