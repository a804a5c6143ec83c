"""Helpers shared by the JSON listing-API families (kmooc, icourse163, swayam, openlearning).

Each family module provides ``first_request(platform, env)`` and
``parse_page(text, request)`` for ``spiders.base.ListingApiSpider``.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urljoin

from harvester.registry import Platform
from harvester.sources.paging import Page, PageError, PageRequest

__all__ = ["Page", "PageError", "PageRequest", "api_key", "broken_record", "load_json", "local_time",
           "on_site", "option_int", "option_list", "quote_key", "split_names", "with_query"]


def load_json(text: str, *, strip_prefix: str = "") -> Any:
    """The body's JSON; ``strip_prefix`` is an anti-XSSI guard such as ``)]}'`` to remove first."""
    body = text.lstrip("\ufeff \t\r\n")
    if strip_prefix and body.startswith(strip_prefix):
        body = body[len(strip_prefix):]
    try:
        return json.loads(body)
    except RecursionError:
        raise PageError("JSON nested too deeply to read") from None
    except ValueError as exc:
        start = " ".join(body[:60].split())
        raise PageError(f"not JSON ({exc}); body starts {start!r}") from None


def option_int(platform: Platform, name: str, default: int, *, low: int = 1, high: int = 1000) -> int:
    """A positive integer option of the registry entry (e.g. ``page_size``)."""
    value = platform.options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise PageError(f"registry option {name}: {value!r} is not a whole number")
    number = int(value)
    if not low <= number <= high:
        raise PageError(f"registry option {name}: {number} is not within {low}..{high}")
    return number


def option_list(platform: Platform, name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A list option of the registry entry (a single value counts as a list of one)."""
    value = platform.options.get(name, default)
    items = value if isinstance(value, (list, tuple)) else [value]
    return tuple(str(v).strip() for v in items if v is not None and str(v).strip())


def api_key(env: Mapping[str, str], variable: str, platform: Platform) -> str:
    key = (env.get(variable) or "").strip()
    if not key:
        raise PageError(f"{platform.id} needs an API key: set {variable} in the environment")
    return key


def quote_key(key: str) -> str:
    """A key for a query string. Portals (data.go.kr) hand out an already %-encoded form
    next to the plain one: that one is used as given, never encoded twice."""
    if re.search(r"%[0-9A-Fa-f]{2}", key):
        return key
    return quote(key, safe="")


def with_query(url: str, name: str, encoded_value: str) -> str:
    """``url`` with one more query parameter (its value already %-encoded)."""
    return f"{url}{'&' if '?' in url else '?'}{name}={encoded_value}"


_NAIVE_TIMES = (
    re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?"),  # 2024-03-04 09:00:00
    re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?()"),  # 20240304090000
)


def local_time(value: Any, offset: str) -> Any:
    """A date-time given without zone, in the platform's local time → ISO 8601 with ``offset``.

    "2024-03-04 09:00:00", "2024-03-04T09:00", "20240304090000" become
    "2024-03-04T09:00:00+09:00"; dates without a time, values that already carry
    a zone and anything else are returned as given (the normalizer reads them).
    """
    if not isinstance(value, str):
        return value
    for pattern in _NAIVE_TIMES:
        if match := pattern.fullmatch(value.strip()):
            year, month, day, hour, minute, second, fraction = match.groups()
            return f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{fraction or ''}{offset}"
    return value


_NAME_SEPARATORS = re.compile(r"\s*(?:[,;/、，；|]|\s&\s)\s*")


def split_names(value: Any) -> list[str]:
    """Person names given as one string ("홍길동, 김철수") or a list."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if isinstance(v, (str, int)) and str(v).strip()]
    if isinstance(value, str):  # entities decoded first: "Kim &amp; Lee" must not split at ";"
        return [name for name in _NAME_SEPARATORS.split(html.unescape(value).strip()) if name]
    return []


def broken_record(value: Any = None) -> dict[str, Any]:
    """The draft for a list entry ``value`` that is not a record (null, a string …): the pipeline
    rejects it as a listing without id, title and url, and counts it."""
    return {"source_id": None, "title": None, "url": None}


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def on_site(value: Any, site: str) -> Any:
    """A relative link resolved against the platform's web site, not the API host that served it."""
    if isinstance(value, str) and value.strip() and not _SCHEME.match(value.strip()):
        return urljoin(site.rstrip("/") + "/", value.strip())
    return value
