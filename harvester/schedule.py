"""When a platform is due for a crawl, from its cron schedule and the store's crawl history (pure)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from croniter import croniter

DEFAULT_SCHEDULE = "0 3 * * *"  # daily at 03:00 UTC


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def valid_schedule(expression: str) -> bool:
    return croniter.is_valid(expression)


def next_due(schedule: str | None, last_attempt: datetime | None) -> datetime | None:
    """The first scheduled time after the last attempt; None if never attempted (due at once)."""
    if last_attempt is None:
        return None
    return croniter(schedule or DEFAULT_SCHEDULE, last_attempt).get_next(datetime)


def is_due(schedule: str | None, last_attempt: datetime | None, now: datetime) -> bool:
    due = next_due(schedule, last_attempt)
    return due is None or due <= now


def interval(schedule: str | None, around: datetime) -> timedelta:
    """The schedule's period near a time (e.g. one day for a daily cron)."""
    it = croniter(schedule or DEFAULT_SCHEDULE, around)
    first = it.get_next(datetime)
    return it.get_next(datetime) - first
