"""Figures from the store and the registry: platforms with their crawls, coverage per ASEM country.

Shared by the API and the pages (dashboard). Presentation only: every read of
the store is a ``Store`` method (``harvester.store.coverage``). The store is
opened once per thread (``sqlite3`` connections are not shared between
threads), read-only in intent (never created here); coverage is cached until
the store or the registry changes. A missing or damaged store is ``Unavailable``
(503 with its message), never a 500.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from harvester.families import crawlable_families
from harvester.registry import Registry, RegistryError, asem_countries, load_registry, registry_path
from harvester.store import CrawlRun, Store, StoreError

T = TypeVar("T")


class Unavailable(RuntimeError):
    """The store (or the index) cannot be reached; the message says why."""


class Catalogue:
    def __init__(self, db: Path, registry: Path | None = None, cache_ttl: float = 30.0):
        self.db = Path(db)
        self.registry_file = registry_path(registry)
        self.cache_ttl = cache_ttl
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[Any, float, Any]] = {}

    # store and registry --------------------------------------------------
    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            try:
                store = self._local.store = Store(self.db, create=False)
            except StoreError as exc:
                raise Unavailable(str(exc)) from exc
        return store

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The thread's store; its failures (a damaged file, a lock held too long) are Unavailable."""
        try:
            yield self.store()
        except StoreError as exc:
            raise Unavailable(str(exc)) from exc

    def read(self, query: Callable[[Store], T]) -> T:
        with self.reading() as store:
            return query(store)

    def _registry_mtime(self) -> int:
        try:
            return self.registry_file.stat().st_mtime_ns
        except OSError as exc:
            raise Unavailable(f"cannot read registry {self.registry_file}: {exc}") from exc

    def registry(self) -> Registry:
        try:
            return self._cached("registry", self._registry_mtime(), lambda: load_registry(self.registry_file))
        except RegistryError as exc:
            raise Unavailable(str(exc)) from exc

    def spider_families(self) -> set[str]:
        return crawlable_families()

    def course(self, course_id: str) -> dict[str, Any] | None:
        return self.read(lambda store: store.course(course_id))

    def count(self) -> int:
        return self.read(lambda store: store.count())

    def runs(self, platform: str, limit: int = 50) -> list[CrawlRun]:
        return self.read(lambda store: store.runs(platform, limit))

    def run_errors(self, run_id: int) -> list[dict[str, Any]]:
        return self.read(lambda store: store.run_errors(run_id))

    def _cached(self, name: str, key: Any, compute):
        with self._lock:
            hit = self._cache.get(name)
            if hit and hit[0] == key and time.monotonic() - hit[1] < self.cache_ttl:
                return hit[2]
        value = compute()
        with self._lock:
            self._cache[name] = (key, time.monotonic(), value)
        return value

    def _version(self) -> tuple:
        """Changes whenever a course, a crawl run or the registry changes."""
        return self.read(lambda store: store.version()) + (self._registry_mtime(),)

    # figures ---------------------------------------------------------------
    def platforms(self) -> list[dict[str, Any]]:
        return self._cached("platforms", self._version(), self._platforms)

    def coverage(self) -> dict[str, Any]:
        return self._cached("coverage", self._version(), self._coverage)

    def _platforms(self) -> list[dict[str, Any]]:
        with self.reading() as store:
            counts = store.active_counts()
            last = store.latest_runs()
            last_finished = store.latest_finished_status()
            last_complete = store.last_complete()
        spiders = self.spider_families()
        out = []
        for p in self.registry().platforms:
            run = last.get(p.id)
            if p.family not in spiders:
                status = "no_spider"
            else:
                status = {"complete": "harvested", "incomplete": "incomplete", "failed": "failing"}.get(
                    last_finished.get(p.id, ""), "not_crawled")
            out.append({
                "id": p.id, "name": p.name, "country": p.country, "family": p.family, "url": p.url,
                "languages": list(p.languages), "enabled": p.enabled, "spider": p.family in spiders,
                "status": status, "courses": counts.get(p.id, 0),
                "last_crawl": None if run is None else {
                    "id": run.id, "status": run.status, "started_at": run.started_at,
                    "finished_at": run.finished_at, "counts": run.counts},
                "last_successful_crawl": last_complete.get(p.id),
            })
        return out

    def _coverage(self) -> dict[str, Any]:
        combos = self.read(lambda store: store.coverage_combinations())
        courses: dict[str, int] = defaultdict(int)
        per_country: dict[str, dict[str, dict[str, int]]] = {"languages": defaultdict(lambda: defaultdict(int)),
                                                             "isced_fields": defaultdict(lambda: defaultdict(int))}
        for (country, languages, isced), count in combos.items():
            courses[country] += count
            for value in set(languages):
                per_country["languages"][country][value] += count
            for value in set(isced):
                per_country["isced_fields"][country][value] += count
        platforms = self.platforms()
        registry = self.registry()
        by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in platforms:
            by_country[p["country"]].append(p)

        countries: list[dict[str, Any]] = []
        for country in asem_countries():
            entries = by_country.get(country.code, [])
            crawls = [p["last_successful_crawl"] for p in entries if p["last_successful_crawl"]]
            countries.append({
                "code": country.code, "name": country.name, "group": country.group,
                "note": registry.country_notes.get(country.code) or None,
                "platforms": [{k: p[k] for k in ("id", "name", "family", "status", "courses",
                                                 "last_successful_crawl")} for p in entries],
                "courses": courses.get(country.code, 0),
                "languages": _ranked(per_country["languages"].get(country.code, {})),
                "isced_fields": _ranked(per_country["isced_fields"].get(country.code, {})),
                "last_successful_crawl": max(crawls, default=None),
            })

        def total(name: str) -> list[dict[str, Any]]:
            summed: dict[str, int] = defaultdict(int)
            for row in countries:
                for item in row[name]:
                    summed[item["value"]] += item["count"]
            return _ranked(summed)

        asem = {c["code"] for c in countries}
        asem_platforms = [p for p in platforms if p["country"] in asem]
        return {
            "totals": {
                "countries": len(countries),
                "countries_with_platforms": sum(1 for c in countries if c["platforms"]),
                "countries_with_courses": sum(1 for c in countries if c["courses"]),
                "platforms": len(asem_platforms),
                "platforms_harvested": sum(1 for p in asem_platforms if p["last_successful_crawl"]),
                "courses": sum(c["courses"] for c in countries),
                "languages": total("languages"),
                "isced_fields": total("isced_fields"),
                "last_successful_crawl": max((c["last_successful_crawl"] for c in countries
                                              if c["last_successful_crawl"]), default=None),
            },
            "countries": countries,
        }


def _ranked(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [{"value": v, "count": n} for v, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
