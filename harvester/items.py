"""What spiders yield: one listing as the platform gave it, and where it came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Listing:
    platform: str
    source_url: str
    draft: dict[str, Any]
    record: dict[str, Any] | None = field(default=None)


@dataclass
class Checkpoint:
    """Yielded by a spider after a listing page's listings: once stored, a crawl killed later
    resumes from ``next_page`` (a JSON-able description of the next page request; None at the end)."""
    next_page: dict[str, Any] | None
    carry: list[Any] | None = None  # gathered data the spider needs again if it resumes (see Store.carry)
