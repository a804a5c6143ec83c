"""The search index the app talks to, opened on first use (the app starts before `mooc index` has run)."""
from __future__ import annotations

import threading

from indexer.base import SearchIndex
from search_api.catalogue import Unavailable
from search_api.settings import Settings


def index_config(settings: Settings) -> dict:
    return {"backend": settings.index, "db": str(settings.db),
            "index_dir": str(settings.index_dir) if settings.index_dir else None,
            "elasticsearch_url": settings.elasticsearch_url, "opensearch_url": settings.opensearch_url,
            "index_name": settings.index_name}


class IndexHandle:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self.inline = settings.index == "embedded"

    def get(self) -> SearchIndex:
        index = self._index
        if index is not None:
            return index
        with self._lock:
            if self._index is None:
                import indexer
                try:
                    self._index = indexer.open_index(index_config(self.settings))
                except Exception as exc:  # noqa: BLE001 - any backend failure means "not reachable"
                    raise Unavailable(f"search index ({self.settings.index}) unavailable: {exc} "
                                      "(run `mooc index`)") from exc
            return self._index

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
