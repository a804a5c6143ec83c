"""Typed access to JSON objects of unknown shape: a platform's payload may hold anything anywhere."""
from __future__ import annotations

from typing import Any


def object_at(container: dict[str, Any], key: str, default: dict[str, Any] | None = None) -> dict[str, Any]:
    """``container[key]`` when it is a JSON object, else ``default`` (an empty object when not given)."""
    value = container.get(key)
    if isinstance(value, dict):
        return value
    return {} if default is None else default
