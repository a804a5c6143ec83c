"""The figures the API and the pages read: counts per platform, latest runs, coverage combinations.

All of them read under ``reading()``: a damaged file gives one StoreError line, never a traceback.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

from harvester.store.runs import CrawlRun, RunMethods


class CoverageQueries(RunMethods):
    def version(self) -> tuple:
        """Changes whenever a course or a crawl run changes (a cache key for the figures below)."""
        with self.reading():
            courses = tuple(self.db.execute("SELECT MAX(changed_at), COUNT(*) FROM courses").fetchone())
            runs = tuple(self.db.execute(
                "SELECT MAX(id), MAX(finished_at), COUNT(finished_at) FROM crawl_runs").fetchone())
        return courses + runs

    def active_counts(self) -> dict[str, int]:
        """Active courses per platform."""
        with self.reading():
            return dict(self.db.execute(
                "SELECT platform, COUNT(*) FROM courses WHERE status = 'active' GROUP BY platform").fetchall())

    def latest_runs(self) -> dict[str, CrawlRun]:
        """Each platform's latest run, whatever its status."""
        with self.reading():
            return {r.platform: r for r in map(CrawlRun.from_row, self.db.execute(
                "SELECT * FROM crawl_runs WHERE id IN (SELECT MAX(id) FROM crawl_runs GROUP BY platform)"))}

    def latest_finished_status(self) -> dict[str, str]:
        """Each platform's latest finished run's status (complete, incomplete, failed, held)."""
        with self.reading():
            return dict(self.db.execute(
                "SELECT platform, status FROM crawl_runs WHERE id IN (SELECT MAX(id) FROM crawl_runs "
                "WHERE status != 'running' GROUP BY platform)").fetchall())

    def last_complete(self) -> dict[str, str]:
        """When each platform's last complete run finished."""
        with self.reading():
            return dict(self.db.execute(
                "SELECT platform, MAX(finished_at) FROM crawl_runs WHERE status = 'complete' GROUP BY platform"
            ).fetchall())

    def coverage_combinations(self) -> Counter[tuple[Any, tuple[str, ...], tuple[str, ...]]]:
        """Active courses counted by (country, languages, ISCED fields).

        One JSON extraction per course (SQLite parses the record once), counted in Python: ~1 s for
        200,000 courses where json_each and GROUP BY take several."""
        with self.reading():
            combos = Counter(row[0] for row in self.db.execute(
                "SELECT json_extract(record, '$.country', '$.languages', '$.isced_fields') FROM courses "
                "WHERE status = 'active'"))
        out: Counter[tuple[Any, tuple[str, ...], tuple[str, ...]]] = Counter()
        for combo, count in combos.items():
            country, languages, isced = json.loads(combo)
            out[(country, tuple(languages or ()), tuple(isced or ()))] += count
        return out
