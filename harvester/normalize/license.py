"""Licence statements → SPDX ids ("CC-BY-SA-4.0"), else the licence URL as given.

Decisions (SCHEMA.md: "SPDX id where one fits, else the URL given"):
- Only ids in the SPDX list are produced; a Creative Commons licence maps to one
  only when its version is known, from the text or from the URL. A version is
  never assumed: "CC-BY-SA" alone, with no URL, is Unparseable (kept raw).
- Ports keep their jurisdiction where SPDX has one (…/by/3.0/de/ → CC-BY-3.0-DE);
  a port SPDX lacks (…/by/3.0/es/) is not the unported licence: the URL is returned.
- Any other http(s) URL is returned as given (stripped).
- "All rights reserved", "Copyright", "Proprietary" and other words with no SPDX id
  and no URL are Unparseable: there is nothing in the schema to put them in.
- MOOChub gives objects {"id"|"identifier", "url"} (v2/v3) and lists of them;
  a list must come to one licence, else Unparseable.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from harvester.normalize._common import is_missing, text_input
from harvester.normalize.errors import Unparseable
from harvester.normalize.urls import absolute_url

_MAX_LEN = 2_000

# The SPDX License List's Creative Commons ids (with the jurisdiction ports it has).
_CC_IDS = frozenset("""
CC-BY-1.0 CC-BY-2.0 CC-BY-2.5 CC-BY-2.5-AU CC-BY-3.0 CC-BY-3.0-AT CC-BY-3.0-AU CC-BY-3.0-DE
CC-BY-3.0-IGO CC-BY-3.0-NL CC-BY-3.0-US CC-BY-4.0
CC-BY-NC-1.0 CC-BY-NC-2.0 CC-BY-NC-2.5 CC-BY-NC-3.0 CC-BY-NC-3.0-DE CC-BY-NC-4.0
CC-BY-NC-ND-1.0 CC-BY-NC-ND-2.0 CC-BY-NC-ND-2.5 CC-BY-NC-ND-3.0 CC-BY-NC-ND-3.0-DE
CC-BY-NC-ND-3.0-IGO CC-BY-NC-ND-4.0
CC-BY-NC-SA-1.0 CC-BY-NC-SA-2.0 CC-BY-NC-SA-2.0-DE CC-BY-NC-SA-2.0-FR CC-BY-NC-SA-2.0-UK
CC-BY-NC-SA-2.5 CC-BY-NC-SA-3.0 CC-BY-NC-SA-3.0-DE CC-BY-NC-SA-3.0-IGO CC-BY-NC-SA-4.0
CC-BY-ND-1.0 CC-BY-ND-2.0 CC-BY-ND-2.5 CC-BY-ND-3.0 CC-BY-ND-3.0-DE CC-BY-ND-4.0
CC-BY-SA-1.0 CC-BY-SA-2.0 CC-BY-SA-2.0-UK CC-BY-SA-2.1-JP CC-BY-SA-2.5 CC-BY-SA-3.0
CC-BY-SA-3.0-AT CC-BY-SA-3.0-DE CC-BY-SA-3.0-IGO CC-BY-SA-4.0
CC0-1.0 CC-PDDC
""".split())
# A few non-CC ids that course material uses, so that an SPDX id given as such is kept.
_OTHER_IDS = frozenset("""
MIT Apache-2.0 GFDL-1.3-or-later GFDL-1.3-only GFDL-1.2-or-later GPL-2.0-or-later GPL-3.0-or-later
GPL-3.0-only LGPL-3.0-or-later BSD-2-Clause BSD-3-Clause MPL-2.0 ODbL-1.0 PDDL-1.0 Unlicense
""".split())
_BY_UPPER = {i.upper(): i for i in _CC_IDS | _OTHER_IDS}

# "CC BY-NC-SA 4.0", "cc-by-sa-4.0", "CC BY 3.0 DE", "Creative Commons BY-SA 4.0 International"
_CC_TEXT_RE = re.compile(
    r"(?:cc|creative\s*commons)[\s_-]*(?P<kinds>by(?:[\s_-]*(?:nc|sa|nd))*)"
    r"(?:[\s_-]*(?:v\.?\s*)?(?P<version>[1-4]\.[05]|2\.1)(?:[\s_-]*(?P<port>[a-z]{2,3}))?"
    r"(?:[\s_-]*(?:international|unported|generic|license|licence))*)?",
    re.IGNORECASE,
)
_CC0_RE = re.compile(r"cc[\s_-]*(?:0|zero)(?:[\s_-]*(?:v\.?\s*)?1\.0)?(?:[\s_-]*universal)?", re.IGNORECASE)
_CC_PATH_RE = re.compile(
    r"/licen[cs]es/(?P<kinds>by(?:-(?:nc|sa|nd))*)/(?P<version>[1-4]\.[05]|2\.1)(?:/(?P<port>[a-z]{2,3}))?"
    r"(?:/(?:legalcode|deed)?(?:\.[a-z-]+)?)?/?",
    re.IGNORECASE,
)
_CC0_PATH_RE = re.compile(r"/publicdomain/zero/1\.0(?:/(?:legalcode|deed)?(?:\.[a-z-]+)?)?/?", re.IGNORECASE)
_SPDX_PATH_RE = re.compile(r"/licenses/(?P<id>[A-Za-z0-9.+-]{1,60}?)(?:\.html|\.json)?/?", re.IGNORECASE)
_KIND_ORDER = ("nc", "sa", "nd")  # SPDX order: CC-BY-NC-SA, CC-BY-NC-ND


def _cc_id(kinds: str, version: str | None, port: str | None) -> str | None:
    if version is None:
        return None
    found = set(re.findall(r"nc|sa|nd", kinds.lower()))
    parts = ["CC-BY", *(k.upper() for k in _KIND_ORDER if k in found), version]
    if port:
        parts.append(port.upper())
    candidate = "-".join(parts)
    return candidate if candidate in _CC_IDS else None


def _from_url(url: str) -> str | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.endswith("creativecommons.org"):
        if m := _CC_PATH_RE.fullmatch(parts.path):
            return _cc_id(m["kinds"], m["version"], m["port"])
        if _CC0_PATH_RE.fullmatch(parts.path):
            return "CC0-1.0"
    if host.endswith("spdx.org") and (m := _SPDX_PATH_RE.fullmatch(parts.path)):
        return _BY_UPPER.get(m["id"].upper())
    return None


def _from_text(text: str) -> str | None:
    if text.upper() in _BY_UPPER:
        return _BY_UPPER[text.upper()]
    if _CC0_RE.fullmatch(text):
        return "CC0-1.0"
    if m := _CC_TEXT_RE.fullmatch(text):
        return _cc_id(m["kinds"], m["version"], m["port"])
    return None


def _one(value: Any) -> str | None:
    if isinstance(value, dict):
        return _from_object(value)
    text = text_input(value, _MAX_LEN)
    if text is None:
        return None
    if text.lower().startswith(("http://", "https://", "//")):
        url = absolute_url(text)
        return _from_url(url) or url
    spdx = _from_text(text)
    if spdx is None:
        raise Unparseable(value, "no SPDX id and no URL")
    return spdx


def _from_object(value: dict) -> str | None:
    """MOOChub licence object: its id if SPDX knows it, else what its URL says."""
    ident = value.get("identifier", value.get("id"))
    url = value.get("url") or value.get("contentUrl")
    if isinstance(ident, str) and not is_missing(ident) and (spdx := _from_text(ident.strip())):
        return spdx
    if not is_missing(url):
        return _one(url)
    if is_missing(ident):
        return None
    raise Unparseable(value, "no SPDX id and no URL")


def to_spdx(value: Any) -> str | None:
    """A licence (SPDX id, CC short form, CC/SPDX URL, MOOChub object or a list of them) → SPDX id or URL."""
    if isinstance(value, (list, tuple)):
        found = {r for r in (_one(v) for v in value) if r is not None}
        if len(found) > 1:
            raise Unparseable(value, "more than one licence")
        return found.pop() if found else None
    return _one(value)
