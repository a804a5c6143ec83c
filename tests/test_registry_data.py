"""Data checks on config/platforms.yaml, the platform registry.

Plain PyYAML, no project imports: these tests check the data, not the loader. The ASEM partner list
is read from the shared data directory beside the repository (../shared/data/asem_partners.csv), or
from $MOOC_SHARED_DIR when that is not there.
"""
from __future__ import annotations

import csv
import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "config" / "platforms.yaml"
PARTNERS_NAME = "asem_partners.csv"

REQUIRED = ("id", "name", "country", "family", "url", "enabled")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ALPHA2_RE = re.compile(r"^[A-Z]{2}$")
FAMILY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Families that have (or are planned to have) a spider: only these may be enabled.
SPIDER_FAMILIES = {
    "openedx", "moochub", "schemaorg", "moodle", "richie", "rss",
    "kmooc", "icourse163", "swayam", "eduopen", "federica", "openlearning",
}
# ISO 639-1 (two-letter) language codes.
ISO_639_1 = set("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml
mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
vo wa wo xh yi yo za zh zu
""".split())
# Query parameters that would carry a credential: none may appear in a URL of the registry.
SECRET_PARAMS = re.compile(r"(?i)[?&](api_?key|service_?key|wstoken|token|access_token|key)=")


def _partners_csv() -> Path:
    candidates = [Path(__file__).resolve().parents[2] / "shared" / "data" / PARTNERS_NAME]
    shared = os.environ.get("MOOC_SHARED_DIR")
    if shared:
        candidates += [Path(shared) / "data" / PARTNERS_NAME, Path(shared) / PARTNERS_NAME]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    pytest.fail(
        f"{PARTNERS_NAME} not found (tried {', '.join(map(str, candidates))}); "
        "put shared/ beside the repository or set MOOC_SHARED_DIR"
    )


@pytest.fixture(scope="module")
def partners() -> list[dict[str, str]]:
    with _partners_csv().open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def asem_countries(partners) -> set[str]:
    return {row["code"] for row in partners if row["kind"] == "country"}


@pytest.fixture(scope="module")
def partner_codes(partners) -> set[str]:
    return {row["code"] for row in partners}


@pytest.fixture(scope="module")
def registry() -> dict:
    data = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "registry must be a mapping"
    return data


@pytest.fixture(scope="module")
def platforms(registry) -> list[dict]:
    entries = registry.get("platforms")
    assert isinstance(entries, list) and entries, "'platforms' must be a non-empty list"
    assert all(isinstance(e, dict) for e in entries), "each platform entry must be a mapping"
    return entries


@pytest.fixture(scope="module")
def country_notes(registry) -> list[dict]:
    entries = registry.get("countries") or []
    assert isinstance(entries, list), "'countries' must be a list"
    assert all(isinstance(e, dict) for e in entries), "each countries entry must be a mapping"
    return entries


def test_top_level_keys(registry):
    assert set(registry) <= {"platforms", "countries"}, f"unexpected top-level keys: {set(registry)}"


def test_partner_list_is_the_51_countries(asem_countries):
    assert len(asem_countries) == 51


def test_every_entry_has_required_fields(platforms):
    for entry in platforms:
        missing = [k for k in REQUIRED if k not in entry or entry[k] in (None, "")]
        assert not missing, f"{entry.get('id', entry)}: missing {missing}"
        for key in ("id", "name", "country", "family", "url"):
            assert isinstance(entry[key], str) and entry[key].strip(), f"{entry['id']}: {key} must be a string"
        assert isinstance(entry["enabled"], bool), f"{entry['id']}: enabled must be true or false"


def test_ids_unique_and_well_formed(platforms):
    ids = [entry["id"] for entry in platforms]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    bad = [i for i in ids if not ID_RE.match(i)]
    assert not bad, f"ids not matching [a-z0-9_-]: {bad}"


def test_families_well_formed(platforms):
    bad = [(e["id"], e["family"]) for e in platforms if not FAMILY_RE.match(e["family"])]
    assert not bad, f"malformed family ids: {bad}"


def test_platform_countries_are_partner_codes(platforms, partner_codes):
    for entry in platforms:
        code = entry["country"]
        assert ALPHA2_RE.match(code), f"{entry['id']}: country {code!r} is not upper-case alpha-2"
        assert code in partner_codes, f"{entry['id']}: country {code} is not in {PARTNERS_NAME}"


def test_urls_are_http(platforms):
    for entry in platforms:
        parts = urlsplit(entry["url"])
        assert parts.scheme in ("http", "https") and parts.netloc, f"{entry['id']}: bad url {entry['url']!r}"
        assert " " not in entry["url"], f"{entry['id']}: url contains a space"
        assert not SECRET_PARAMS.search(entry["url"]), f"{entry['id']}: url carries a credential"
        for host in entry.get("allowed_hosts") or []:
            assert isinstance(host, str) and "/" not in host and host == host.lower(), (
                f"{entry['id']}: allowed_hosts must be bare lower-case host names, got {host!r}"
            )


def test_no_duplicate_platform_urls(platforms):
    urls = Counter(e["url"].rstrip("/") for e in platforms)
    assert not [u for u, n in urls.items() if n > 1], f"same url in several entries: {urls.most_common(3)}"


def test_languages_look_like_iso_639_1(platforms):
    for entry in platforms:
        languages = entry.get("languages")
        if languages is None:
            continue
        assert isinstance(languages, list), f"{entry['id']}: languages must be a list"
        for code in languages:
            assert isinstance(code, str) and code in ISO_639_1, (
                f"{entry['id']}: language {code!r} is not an ISO 639-1 code"
            )
        assert len(set(languages)) == len(languages), f"{entry['id']}: repeated language"


def test_only_spider_families_enabled(platforms):
    wrong = [(e["id"], e["family"]) for e in platforms if e["enabled"] and e["family"] not in SPIDER_FAMILIES]
    assert not wrong, f"enabled entries of a family without spider: {wrong}"


def test_disabled_entries_say_why(platforms):
    silent = [e["id"] for e in platforms if not e["enabled"] and not str(e.get("note") or "").strip()]
    assert not silent, f"disabled entries without note: {silent}"


def test_notes_and_schedules_are_strings(platforms):
    for entry in platforms:
        for key in ("note", "schedule"):
            if key in entry:
                assert isinstance(entry[key], str) and entry[key].strip(), f"{entry['id']}: {key} must be text"
        if "schedule" in entry:
            assert len(entry["schedule"].split()) == 5, f"{entry['id']}: schedule must be a 5-field cron"


def test_every_asem_country_appears(platforms, country_notes, asem_countries):
    covered = {e["country"] for e in platforms} | {str(c.get("code")) for c in country_notes}
    missing = sorted(asem_countries - covered)
    assert not missing, f"ASEM countries neither in platforms nor in countries: {missing}"


def test_country_notes(platforms, country_notes, asem_countries):
    with_platform = {e["country"] for e in platforms}
    codes = [str(c.get("code")) for c in country_notes]
    assert not [c for c, n in Counter(codes).items() if n > 1], "a country is listed twice in countries"
    for entry in country_notes:
        assert isinstance(entry.get("code"), str), (
            f"countries: code {entry.get('code')!r} must be a string (quote it: YAML reads NO as false)"
        )
        code = entry["code"]
        assert code in asem_countries, f"countries: {code!r} is not an ASEM partner country"
        assert isinstance(entry.get("note"), str) and entry["note"].strip(), f"countries: {code} needs a note"
        assert code not in with_platform, f"countries: {code} has a platform entry, drop its note"


def test_key_needing_platforms_name_their_env_var(platforms):
    for entry in platforms:
        note = str(entry.get("note") or "")
        if entry["family"] == "kmooc":
            assert "MOOC_KMOOC_API_KEY" in note, f"{entry['id']}: note must name MOOC_KMOOC_API_KEY"
        if entry["family"] == "openlearning" and entry["enabled"]:
            assert "MOOC_OPENLEARNING_API_KEY" in note, f"{entry['id']}: note must name MOOC_OPENLEARNING_API_KEY"


def test_no_secrets_in_file():
    text = REGISTRY.read_text(encoding="utf-8")
    assert not re.search(r"(?i)(api_?key|service_?key|wstoken|token)\s*[:=]\s*['\"]?[A-Za-z0-9%+/]{16,}", text)
