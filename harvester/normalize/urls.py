"""Links as sources give them (relative, protocol-relative, non-ASCII) → absolute http(s) URLs."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from w3lib.url import safe_url_string

from harvester.normalize._common import text_input
from harvester.normalize.errors import Unparseable

_MAX_LEN = 10_000
_WEB = ("http", "https")
# Browsers drop these anywhere in a URL (WHATWG), so "java\tscript:" is javascript:.
_INVISIBLE_RE = re.compile(r"[\t\n\r]")


def _split(url: str, raw: Any):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise Unparseable(raw, "malformed URL") from None
    return parts


def absolute_url(value: Any, base: str | None = None) -> str | None:
    """An http(s) URL, joined to ``base`` when relative; "//host/x" becomes https.

    Non-ASCII paths are percent-encoded and hosts IDNA-encoded, as a browser would.
    Any other scheme (javascript:, data:, mailto:, ftp:) is Unparseable, and so is a
    relative URL without a usable base or one that starts "www." (which is no path).
    """
    text = text_input(value, _MAX_LEN)
    if text is None:
        return None
    text = _INVISIBLE_RE.sub("", text)
    parts = _split(text, value)
    if parts.scheme:
        if parts.scheme not in _WEB:
            raise Unparseable(value, f"not a web URL ({parts.scheme[:20]}:)")
        url = text
    elif text.startswith("//"):
        url = "https:" + text
    elif text.lower().startswith("www."):
        raise Unparseable(value, "a host without a scheme")
    else:
        base_text = _INVISIBLE_RE.sub("", base.strip()) if isinstance(base, str) else ""
        base_parts = _split(base_text, value) if base_text else None
        if base_parts is None or base_parts.scheme not in _WEB or not base_parts.hostname:
            raise Unparseable(value, "relative URL without an http(s) base")
        url = urljoin(base_text, text)
    final = _split(url, value)
    if final.scheme not in _WEB or not final.hostname:
        raise Unparseable(value, "no host")
    try:
        return safe_url_string(url)
    except (ValueError, UnicodeError):
        raise Unparseable(value, "host cannot be encoded") from None
