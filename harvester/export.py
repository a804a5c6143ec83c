"""Exports of stored courses: JSON Lines and CSV, in SCHEMA.md field names.

JSON lines are strict JSON (no NaN/Infinity: the store holds none); CSV cells go through
``harvester.csvsafe`` so that no title runs as a spreadsheet formula.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from harvester import csvsafe
from harvester.schema import Course

FIELDS = list(Course.model_fields)


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps({f: record.get(f) for f in FIELDS}, ensure_ascii=False, allow_nan=False) + "\n")
        count += 1
    return count


def csv_cell(value: Any) -> Any:
    """Lists of strings joined with '|'; objects and other lists as JSON; null as empty; numbers as
    numbers (the writer escapes text only)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "|".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def write_csv(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = csvsafe.writer(out)  # CRLF rows (RFC 4180)
    writer.writerow(FIELDS)
    count = 0
    for record in records:
        writer.writerow([csv_cell(record.get(f)) for f in FIELDS])
        count += 1
    return count
