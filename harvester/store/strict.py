"""Strict JSON for stored records: no NaN, no Infinity (SQLite's JSON functions reject them, and so
do other JSON readers of ``mooc export``)."""
from __future__ import annotations

import json
from typing import Any

from harvester.normalize.finite import non_finite_paths


class RecordRefused(ValueError):
    """A record the store will not keep (not strict JSON); the message names the course and the field.
    Counted as a rejected listing: the crawl goes on."""


def strict_dumps(record: dict[str, Any]) -> str:
    """The stored text of a record; refuses one that holds a non-finite number."""
    try:
        return json.dumps(record, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except ValueError:
        where = ", ".join(non_finite_paths(record)) or "a value"
        raise RecordRefused(f"{record.get('id', '?')}: not strict JSON: non-finite number in {where}") from None
