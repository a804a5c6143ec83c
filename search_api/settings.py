"""Configuration of the search API, from the environment (or given explicitly by tests and the CLI)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from harvester.store import db_path
from search_api.ratelimit import DEFAULT_LIMIT, parse_limit, parse_networks

BACKENDS = ("embedded", "elasticsearch", "opensearch")


@dataclass(frozen=True)
class Settings:
    db: Path                                # MOOC_DB: the SQLite catalogue store
    registry: Path | None = None            # MOOC_REGISTRY: platform registry (None: config/platforms.yaml)
    index: str = "embedded"                 # MOOC_INDEX: embedded | elasticsearch | opensearch
    index_dir: Path | None = None           # MOOC_INDEX_DIR: embedded index directory (None: next to the store)
    elasticsearch_url: str | None = None    # ELASTICSEARCH_URL
    opensearch_url: str | None = None       # OPENSEARCH_URL
    index_name: str | None = None           # MOOC_INDEX_NAME: Elasticsearch/OpenSearch alias (None: mooc-courses)
    coverage_ttl: float = 30.0              # seconds the coverage figures are cached (also invalidated by crawls)
    rate_limit: str | None = DEFAULT_LIMIT  # MOOC_RATE_LIMIT: per client, e.g. "120/minute"; None ("0"): off
    trusted_proxies: tuple[str, ...] = ()   # MOOC_TRUSTED_PROXIES: whose X-Forwarded-For names the client

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        env = os.environ if env is None else env
        backend = (env.get("MOOC_INDEX") or "embedded").strip().lower()
        db, registry = overrides.pop("db", None), overrides.pop("registry", None)
        registry = registry or env.get("MOOC_REGISTRY")
        settings = cls(
            db=db_path(db or env.get("MOOC_DB")),
            registry=Path(registry) if registry else None,
            index=backend,
            index_dir=Path(env["MOOC_INDEX_DIR"]) if env.get("MOOC_INDEX_DIR") else None,
            elasticsearch_url=env.get("ELASTICSEARCH_URL") or None,
            opensearch_url=env.get("OPENSEARCH_URL") or None,
            index_name=env.get("MOOC_INDEX_NAME") or None,
            rate_limit=parse_limit(env.get("MOOC_RATE_LIMIT") or DEFAULT_LIMIT),
            trusted_proxies=parse_networks(env.get("MOOC_TRUSTED_PROXIES")),
        )
        settings = replace(settings, **{k: (Path(v) if k == "index_dir" else v)
                                        for k, v in overrides.items() if v is not None})
        if settings.index not in BACKENDS:
            raise ValueError(f"MOOC_INDEX={settings.index!r}: expected one of {', '.join(BACKENDS)}")
        return settings
