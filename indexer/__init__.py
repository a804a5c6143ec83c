"""The search index: ``open_index`` picks the backend from configuration.

    MOOC_INDEX        embedded (default) | opensearch | elasticsearch
    MOOC_INDEX_DIR    embedded: the index directory (default: ``index/`` next to the store, var/index)
    OPENSEARCH_URL    opensearch: the cluster (opensearch-py client; also the osmem test server)
    ELASTICSEARCH_URL elasticsearch: the cluster (elasticsearch client)
    MOOC_INDEX_NAME   opensearch/elasticsearch: the alias (default mooc-courses)
    MOOC_INDEX_REPLICAS opensearch/elasticsearch: replicas of a new index (default 0)
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from indexer.base import FACETS, Hit, IndexStats, QueryError, RebuildRefused, SearchIndex, SearchQuery, SearchResult

__all__ = ["open_index", "default_index_dir", "FACETS", "Hit", "IndexStats", "QueryError", "RebuildRefused",
           "SearchIndex", "SearchQuery", "SearchResult", "BACKENDS"]

BACKENDS = ("embedded", "opensearch", "elasticsearch")


def default_index_dir(db: str | os.PathLike | None = None) -> Path:
    """MOOC_INDEX_DIR, else ``index/`` next to the store (MOOC_DB, default var/catalogue.db)."""
    if os.environ.get("MOOC_INDEX_DIR"):
        return Path(os.environ["MOOC_INDEX_DIR"])
    from harvester.store import db_path
    return db_path(db).parent / "index"


def open_index(config: Mapping[str, Any] | str | None = None, *, backend: str | None = None,
               path: str | os.PathLike | None = None, url: str | None = None, db: str | os.PathLike | None = None,
               name: str | None = None) -> SearchIndex:
    """The configured index. ``config`` is a backend name or a mapping with any of: backend, index_dir
    (or path), db, elasticsearch_url, opensearch_url, url, index_name; keyword arguments win, then the
    mapping, then the environment."""
    if isinstance(config, str):
        backend = backend or config
        config = {}
    config = dict(config or {})
    backend = (backend or config.get("backend") or os.environ.get("MOOC_INDEX") or "embedded").strip().lower()
    if backend == "embedded":
        from indexer.embedded import EmbeddedIndex
        folder = path or config.get("index_dir") or config.get("path")
        return EmbeddedIndex(Path(folder) if folder else default_index_dir(db or config.get("db")))
    if backend in ("opensearch", "elasticsearch"):
        from indexer.elastic import DEFAULT_NAME, ElasticIndex
        env_url = "OPENSEARCH_URL" if backend == "opensearch" else "ELASTICSEARCH_URL"
        address = url or config.get("url") or config.get(f"{backend}_url") or os.environ.get(env_url)
        if not address:
            raise ValueError(f"MOOC_INDEX={backend} needs {env_url}")
        alias = name or config.get("index_name") or os.environ.get("MOOC_INDEX_NAME") or DEFAULT_NAME
        replicas = int(config.get("replicas") or os.environ.get("MOOC_INDEX_REPLICAS") or 0)
        return ElasticIndex(address, client=backend, name=alias, replicas=replicas)
    raise ValueError(f"MOOC_INDEX={backend!r}: expected one of {', '.join(BACKENDS)}")
