"""The store's schema as numbered steps, applied in order by ``PRAGMA user_version``.

A store records the number of the last step applied to it. Stores made before
this numbering have ``user_version`` 0 and tables of some earlier shape: every
step is written so that it also upgrades those in place (``IF NOT EXISTS``,
columns added only when missing). A new step is appended, never edited.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable

from harvester.normalize.finite import json_safe, move_non_finite

logger = logging.getLogger(__name__)

BASE_TABLES = """
CREATE TABLE IF NOT EXISTS store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS courses (
    id            TEXT PRIMARY KEY,
    platform      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'gone')),
    content_hash  TEXT NOT NULL,
    record        TEXT NOT NULL,
    harvested_at  TEXT NOT NULL,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    changed_at    TEXT NOT NULL,
    last_run_id   INTEGER
);
CREATE INDEX IF NOT EXISTS courses_by_platform ON courses (platform, status);
CREATE INDEX IF NOT EXISTS courses_by_changed ON courses (changed_at);
CREATE TABLE IF NOT EXISTS course_events (
    id         INTEGER PRIMARY KEY,
    course_id  TEXT NOT NULL,
    run_id     INTEGER,
    event      TEXT NOT NULL CHECK (event IN ('new', 'updated', 'gone', 'returned')),
    at         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS course_events_by_course ON course_events (course_id);
CREATE TABLE IF NOT EXISTS crawl_runs (
    id            INTEGER PRIMARY KEY,
    platform      TEXT NOT NULL,
    family        TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('running', 'complete', 'incomplete', 'failed', 'held')),
    finish_reason TEXT,
    fetched       INTEGER NOT NULL DEFAULT 0,
    new           INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    gone          INTEGER NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0,
    stats         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS crawl_runs_by_platform ON crawl_runs (platform, started_at);
CREATE TABLE IF NOT EXISTS crawl_errors (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES crawl_runs (id),
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    url      TEXT,
    message  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS crawl_errors_by_run ON crawl_errors (run_id);
"""

RESUME_TABLES = """
CREATE TABLE IF NOT EXISTS crawl_carry (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES crawl_runs (id),
    data     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS crawl_carry_by_run ON crawl_carry (run_id);
"""

# crawl_runs columns added after the first release: name → declaration
RUN_COLUMNS = {"seen": "INTEGER NOT NULL DEFAULT 0", "pid": "INTEGER", "host": "TEXT",
               "resumes": "INTEGER REFERENCES crawl_runs (id)", "checkpoint": "TEXT"}


def _script(db: sqlite3.Connection, script: str) -> None:
    """Statement by statement (``executescript`` would commit the migration's transaction)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _base_tables(db: sqlite3.Connection) -> None:
    _script(db, BASE_TABLES)


def _run_columns(db: sqlite3.Connection) -> None:
    present = {row[1] for row in db.execute("PRAGMA table_info(crawl_runs)")}
    for name, declaration in RUN_COLUMNS.items():
        if name not in present:  # names and declarations are the constants above, never input
            db.execute(f"ALTER TABLE crawl_runs ADD COLUMN {name} {declaration}")


def _resume_tables(db: sqlite3.Connection) -> None:
    _script(db, RESUME_TABLES)


def _repair_non_finite_records(db: sqlite3.Connection) -> None:
    """Stores written before the store refused non-strict JSON may hold NaN or Infinity in a record,
    which SQLite's JSON functions reject ("malformed JSON") for the whole coverage query. Each such
    number becomes null and its text goes to the record's ``unparsed``."""
    rows = db.execute("SELECT id, record FROM courses WHERE json_valid(record) = 0").fetchall()
    for course_id, text in rows:
        try:
            record = json.loads(text)
        except ValueError:
            logger.error("store: course %s has a record that is not JSON at all; left as is", course_id)
            continue
        if isinstance(record, dict):
            unparsed = record.get("unparsed")
            record["unparsed"] = unparsed if isinstance(unparsed, dict) else {}
            found = move_non_finite(record, record["unparsed"])
        else:  # not a record at all: kept as strict-JSON text
            record, found = json_safe(record), ["(record)"]
        db.execute("UPDATE courses SET record = ? WHERE id = ?",
                   (json.dumps(record, ensure_ascii=False, sort_keys=True, allow_nan=False), course_id))
        logger.warning("store: course %s: non-finite numbers replaced by null (%s)", course_id, ", ".join(found))


# the numbered steps: step N brings a store to user_version N
STEPS: list[Callable[[sqlite3.Connection], None]] = [
    _base_tables,
    _run_columns,
    _resume_tables,
    _repair_non_finite_records,
]
LATEST = len(STEPS)


def version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection) -> int:
    """Apply the steps a store lacks, in one write transaction (two processes opening an old store at
    once: the second waits, then finds it migrated). Returns the number of steps applied."""
    if version(db) >= LATEST:
        return 0
    db.execute("BEGIN IMMEDIATE")
    try:
        current = version(db)
        for step in STEPS[current:]:
            step(db)
        db.execute(f"PRAGMA user_version = {LATEST:d}")  # PRAGMA takes no bound parameters; an int
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return max(LATEST - current, 0)
