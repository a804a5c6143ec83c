"""The catalogue store: every course with its history, every crawl run with its counts.

SQLite in WAL mode. A course row holds the normalized record (strict JSON) and
the store-kept fields (first/last seen, status, content hash); ``course_events``
keeps its history (new, updated, gone, returned). A course is marked gone only
by ``finish_run(..., complete=True)``: an interrupted or failed crawl never
marks anything gone.

By job: ``migrations`` (the schema as numbered steps, ``PRAGMA user_version``),
``connection`` (opening, transactions, failures), ``courses``, ``runs``,
``coverage`` (the figures the API and pages read), ``strict`` (no NaN/Infinity).
"""
from __future__ import annotations

from harvester.store.connection import DEFAULT_DB, StoreError, StoreFile, db_path, is_damage, utc_now
from harvester.store.courses import CourseMethods
from harvester.store.coverage import CoverageQueries
from harvester.store.runs import COUNTERS, NOT_ERRORS, CrawlRun, RunMethods
from harvester.store.strict import RecordRefused

__all__ = ["COUNTERS", "DEFAULT_DB", "NOT_ERRORS", "CrawlRun", "RecordRefused", "Store", "StoreError",
           "db_path", "is_damage", "utc_now"]


class Store(CourseMethods, CoverageQueries, RunMethods, StoreFile):
    """One SQLite catalogue file. Not shared between threads."""
