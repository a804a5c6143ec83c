"""The one error every normalizer raises for input it cannot understand."""
from __future__ import annotations

from typing import Any


class Unparseable(ValueError):
    """A value was present but could not be normalized (e.g. "TBA" as a date).

    ``value`` keeps the raw input so that callers can store it in the record's
    ``unparsed`` object; the message shows a shortened ``repr`` only, since a
    hostile value can be megabytes long.
    """

    def __init__(self, value: Any, reason: str | None = None) -> None:
        self.value = value
        self.reason = reason
        shown = repr(value)
        if len(shown) > 120:
            shown = shown[:117] + "..."
        super().__init__(f"cannot parse {shown}" + (f": {reason}" if reason else ""))
