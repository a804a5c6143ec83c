"""The catalogue store: every course with its history, every crawl run with its counts.

SQLite in WAL mode. A course row holds the normalized record (JSON) and the
store-kept fields (first/last seen, status, content hash); ``course_events``
keeps its history (new, updated, gone, returned). A course is marked gone only
by ``finish_run(..., complete=True)``: an interrupted or failed crawl never
marks anything gone.
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harvester.schema import STORE_FIELDS

DEFAULT_DB = Path("var") / "catalogue.db"

SCHEMA_SQL = """
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
    seen          INTEGER NOT NULL DEFAULT 0,
    stats         TEXT NOT NULL DEFAULT '{}',
    pid           INTEGER,
    host          TEXT,
    resumes       INTEGER REFERENCES crawl_runs (id),
    checkpoint    TEXT
);
CREATE INDEX IF NOT EXISTS crawl_runs_by_platform ON crawl_runs (platform, started_at);

CREATE TABLE IF NOT EXISTS crawl_carry (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES crawl_runs (id),
    data     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS crawl_carry_by_run ON crawl_carry (run_id);

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

COUNTERS = ("fetched", "new", "updated", "unchanged", "rejected", "gone", "errors")
# crawl_errors kinds that are reported but are not errors of the crawl itself
NOT_ERRORS = ("unparsed", "held", "rejected")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def db_path(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("MOOC_DB") or DEFAULT_DB)


@dataclass(frozen=True)
class CrawlRun:
    id: int
    platform: str
    family: str
    started_at: str
    finished_at: str | None
    status: str
    finish_reason: str | None
    counts: dict[str, int]
    seen: int
    stats: dict[str, Any]

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> CrawlRun:
        return cls(
            id=row["id"], platform=row["platform"], family=row["family"],
            started_at=row["started_at"], finished_at=row["finished_at"], status=row["status"],
            finish_reason=row["finish_reason"], counts={c: row[c] for c in COUNTERS}, seen=row["seen"],
            stats=json.loads(row["stats"]),
        )


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _course_filter(platform: str | None, status: str | None) -> tuple[str, list[str]]:
    clauses, args = [], []
    if platform:
        clauses.append("platform = ?")
        args.append(platform)
    if status:
        clauses.append("status = ?")
        args.append(status)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), args


class StoreError(RuntimeError):
    """The store file cannot be opened or written (missing folder rights, disk full, corruption)."""


