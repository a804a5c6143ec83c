"""Checks that an API key never reaches the store or a crawl's output, in any of its URL forms."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote, quote_plus


def store_dump(db: Path) -> str:
    """Every row of every table, as SQL text."""
    with sqlite3.connect(db) as connection:
        return "\n".join(connection.iterdump())


def assert_no_secret(secret: str, *texts: str) -> None:
    forms = {secret, quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret)}
    for text in texts:
        for form in forms:
            assert form not in text, f"the key leaked as {form!r}"
