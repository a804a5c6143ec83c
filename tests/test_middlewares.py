from datetime import UTC, datetime

import pytest

from harvester.middlewares import backoff_seconds, retry_after_seconds

NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("header, expected", [
    (b"120", 120.0),
    ("7", 7.0),
    (b"Mon, 30 Nov 2026 12:01:00 GMT", 60.0),
    (b"Mon, 30 Nov 2026 11:00:00 GMT", 0.0),   # in the past: retry now
    (b"soon", None),
    (b"", None),
    (None, None),
])
def test_retry_after(header, expected):
    assert retry_after_seconds(header, now=NOW) == expected


def test_backoff_doubles_and_is_capped():
    assert [backoff_seconds(n, 2.0, 20.0) for n in range(5)] == [2.0, 4.0, 8.0, 16.0, 20.0]
