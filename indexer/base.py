"""The search index interface both backends implement (embedded Tantivy, Elasticsearch/OpenSearch).

Courses are indexed, not runs. The search API and the pages talk only to this
interface; ``indexer.open_index(config)`` picks the backend from configuration.
Availability and the date filter are defined in ``indexer.common`` (one definition, two engines).
``search`` raises ``QueryError`` (a ValueError naming the parameter) for a cursor or date it cannot use;
``rebuild`` raises ``RebuildRefused`` when the document count changed by more than ``max_change``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

# Filters that take one or more values, OR-ed within a filter, AND-ed across filters.
# Facet counts are computed for each of these, ignoring the facet's own filter.
FACETS = ("country", "language", "platform", "isced", "level", "free", "certificate", "pacing", "availability")

Sort = Literal["relevance", "start_date", "newest"]
Availability = Literal["open", "upcoming", "self_paced", "archived"]


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet name → accepted values
    starts_after: str | None = None   # ISO date or datetime, inclusive; applies to one and the same run
    starts_before: str | None = None  # with starts_after (inclusive: a bare date counts as the whole day)
    sort: Sort = "relevance"
    page: int = 1
    size: int = 20
    cursor: str | None = None         # opaque; when given, page is ignored
    highlight: bool = True
    now: str | None = None            # ISO datetime used for availability; default: current time


@dataclass
class Hit:
    course: dict[str, Any]            # the stored record, SCHEMA.md field names
    score: float | None = None
    highlights: dict[str, list[str]] = field(default_factory=dict)  # field → fragments, matches in <mark>


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]   # facet → [(value, count)], count descending
    next_cursor: str | None = None


class QueryError(ValueError):
    """A query value the index cannot use (a foreign or damaged cursor, an unparseable date);
    ``parameter`` names the SearchQuery field. The API answers it with a 4xx naming the parameter."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class RebuildRefused(RuntimeError):
    """``rebuild`` built a new index but did not swap it in: its document count differs from the
    live index's by more than ``max_change`` (a fraction). The live index is left as it was."""

    def __init__(self, old: int, new: int, max_change: float):
        super().__init__(f"rebuild refused: {new} documents instead of {old} "
                         f"(change {abs(new - old) / max(old, 1):.1%} > {max_change:.1%})")
        self.old, self.new, self.max_change = old, new, max_change


@dataclass(frozen=True)
class IndexStats:
    documents: int
    size_bytes: int | None = None


class SearchIndex(Protocol):
    def upsert(self, courses: Iterable[dict[str, Any]]) -> int: ...
    def delete(self, course_ids: Iterable[str]) -> int: ...
    def search(self, query: SearchQuery) -> SearchResult: ...
    def suggest(self, prefix: str, size: int = 10) -> list[dict[str, str]]: ...  # [{id, title}]
    def get(self, course_id: str) -> dict[str, Any] | None: ...
    def indexed_hashes(self) -> dict[str, str]: ...  # course id → content_hash, for incremental sync
    def stats(self) -> IndexStats: ...
    def rebuild(self, courses: Iterable[dict[str, Any]], max_change: float) -> IndexStats: ...
    def close(self) -> None: ...
