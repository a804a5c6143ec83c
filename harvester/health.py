"""Crawl health per platform from the store's crawl runs: failed, stale, dropped (pure over runs)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from harvester.registry import Platform
from harvester.schedule import interval, parse_time
from harvester.store import CrawlRun


@dataclass(frozen=True)
class PlatformHealth:
    platform: str
    state: str                 # ok, failed, stale, dropped, never_crawled
    last_run: int | None
    last_status: str | None
    last_success: str | None
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def alarming(self) -> bool:
        return self.state in ("failed", "stale", "dropped")


def platform_health(platform: Platform, runs: list[CrawlRun], now: datetime,
                    stale_factor: float = 3.0) -> PlatformHealth:
    """``runs`` newest first. Stale = no complete crawl within stale_factor × the schedule's period."""
    if not runs:
        return PlatformHealth(platform.id, "never_crawled", None, None, None, "no crawl recorded yet")
    last = runs[0]
    success = next((r for r in runs if r.status == "complete"), None)
    last_success = success.finished_at if success else None
    success_at = parse_time(last_success)
    allowed = interval(platform.schedule, now) * stale_factor
    stale = success_at is None or now - success_at > allowed
    if last.status == "held":
        state, message = "dropped", f"last crawl saw {last.seen} courses; held for review (mooc crawl --accept-drop)"
    elif last.status in ("failed", "incomplete"):
        state, message = "failed", f"last crawl {last.status} with {last.counts['errors']} errors"
    elif stale:
        state, message = "stale", f"no complete crawl within {allowed}"
    else:
        state, message = "ok", f"last crawl {last.status}"
    return PlatformHealth(platform.id, state, last.id, last.status, last_success, message)
