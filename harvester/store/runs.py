"""Crawl runs: opening, checkpoints, errors, closing (with gone marking and the drop hold), history."""
from __future__ import annotations

import json
import os
import socket
import sqlite3
from dataclasses import dataclass
from typing import Any

from harvester.store.connection import StoreFile, utc_now

COUNTERS = ("fetched", "new", "updated", "unchanged", "rejected", "gone", "errors")
# crawl_errors kinds that are reported but are not errors of the crawl itself
NOT_ERRORS = ("unparsed", "held", "rejected")


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
    pid: int | None = None
    host: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> CrawlRun:
        return cls(
            id=row["id"], platform=row["platform"], family=row["family"],
            started_at=row["started_at"], finished_at=row["finished_at"], status=row["status"],
            finish_reason=row["finish_reason"], counts={c: row[c] for c in COUNTERS}, seen=row["seen"],
            stats=json.loads(row["stats"]), pid=row["pid"], host=row["host"],
        )

    @property
    def by_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()


def marks(values: list | tuple) -> str:
    """``?, ?, ?``: one bound parameter per value."""
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


class RunMethods(StoreFile):
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
        return int(cursor.lastrowid or 0)

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
        rows = self.db.execute(f"SELECT data FROM crawl_carry WHERE run_id IN ({marks(earlier)}) ORDER BY id",
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
                f"SELECT COUNT(*) FROM courses WHERE platform = ? AND last_run_id IN ({marks(chain)})",
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
                f"SELECT COUNT(*) FROM crawl_errors WHERE run_id = ? AND kind NOT IN ({marks(NOT_ERRORS)})",
                (run_id, *NOT_ERRORS)).fetchone()[0]
            # the column names come from COUNTERS (constants), the values are bound
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
            f"AND (last_run_id IS NULL OR last_run_id NOT IN ({marks(chain)}))", (platform, *chain))]
        for course_id in ids:
            self.db.execute("UPDATE courses SET status = 'gone', changed_at = ? WHERE id = ?", (now, course_id))
            self.db.execute("INSERT INTO course_events (course_id, run_id, event, at) VALUES (?, ?, 'gone', ?)",
                            (course_id, run_id, now))
        return len(ids)

    def run(self, run_id: int) -> CrawlRun:
        with self.reading():
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
        with self.reading():
            return [CrawlRun.from_row(r) for r in self.db.execute(sql, (*args, limit))]

    def runs_since(self, after_id: int, *, pid: int | None = None, host: str | None = None) -> list[CrawlRun]:
        """Runs opened after run ``after_id``, oldest first; with ``pid``/``host`` only those opened by
        that process (a ``mooc crawl`` judges its own runs, not those of crawls running beside it)."""
        sql = "SELECT * FROM crawl_runs WHERE id > ?"
        args: list[Any] = [after_id]
        if pid is not None:
            sql += " AND pid = ?"
            args.append(pid)
        if host is not None:
            sql += " AND host = ?"
            args.append(host)
        return [CrawlRun.from_row(r) for r in self.db.execute(sql + " ORDER BY id", args)]

    def last_run_id(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM crawl_runs").fetchone()[0])

    def run_errors(self, run_id: int) -> list[dict[str, Any]]:
        with self.reading():
            return [dict(r) for r in self.db.execute(
                "SELECT at, kind, url, message FROM crawl_errors WHERE run_id = ? ORDER BY id", (run_id,))]
