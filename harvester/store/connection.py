"""Opening a store file: the connection, its migration, transactions, and what a failure says."""
from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from harvester.store.migrations import migrate

DEFAULT_DB = Path("var") / "catalogue.db"


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def db_path(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("MOOC_DB") or DEFAULT_DB)


class StoreError(RuntimeError):
    """The store file cannot be opened, read or written (missing, no rights, disk full, damaged)."""


def is_damage(exc: BaseException) -> bool:
    """SQLite found the file's pages inconsistent (as opposed to busy, locked, read-only or full)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and any(
        sign in text for sign in ("disk image is malformed", "not a database", "corrupt"))


def store_failure(path: Path, exc: BaseException) -> StoreError:
    """One line for an operator: what failed and, for a damaged file, how to check and recover it."""
    if is_damage(exc):
        return StoreError(
            f"store {path} is damaged ({exc}): check it with `sqlite3 {path} 'PRAGMA integrity_check'`; "
            f"recover what is readable with `sqlite3 {path} .recover | sqlite3 recovered.db` and use that "
            "file (--db / MOOC_DB), or restore a backup; then `mooc crawl` refills what was lost")
    return StoreError(f"store {path}: {exc}")


class StoreFile:
    """One SQLite catalogue file, migrated to the current schema when opened. Not shared between threads.

    ``create=False`` (read commands, the API) refuses a missing file instead of creating it.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, create: bool = True):
        self.path = db_path(path)
        if not create and not self.path.is_file():
            raise StoreError(f"no catalogue store at {self.path} (run `mooc crawl` first, or check --db / MOOC_DB)")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            migrate(self.db)
        except (OSError, sqlite3.Error) as exc:
            raise store_failure(self.path, exc) from exc

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

    def __enter__(self) -> Self:
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

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Turns SQLite failures met while reading (a damaged page in the middle of the file) into one
        StoreError line that says how to check and recover."""
        try:
            yield
        except sqlite3.Error as exc:
            raise store_failure(self.path, exc) from exc
