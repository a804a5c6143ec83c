"""CSV cells a spreadsheet will not run as formulas (OWASP "CSV injection"), for every CSV the project writes.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, also after leading
white space, gets a leading ``'``; spreadsheets then show it as text. Numbers are written as they are
(``-3`` stays a number). Quoting of separators and quotes is the ``csv`` module's.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet must read it: text that a spreadsheet would take for a formula is
    prefixed with ``'``; anything that is not text is returned unchanged."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS)
                                   or value.lstrip(" \u00a0\n\x0b\x0c").startswith(FORMULA_STARTS)):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose every text cell goes through ``safe_cell``. Rows end with CRLF (RFC 4180):
    ``csv`` quotes only cells holding a character of the line terminator, so with a bare ``\n`` a
    carriage return inside a title would be written unquoted and split the row."""

    def __init__(self, out: TextIO, **options: Any):
        options.setdefault("lineterminator", "\r\n")
        if not {"\r", "\n"} <= set(options["lineterminator"]):
            raise ValueError("the line terminator must hold both CR and LF so that cells holding either are quoted")
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])


def writer(out: TextIO, **options: Any) -> SafeWriter:
    return SafeWriter(out, **options)
