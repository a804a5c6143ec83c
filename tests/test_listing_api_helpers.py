"""The helpers shared by the listing-API families, and key redaction."""
from __future__ import annotations

import logging

import pytest

from harvester import redact as redacting
from harvester.redact import install_log_redaction, redact
from harvester.registry import Platform
from harvester.sources.listing_api import (
    PageError,
    load_json,
    local_time,
    on_site,
    option_int,
    option_list,
    quote_key,
    split_names,
)


@pytest.mark.parametrize("value, expected", [
    ("2024-03-04 09:00:00", "2024-03-04T09:00:00+09:00"),
    ("2024-03-04T09:30", "2024-03-04T09:30:00+09:00"),
    ("2024-03-04 09:00:00.250", "2024-03-04T09:00:00.250+09:00"),
    ("20240304093000", "2024-03-04T09:30:00+09:00"),
    ("202403040930", "2024-03-04T09:30:00+09:00"),
    ("20240304", "20240304"),  # a date stays a date
    ("2024-03-04", "2024-03-04"),
    ("2024-03-04T09:00:00Z", "2024-03-04T09:00:00Z"),  # a zone given is kept
    ("2024-03-04T09:00:00+05:30", "2024-03-04T09:00:00+05:30"),
    ("미정", "미정"),
    (1709510400000, 1709510400000),
    (None, None),
])
def test_local_time_adds_the_platform_offset_to_zoneless_times(value, expected):
    assert local_time(value, "+09:00") == expected


@pytest.mark.parametrize("value, expected", [
    ("홍길동, 김철수", ["홍길동", "김철수"]),
    ("张铭、赵海燕", ["张铭", "赵海燕"]),
    ("Prof. A Rao & Dr. B Sen", ["Prof. A Rao", "Dr. B Sen"]),
    ("AT&T Labs", ["AT&T Labs"]),
    (["Ann", "", None, "Bo "], ["Ann", "Bo"]),
    ("", []),
    (None, []),
])
def test_split_names(value, expected):
    assert split_names(value) == expected


def test_on_site_resolves_relative_links_only():
    assert on_site("/c/1", "https://www.kmooc.kr") == "https://www.kmooc.kr/c/1"
    assert on_site("c/1", "https://www.kmooc.kr/") == "https://www.kmooc.kr/c/1"
    assert on_site("//cdn.example.org/i.png", "https://www.kmooc.kr") == "https://cdn.example.org/i.png"
    assert on_site("javascript:alert(1)", "https://x.org") == "javascript:alert(1)"  # the normalizer rejects it
    assert on_site("", "https://x.org") == "" and on_site(None, "https://x.org") is None


def test_load_json_strips_a_guard_and_reports_bad_bodies():
    assert load_json(")]}'\n{\"a\": 1}", strip_prefix=")]}'") == {"a": 1}
    assert load_json("\ufeff[1]") == [1]
    with pytest.raises(PageError, match="not JSON.*body starts '<html> <body>Bad gateway"):
        load_json("<html>\n<body>Bad gateway</body></html>")


def test_registry_options_are_checked():
    platform = Platform(id="p", name="p", country="KR", family="kmooc", url="https://x.org",
                        options={"page_size": "50", "bad": 0, "worse": "ten", "ids": 13001, "many": [1, " 2 ", None]})
    assert option_int(platform, "page_size", 100) == 50 and option_int(platform, "absent", 100) == 100
    for name in ("bad", "worse"):
        with pytest.raises(PageError, match=f"registry option {name}"):
            option_int(platform, name, 100)
    assert option_list(platform, "ids") == ("13001",) and option_list(platform, "many") == ("1", "2")


def test_an_already_encoded_key_is_not_encoded_again():
    assert quote_key("a+b/c==") == "a%2Bb%2Fc%3D%3D"
    assert quote_key("a%2Bb%2Fc%3D%3D") == "a%2Bb%2Fc%3D%3D"


def test_redact_masks_secret_parameters_and_literal_secrets():
    url = "https://apis.data.go.kr/x?serviceKey=a%2Bb%3D%3D&Page=2&api_key=k1&csrfKey=c1&mytoken=t"
    assert redact(url) == "https://apis.data.go.kr/x?serviceKey=***&Page=2&api_key=***&csrfKey=c1&mytoken=t"
    assert redact("key a+b== in a message; encoded a%2Bb%3D%3D", ["a+b=="]) == "key *** in a message; encoded ***"
    assert redact("no secret here", ["abc"]) == "no secret here"  # too short to mask safely


@pytest.fixture
def redacting_logs(monkeypatch):
    """Log redaction for this test only (it is process-wide once installed)."""
    factory = logging.getLogRecordFactory()
    monkeypatch.setattr(redacting, "_installed", False)
    monkeypatch.setattr(redacting, "_SECRETS", set())
    yield
    logging.setLogRecordFactory(factory)


def test_log_records_are_redacted_whatever_the_handler(caplog, redacting_logs):
    install_log_redaction(["s3cr3t-key"])
    with caplog.at_level(logging.INFO):
        logging.getLogger("scrapy.core.engine").info("Crawled (200) <GET %s>", "https://x.org/?api_key=s3cr3t-key")
        logging.getLogger("elsewhere").warning("key %s leaked", "s3cr3t-key")
        try:
            raise ValueError("bad s3cr3t-key")
        except ValueError:
            logging.getLogger("elsewhere").exception("failed")
    assert "s3cr3t-key" not in caplog.text
    assert "api_key=***" in caplog.text and "key *** leaked" in caplog.text and "bad ***" in caplog.text
