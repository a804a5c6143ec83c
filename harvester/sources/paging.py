"""What a source module says about paging, with no Scrapy in it: the request for a listing page,
what one page yields, and the error for a page of the wrong shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PageRequest:
    """A listing page to fetch, as a source module describes it (no Scrapy in sources)."""
    url: str
    method: str = "GET"
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)  # e.g. page number, cursor


@dataclass
class Page:
    """What a source module's ``parse_page`` finds on one page."""
    drafts: list[dict[str, Any]]
    next: PageRequest | None = None
    skipped: dict[str, int] = field(default_factory=dict)  # listed but left out on purpose, by reason


class PageError(ValueError):
    """A response that is not a listing page of the expected shape."""
