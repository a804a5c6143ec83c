"""How to reach the search index: built once by the composition root (``mooc.config``), passed down.

Nothing in ``indexer`` reads the environment; ``indexer.open_index(IndexConfig)`` opens the backend named here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Backend = Literal["embedded", "elasticsearch", "opensearch"]
BACKENDS: tuple[Backend, ...] = ("embedded", "elasticsearch", "opensearch")
DEFAULT_ALIAS = "mooc-courses"


@dataclass(frozen=True)
class IndexConfig:
    backend: Backend = "embedded"
    path: Path | None = None       # embedded: the index folder (the root defaults it to index/ next to the store)
    url: str | None = None         # elasticsearch/opensearch: the cluster
    name: str = DEFAULT_ALIAS      # elasticsearch/opensearch: the alias
    replicas: int = 0              # elasticsearch/opensearch: replicas of a new index
