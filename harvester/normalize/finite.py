"""Non-finite numbers (NaN, Infinity, -Infinity) never enter a record.

Python's json module reads ``NaN``, ``Infinity``, ``-Infinity`` and ``1e999`` as
floats and writes them back as the same non-standard tokens, which SQLite's JSON
functions and strict readers refuse: one platform sending them would break every
page built from the store. So each numeric entry point of the normalizer rejects
them (as floats and as strings), and ``unparsed`` keeps the raw value as text.
"""
from __future__ import annotations

import math
from typing import Any

from harvester.normalize.errors import Unparseable

# What sources write for a non-finite number, case-folded, signs included.
NON_FINITE_WORDS = frozenset(
    sign + word for sign in ("", "+", "-")
    for word in ("nan", "snan", "inf", "infinity", "∞"))

_MAX_DEPTH = 64  # deeper raw values are kept in unparsed as (shortened) text
_MAX_TEXT = 10_000


def is_non_finite(value: Any) -> bool:
    """A NaN or infinite float, or a string that names one ("NaN", "-Infinity", "inf", "∞")."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, str):
        return value.strip().casefold() in NON_FINITE_WORDS
    return False


def finite_number(value: Any) -> float | None:
    """A finite float from an int or float (bools excluded); None for anything else.

    NaN, ±Infinity (floats or their names) and integers beyond a float's range raise
    Unparseable, so that no parser ever sees them as numbers.
    """
    if isinstance(value, str):
        if is_non_finite(value):
            raise Unparseable(value, "not a finite number")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        raise Unparseable(value, "number out of range") from None
    if not math.isfinite(number):
        raise Unparseable(value, "not a finite number")
    return number


def _float_text(number: float) -> str:
    return "NaN" if math.isnan(number) else "Infinity" if number > 0 else "-Infinity"


def json_safe(value: Any, _depth: int = 0) -> Any:
    """A copy of a raw source value that strict JSON can hold, for ``unparsed``.

    Non-finite floats become their JSON5 names as text ("NaN", "Infinity",
    "-Infinity"), integers beyond a double become their digits, tuples lists, keys
    strings; anything nested deeper than _MAX_DEPTH, or of another type, its repr.
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else _float_text(value)
    if _depth >= _MAX_DEPTH:
        return _short_repr(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, _depth + 1) for v in value]
    return _short_repr(value)


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:
        text = f"<{type(value).__name__} nested too deeply>"
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def _places(record: Any) -> list[tuple[str, Any, Any]]:
    """(path, container, key) of each non-finite float in a record, in document order."""
    found: list[tuple[str, Any, Any]] = []
    stack: list[tuple[str, Any, Any, Any]] = [("", record, None, None)]
    while stack:
        path, value, container, key = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            found.append((path, container, key))
        elif isinstance(value, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v, value, k) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v, value, i) for i, v in reversed(list(enumerate(value))))
    return found


def non_finite_paths(record: Any) -> list[str]:
    """Where a non-finite float sits in a record ("certificate.price", "runs[0].start"); [] when none."""
    return [path for path, _, _ in _places(record)]


def move_non_finite(record: dict[str, Any], unparsed: dict[str, Any]) -> list[str]:
    """Null every non-finite float left in a record, keeping it in ``unparsed`` as text; the paths moved.

    The last guard of the normalizer: its parsers reject such numbers already, so
    a path returned here is a parser's bug, logged by the caller, never stored.
    """
    places = _places(record)
    for path, container, key in places:
        unparsed[path] = _float_text(container[key])
        container[key] = None
    return [path for path, _, _ in places]
