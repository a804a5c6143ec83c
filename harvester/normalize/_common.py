"""Helpers shared by the normalizers (not part of the public API)."""
from __future__ import annotations

from typing import Any

from harvester.normalize.errors import Unparseable
from harvester.normalize.finite import finite_number

# Strings that sources use to say "no value". They mean missing, not garbage.
MISSING_WORDS = frozenset({"null", "none", "nil", "undefined", "n/a"})


def is_missing(value: Any) -> bool:
    """None, an empty or blank string, or one of MISSING_WORDS."""
    if value is None:
        return True
    if isinstance(value, str):
        stripped = value.strip()
        return not stripped or stripped.casefold() in MISSING_WORDS
    return False


def text_input(value: Any, max_len: int) -> str | None:
    """The stripped string, None when missing; Unparseable for non-strings and over-long input.

    Capping the length keeps every parser's work bounded whatever a source sends.
    """
    if is_missing(value):
        return None
    if not isinstance(value, str):
        raise Unparseable(value, "not a string")
    text = value.strip()
    if len(text) > max_len:
        raise Unparseable(value, f"longer than {max_len} characters")
    return text


def real_number(value: Any) -> float | None:
    """A finite float from an int/float (bools excluded), else None; non-finite ones (and their names) raise."""
    return finite_number(value)
