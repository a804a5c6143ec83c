"""Bring an index up to date with the store.

``sync_index``: only what changed — courses whose content hash differs from the indexed one are
(re)indexed; courses gone from the store (status ``gone``, or no longer in it) are deleted.
``rebuild``: every active course into a new index, swapped in unless the document count changed by
more than ``max_change`` (``indexer.base.RebuildRefused``).
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from harvester.store import Store
from indexer.base import SearchIndex
from indexer.embedded import StaleIndex


def _changed(store: Store, indexed: dict[str, str], seen: set[str], counts: dict[str, int]) -> Iterator[dict[str, Any]]:
    for course in store.courses(status="active"):
        seen.add(course["id"])
        if indexed.get(course["id"]) == course.get("content_hash"):
            counts["unchanged"] += 1
            continue
        counts["new" if course["id"] not in indexed else "updated"] += 1
        yield course


def sync_index(store: Store, index: SearchIndex) -> dict[str, int]:
    """Index the active courses whose content hash changed, delete the others; returns the counts."""
    indexed = index.indexed_hashes()
    seen: set[str] = set()
    counts = {"new": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    index.upsert(_changed(store, indexed, seen, counts))
    gone = [course_id for course_id in indexed if course_id not in seen]
    counts["deleted"] = index.delete(gone) if gone else 0
    counts["documents"] = index.stats().documents
    return counts


def rebuild_index(store: Store, index: SearchIndex, max_change: float) -> dict[str, int]:
    """Every active course into a new index, swapped in atomically (RebuildRefused when the count
    changed by more than ``max_change``)."""
    before = index.stats().documents
    stats = index.rebuild(store.courses(status="active"), max_change)
    return {"before": before, "documents": stats.documents}


def run_index(db_path: str | os.PathLike, rebuild: bool, max_change: float) -> dict[str, Any]:
    """``mooc index [--rebuild]``: the configured index (MOOC_INDEX …, see ``indexer``) brought up to date
    with the store at ``db_path``; figures to print. Raises RebuildRefused when a rebuild is refused."""
    from indexer import open_index

    started = time.perf_counter()
    with Store(db_path) as store:
        index = open_index(db=db_path)
        try:
            figures: dict[str, Any] = {"backend": (os.environ.get("MOOC_INDEX") or "embedded").lower()}
            if rebuild:
                figures.update(rebuild_index(store, index, max_change))
            else:
                try:
                    figures.update(sync_index(store, index))
                except StaleIndex as exc:   # built by an older indexer: nothing to update, build anew
                    figures["rebuilt"] = str(exc)
                    figures.update(rebuild_index(store, index, max_change=float("inf")))
            stats = index.stats()
            if stats.size_bytes is not None:
                figures["size_bytes"] = stats.size_bytes
        finally:
            index.close()
    figures["seconds"] = round(time.perf_counter() - started, 2)
    return figures


rebuild = rebuild_index
