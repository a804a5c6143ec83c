"""Federica Web Learning's course feed: RSS 2.0 (read by feeds.py) plus its ``feu:`` elements.

``feu:unique_id`` is the course key, ``feu:start_date``/``feu:end_date`` its one run,
``feu:author`` the instructors, ``feu:cover`` the image and ``feu:language`` the language;
dates with a time but no zone are Italian local time.
The ``feu`` namespace is found by its prefix, whatever URI the feed binds it to; a feed
that uses the prefix without declaring it (older scrapers worked around that by
rewriting ``feu:`` to ``feu-``) gets a declaration so that it still parses.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from harvester.sources import feeds
from harvester.sources.feeds import first_request  # noqa: F401  (same first page as any feed)
from harvester.sources.listing_api import split_names
from harvester.sources.paging import Page, PageRequest

PREFIX = "feu"
FALLBACK_URI = "urn:mooc-harvester:federica-feu"
_ROOT_TAG = re.compile(r"<(?:rss|rdf:RDF|feed)\b", re.IGNORECASE)
_NAIVE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")
TIMEZONE = "Europe/Rome"


def rome_time(value: str | None) -> str | None:
    """A date-time without zone is Italian local time: give it its offset (CET or CEST that day)."""
    match = _NAIVE_TIME.fullmatch(value.strip()) if value else None
    if not match:
        return value
    try:
        zone = ZoneInfo(TIMEZONE)
        year, month, day, hour, minute, second = (int(p or 0) for p in match.groups())
        return datetime(year, month, day, hour, minute, second, tzinfo=zone).isoformat()
    except (ValueError, ZoneInfoNotFoundError):  # e.g. month 13: the normalizer reports it
        return value


def declare_prefix(text: str) -> str:
    """Bind ``feu:`` on the root element if the feed uses it without declaring it."""
    if f"{PREFIX}:" not in text or f"xmlns:{PREFIX}" in text:
        return text
    root = _ROOT_TAG.search(text)
    if root is None:
        return text
    return f'{text[:root.end()]} xmlns:{PREFIX}="{FALLBACK_URI}"{text[root.end():]}'


def draft(item: Any, feed: feeds.Feed) -> dict[str, Any]:
    base = feeds.entry_draft(item, feed)
    uri = feed.namespaces.get(PREFIX)
    if not uri:
        return base
    values: dict[str, list[str]] = {}
    for element in item:
        element_uri, local = feeds.split_tag(element.tag)
        text = feeds.text_of(element)
        if element_uri == uri and text:
            values.setdefault(local, []).append(text)

    def first(local: str) -> str | None:
        return values.get(local, [None])[0]

    start, end = rome_time(first("start_date")), rome_time(first("end_date"))
    base.update({
        "source_id": first("unique_id") or base["source_id"],
        "languages": values.get("language") or base["languages"],
        "instructors": [name for value in values.get("author", []) for name in split_names(value)],
        "image_url": first("cover") or base["image_url"],
        "runs": [{"start": start, "end": end}] if start or end else [],
    })
    return base


def parse_page(text: str, request: PageRequest) -> Page:
    feed = feeds.parse_feed(declare_prefix(text))
    return Page([draft(item, feed) for item in feed.entries], feeds.next_request(feed, request))