class Store:
    """One SQLite catalogue file. Not shared between threads."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = db_path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(SCHEMA_SQL)
            self._add_missing_columns()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"store {self.path}: {exc}") from exc

    def _add_missing_columns(self) -> None:
        """Stores made by an older version get the columns added since (CREATE TABLE IF NOT EXISTS
        leaves existing tables as they are)."""
        wanted = {
            "crawl_runs": {"seen": "INTEGER NOT NULL DEFAULT 0", "pid": "INTEGER", "host": "TEXT",
                           "resumes": "INTEGER", "checkpoint": "TEXT"},
        }
        for table, columns in wanted.items():
            present = {row["name"] for row in self.db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns.items():
                if name not in present:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def identity(self) -> str:
        """A random id given to this store file when it was created: an index remembers the store it
        was built from by this id and refuses another store without ``--rebuild``."""
        row = self.db.execute("SELECT value FROM store_meta WHERE key = 'identity'").fetchone()
        if row is None:
            self.db.execute("INSERT OR IGNORE INTO store_meta (key, value) VALUES ('identity', ?)",
                            (uuid.uuid4().hex,))
            row = self.db.execute("SELECT value FROM store_meta WHERE key = 'identity'").fetchone()
        return str(row["value"])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # crawl runs ------------------------------------------------------------
    def start_run(self, platform: str, family: str) -> int:
        """Open a run; a run of the platform left 'running' by a dead process is closed as
        interrupted first, and if it left a checkpoint the new run resumes it."""
        with self.transaction():
            for row in self.db.execute("SELECT id, pid, host FROM crawl_runs WHERE platform = ? "
                                       "AND status = 'running'", (platform,)).fetchall():
                if row["host"] == socket.gethostname() and _alive(row["pid"]):
                    continue
                self.db.execute("UPDATE crawl_runs SET status = 'incomplete', finish_reason = 'interrupted', "
                                "finished_at = ? WHERE id = ?", (utc_now(), row["id"]))
            latest = self.db.execute("SELECT id, status, finish_reason, checkpoint FROM crawl_runs "
                                     "WHERE platform = ? ORDER BY id DESC LIMIT 1", (platform,)).fetchone()
            resumes = (latest["id"] if latest and latest["finish_reason"] == "interrupted"
                       and latest["checkpoint"] else None)
            cursor = self.db.execute(
                "INSERT INTO crawl_runs (platform, family, started_at, status, pid, host, resumes, checkpoint) "
                "VALUES (?, ?, ?, 'running', ?, ?, ?, ?)",
                (platform, family, utc_now(), os.getpid(), socket.gethostname(), resumes,
                 latest["checkpoint"] if resumes else None))
        return int(cursor.lastrowid)

    def checkpoint(self, run_id: int, state: dict[str, Any] | None) -> None:
        """Where a resumed run starts: the next listing page, saved once the pages before it are stored."""
        self.db.execute("UPDATE crawl_runs SET checkpoint = ? WHERE id = ?",
                        (json.dumps(state) if state is not None else None, run_id))

    def carry(self, run_id: int, data: list[Any]) -> None:
        """What a spider gathered on a page but yields only at the end (Open edX runs of a course
        spread over pages), kept so that a resumed run need not fetch that page again."""
        self.db.execute("INSERT INTO crawl_carry (run_id, data) VALUES (?, ?)",
                        (run_id, json.dumps(data, ensure_ascii=False)))

    def carried(self, run_id: int) -> list[Any]:
        """What the interrupted runs this run resumes carried, oldest first."""
        earlier = self.run_chain(run_id)[1:]
        if not earlier:
            return []
        rows = self.db.execute(f"SELECT data FROM crawl_carry WHERE run_id IN ({_marks(earlier)}) ORDER BY id",
                               earlier)
        return [item for row in rows for item in json.loads(row["data"])]

    def resume_point(self, run_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT resumes, checkpoint FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
        return json.loads(row["checkpoint"]) if row and row["resumes"] and row["checkpoint"] else None

    def run_chain(self, run_id: int) -> list[int]:
        """This run and the interrupted runs it resumes, newest first."""
        chain = [run_id]
        while True:
            row = self.db.execute("SELECT resumes FROM crawl_runs WHERE id = ?", (chain[-1],)).fetchone()
            if not row or not row["resumes"]:
                return chain
            chain.append(row["resumes"])

    def record_error(self, run_id: int, kind: str, url: str | None, message: str) -> None:
        self.db.execute(
            "INSERT INTO crawl_errors (run_id, at, kind, url, message) VALUES (?, ?, ?, ?, ?)",
            (run_id, utc_now(), kind, url, message[:2000]),
        )

    def finish_run(self, run_id: int, *, complete: bool, finish_reason: str,
                   counts: dict[str, int], stats: dict[str, Any] | None = None,
                   max_drop: float = 0.5) -> CrawlRun:
        """Close a run; a complete one marks the platform's unseen courses gone.

        A complete run that saw fewer than ``(1 - max_drop)`` times the courses
        of the platform's last complete run is *held*: nothing is marked gone
        until ``accept_drop`` releases it (a platform that lost most of its
        listing is more often broken than shrunk).
        """
        with self.transaction():
            run = self.run(run_id)
            chain = self.run_chain(run_id)
            seen = self.db.execute(
                f"SELECT COUNT(*) FROM courses WHERE platform = ? AND last_run_id IN ({_marks(chain)})",
                (run.platform, *chain)).fetchone()[0]
            previous = self.db.execute(
                "SELECT seen FROM crawl_runs WHERE platform = ? AND status = 'complete' AND id != ? "
                "ORDER BY id DESC LIMIT 1", (run.platform, run_id)).fetchone()
            held = complete and previous is not None and seen < previous[0] * (1 - max_drop)
            gone = self._mark_gone(run.platform, run_id) if complete and not held else 0
            if held:
                status = "held"
                self.record_error(run_id, "held", None, f"saw {seen} courses, the last complete crawl "
                                  f"saw {previous[0]}: nothing marked gone until the drop is accepted")
            else:
                status = "complete" if complete else ("incomplete" if counts.get("fetched") else "failed")
            values = {c: int(counts.get(c, 0)) for c in COUNTERS}
            values["gone"] = gone
            values["errors"] = self.db.execute(
                f"SELECT COUNT(*) FROM crawl_errors WHERE run_id = ? AND kind NOT IN {NOT_ERRORS}",
                (run_id,)).fetchone()[0]
            self.db.execute(
                f"UPDATE crawl_runs SET finished_at = ?, status = ?, finish_reason = ?, stats = ?, seen = ?, "
                f"{', '.join(f'{c} = ?' for c in COUNTERS)} WHERE id = ?",
                (utc_now(), status, finish_reason, json.dumps(stats or {}, default=str), seen,
                 *(values[c] for c in COUNTERS), run_id),
            )
        return self.run(run_id)

    def accept_drop(self, platform: str) -> CrawlRun:
        """Release the platform's latest run if it is held: mark what it did not see gone."""
        with self.transaction():
            latest = self.db.execute("SELECT id, status FROM crawl_runs WHERE platform = ? "
                                     "ORDER BY id DESC LIMIT 1", (platform,)).fetchone()
            if latest is None or latest["status"] != "held":
                raise ValueError(f"{platform}: its latest crawl run is not held for review")
            gone = self._mark_gone(platform, latest["id"])
            self.db.execute("UPDATE crawl_runs SET status = 'complete', gone = ? WHERE id = ?",
                            (gone, latest["id"]))
        return self.run(latest["id"])

    def _mark_gone(self, platform: str, run_id: int) -> int:
        now = utc_now()
        chain = self.run_chain(run_id)
        ids = [row[0] for row in self.db.execute(
            "SELECT id FROM courses WHERE platform = ? AND status = 'active' "
            f"AND (last_run_id IS NULL OR last_run_id NOT IN ({_marks(chain)}))", (platform, *chain))]
        for course_id in ids:
            self.db.execute("UPDATE courses SET status = 'gone', changed_at = ? WHERE id = ?", (now, course_id))
            self.db.execute("INSERT INTO course_events (course_id, run_id, event, at) VALUES (?, ?, 'gone', ?)",
                            (course_id, run_id, now))
        return len(ids)

    def run(self, run_id: int) -> CrawlRun:
        row = self.db.execute("SELECT * FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise KeyError(f"no crawl run {run_id}")
        return CrawlRun.from_row(row)

    def runs(self, platform: str | None = None, limit: int = 100) -> list[CrawlRun]:
        sql = "SELECT * FROM crawl_runs"
        args: tuple = ()
        if platform:
            sql += " WHERE platform = ?"
            args = (platform,)
        sql += " ORDER BY id DESC LIMIT ?"
        return [CrawlRun.from_row(r) for r in self.db.execute(sql, (*args, limit))]

    def run_errors(self, run_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(
            "SELECT at, kind, url, message FROM crawl_errors WHERE run_id = ? ORDER BY id", (run_id,))]

    # courses ---------------------------------------------------------------
    def upsert(self, record: dict[str, Any], run_id: int | None) -> str:
        """Store one normalized, hashed record; returns new, updated, returned or unchanged."""
        now = utc_now()
        content = {k: v for k, v in record.items() if k not in STORE_FIELDS}
        row = self.db.execute(
            "SELECT content_hash, status FROM courses WHERE id = ?", (record["id"],)).fetchone()
        if row is None:
            self.db.execute(
                "INSERT INTO courses (id, platform, status, content_hash, record, harvested_at, first_seen, "
                "last_seen, changed_at, last_run_id) VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)",
                (record["id"], record["platform"], record["content_hash"],
                 json.dumps(content, ensure_ascii=False, sort_keys=True), record["harvested_at"],
                 now, now, now, run_id))
            outcome = "new"
        elif row["content_hash"] == record["content_hash"] and row["status"] == "active":
            self.db.execute("UPDATE courses SET last_seen = ?, last_run_id = ? WHERE id = ?",
                            (now, run_id, record["id"]))
            return "unchanged"
        else:
            outcome = "returned" if row["status"] == "gone" else "updated"
            self.db.execute(
                "UPDATE courses SET status = 'active', content_hash = ?, record = ?, harvested_at = ?, "
                "last_seen = ?, changed_at = ?, last_run_id = ? WHERE id = ?",
                (record["content_hash"], json.dumps(content, ensure_ascii=False, sort_keys=True),
                 record["harvested_at"], now, now, run_id, record["id"]))
        self.db.execute("INSERT INTO course_events (course_id, run_id, event, at) VALUES (?, ?, ?, ?)",
                        (record["id"], run_id, outcome, now))
        return outcome

    @staticmethod
    def _course(row: sqlite3.Row) -> dict[str, Any]:
        record = json.loads(row["record"])
        record.update(
            harvested_at=row["harvested_at"], first_seen=row["first_seen"], last_seen=row["last_seen"],
            status=row["status"], content_hash=row["content_hash"])
        return record

    def courses(self, platform: str | None = None, status: str | None = None) -> Iterator[dict[str, Any]]:
        where, args = _course_filter(platform, status)
        for row in self.db.execute(f"SELECT * FROM courses{where} ORDER BY id", args):
            yield self._course(row)

    def course(self, course_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM courses WHERE id = ?", (course_id,)).fetchone()
        return self._course(row) if row else None

    def history(self, course_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(
            "SELECT run_id, event, at FROM course_events WHERE course_id = ? ORDER BY id", (course_id,))]

    def count(self, platform: str | None = None, status: str | None = "active") -> int:
        where, args = _course_filter(platform, status)
        return self.db.execute(f"SELECT COUNT(*) FROM courses{where}", args).fetchone()[0]
