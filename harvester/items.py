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
