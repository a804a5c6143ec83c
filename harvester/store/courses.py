"""Courses: upserting normalized records (strict JSON only), reading them back, their history."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from harvester.schema import STORE_FIELDS
from harvester.store.connection import StoreFile, utc_now
from harvester.store.strict import strict_dumps


def _course_filter(platform: str | None, status: str | None) -> tuple[str, list[str]]:
    clauses, args = [], []
    if platform:
        clauses.append("platform = ?")
        args.append(platform)
    if status:
        clauses.append("status = ?")
        args.append(status)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), args


def _course(row: sqlite3.Row) -> dict[str, Any]:
    record = json.loads(row["record"])
    record.update(
        harvested_at=row["harvested_at"], first_seen=row["first_seen"], last_seen=row["last_seen"],
        status=row["status"], content_hash=row["content_hash"])
    return record


class CourseMethods(StoreFile):
    def upsert(self, record: dict[str, Any], run_id: int | None) -> str:
        """Store one normalized, hashed record; returns new, updated, returned or unchanged.
        Raises RecordRefused (storing nothing) for a record that is not strict JSON."""
        now = utc_now()
        text = strict_dumps({k: v for k, v in record.items() if k not in STORE_FIELDS})
        row = self.db.execute(
            "SELECT content_hash, status FROM courses WHERE id = ?", (record["id"],)).fetchone()
        if row is None:
            self.db.execute(
                "INSERT INTO courses (id, platform, status, content_hash, record, harvested_at, first_seen, "
                "last_seen, changed_at, last_run_id) VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)",
                (record["id"], record["platform"], record["content_hash"], text, record["harvested_at"],
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
                (record["content_hash"], text, record["harvested_at"], now, now, run_id, record["id"]))
        self.db.execute("INSERT INTO course_events (course_id, run_id, event, at) VALUES (?, ?, ?, ?)",
                        (record["id"], run_id, outcome, now))
        return outcome

    def courses(self, platform: str | None = None, status: str | None = None) -> Iterator[dict[str, Any]]:
        """Stored courses by id. A damaged page met on the way raises StoreError (after the courses
        read before it were yielded)."""
        where, args = _course_filter(platform, status)
        with self.reading():
            for row in self.db.execute(f"SELECT * FROM courses{where} ORDER BY id", args):
                yield _course(row)

    def course(self, course_id: str) -> dict[str, Any] | None:
        with self.reading():
            row = self.db.execute("SELECT * FROM courses WHERE id = ?", (course_id,)).fetchone()
        return _course(row) if row else None

    def history(self, course_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(
            "SELECT run_id, event, at FROM course_events WHERE course_id = ? ORDER BY id", (course_id,))]

    def count(self, platform: str | None = None, status: str | None = "active") -> int:
        where, args = _course_filter(platform, status)
        with self.reading():
            return int(self.db.execute(f"SELECT COUNT(*) FROM courses{where}", args).fetchone()[0])
