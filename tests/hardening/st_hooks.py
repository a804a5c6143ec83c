"""schemathesis hooks (``SCHEMATHESIS_HOOKS=tests.hardening.st_hooks`` for the command line; imported by
the pytest variant). Only positive cases are changed, so that what they send is valid by construction:

- ``/api/v1/courses/{id}``: also ids of courses in the store (``MOOC_FUZZ_IDS`` names a JSON list), so that
  found records are checked against the schema, not only 404s;
- ``/api/v1/search``: what the parameter schemas cannot express is made to hold (``valid_search``): a
  generated ``cursor`` is dropped (a cursor is valid only as returned by the API, since it encodes the
  search it continues: any other string is rightly a 422, which schemathesis would count as a valid
  request rejected), page × size is kept within the result window, the date bounds in order.
  Negative cases keep theirs.
"""
from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from urllib.parse import quote

import schemathesis

from search_api.params import DEFAULT_SIZE, MAX_RESULT_WINDOW


def known_ids() -> list[str]:
    path = os.environ.get("MOOC_FUZZ_IDS")
    return json.loads(Path(path).read_text(encoding="utf-8")) if path and Path(path).is_file() else []


def _negative(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_negative


_turn = itertools.count()


@schemathesis.hook
def map_case(context, case):
    """(``map_case`` runs in the coverage and the fuzzing phases alike.)"""
    if _negative(case):
        return case
    path = case.operation.path
    if path == "/api/v1/courses/{id}":
        ids, turn = known_ids(), next(_turn)
        if ids and turn % 2:   # every other case: a stored id, percent-encoded as a client must
            chosen = ids[(turn // 2) % len(ids)]
            case.path_parameters = {**(case.path_parameters or {}), "id": quote(chosen, safe="")}
    elif path == "/api/v1/search" and case.query:
        case.query = valid_search(dict(case.query))
    return case


def valid_search(query: dict) -> dict:
    """What the parameter schemas cannot say: no foreign cursor, page × size ≤ 10,000, and
    starts_before not before starts_after."""
    query.pop("cursor", None)
    page, size = _int(query.get("page")), _int(query.get("size"))
    if page is not None and page * (size or DEFAULT_SIZE) > MAX_RESULT_WINDOW:
        query["page"] = max(1, MAX_RESULT_WINDOW // (size or DEFAULT_SIZE))
    after, before = query.get("starts_after"), query.get("starts_before")
    if isinstance(after, str) and isinstance(before, str) and after and before and before[:10] < after[:10]:
        query["starts_after"], query["starts_before"] = before, after
    return query


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
