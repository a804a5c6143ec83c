"""Strict JSON for stored records: no NaN, no Infinity (SQLite's JSON functions reject them, and so
do other JSON readers of ``mooc export``)."""
from __future__ import annotations

import json
import math
from typing import Any


class RecordRefused(ValueError):
    """A record the store will not keep (not strict JSON); the message names the course and the field.
    Counted as a rejected listing: the crawl goes on."""


def non_finite(value: Any, path: str = "") -> list[str]:
    """Where ``value`` holds a NaN or an infinite number, as dotted paths (``duration.hours``, ``tags[2]``)."""
    if isinstance(value, float):
        return [] if math.isfinite(value) else [path or "(value)"]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in non_finite(item, f"{path}.{key}" if path else str(key))]
    if isinstance(value, (list, tuple)):
        return [p for i, item in enumerate(value) for p in non_finite(item, f"{path}[{i}]")]
    return []


def strict_dumps(record: dict[str, Any]) -> str:
    """The stored text of a record; refuses one that holds a non-finite number."""
    try:
        return json.dumps(record, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except ValueError:
        where = ", ".join(non_finite(record)) or "a value"
        raise RecordRefused(f"{record.get('id', '?')}: not strict JSON: non-finite number in {where}") from None


def repair_non_finite(value: Any, path: str = "") -> tuple[Any, dict[str, str]]:
    """``value`` with each non-finite number replaced by None, and the replaced numbers' text by path
    (what a record's ``unparsed`` holds)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None, {path or "(value)": json.dumps(value)}  # NaN, Infinity, -Infinity
    found: dict[str, str] = {}
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out[key], more = repair_non_finite(item, f"{path}.{key}" if path else str(key))
            found.update(more)
        return out, found
    if isinstance(value, list):
        items = []
        for i, item in enumerate(value):
            fixed, more = repair_non_finite(item, f"{path}[{i}]")
            items.append(fixed)
            found.update(more)
        return items, found
    return value, found
