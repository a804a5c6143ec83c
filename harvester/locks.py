"""One crawl of a platform at a time: an exclusive, non-blocking file lock per platform.

The lock file sits next to the store, so every process writing that store
(cron, a systemd timer, `mooc schedule`) sees it. The kernel releases it when
the holder dies, even by SIGKILL: no stale locks.
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PlatformLocked(RuntimeError):
    pass


@contextmanager
def platform_lock(db_file: Path, platform_id: str) -> Iterator[None]:
    folder = Path(db_file).resolve().parent / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / f"{platform_id}.lock", "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise PlatformLocked(f"{platform_id}: another crawl of this platform is running") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
