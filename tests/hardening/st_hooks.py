"""schemathesis hooks, loaded by bench/fuzz_api.py (``SCHEMATHESIS_HOOKS=tests.hardening.st_hooks``).
Positive cases are changed so that what they send is valid by construction; negative ones are only
filtered (``filter_case``: those that are valid once serialized into a query string):

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
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import jsonschema
import requests
import schemathesis

from search_api.params import DEFAULT_SIZE, MAX_RESULT_WINDOW, ParameterError, _date


def known_ids() -> list[str]:
    path = os.environ.get("MOOC_FUZZ_IDS")
    return json.loads(Path(path).read_text(encoding="utf-8")) if path and Path(path).is_file() else []


def _negative(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_negative


_turn = itertools.count()


@schemathesis.hook
def filter_case(context, case):
    """Drop negative cases that are valid once on the wire. A query string holds only text: an array
    parameter given one string, a JSON null sent as ``null``, a number sent as digits, an empty item
    sent as ``name=`` (the empty value the document allows) can all arrive as valid input. Judged on the
    query string schemathesis sends, by the document's own parameter schemas (and what the parameter
    descriptions say), never by the API's parser."""
    if not _negative(case) or not case.query:
        return True
    try:
        sent = _wire_query(case)
    except Exception:  # noqa: BLE001 - cannot tell: keep the case
        return True
    parameters = {p.get("name"): p for p in case.operation.definition.raw.get("parameters") or []
                  if isinstance(p, dict) and p.get("in") == "query"}
    grouped: dict[str, list[str]] = {}
    for name, value in sent:
        grouped.setdefault(name, []).append(value)
    return not all(_wire_valid(parameters.get(name), values) for name, values in grouped.items())


def _wire_query(case) -> list[tuple[str, str]]:
    from schemathesis.transport.requests import REQUESTS_TRANSPORT
    kwargs = REQUESTS_TRANSPORT.serialize_case(case, base_url="http://127.0.0.1", headers=None)
    url = requests.Request("GET", kwargs["url"], params=kwargs.get("params")).prepare().url
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def _wire_valid(parameter: dict | None, sent: list[str]) -> bool:
    if parameter is None:
        return False
    schema = parameter.get("schema") or {}
    # as the parameter descriptions say: surrounding white space ignored, an empty value absent,
    # repeatable values also comma-separated
    sent = [v.strip() for v in sent]
    if parameter.get("allowEmptyValue") and all(v == "" for v in sent):
        return True
    if schema.get("type") == "array":
        candidate = [part.strip() for v in sent for part in v.split(",") if part.strip()]
    elif len(sent) != 1:
        return False
    else:
        candidate = _typed(sent[0], schema)
    try:
        jsonschema.validate(candidate, schema, format_checker=jsonschema.FormatChecker())
    except jsonschema.ValidationError:
        return False
    return True


def _typed(text: str, schema: dict):
    kind = schema.get("type")
    if kind == "integer" and re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


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
    after, before = _utc(query.get("starts_after")), _utc(query.get("starts_before"))
    if after and before and before[:10] < after[:10]:      # compared as the API does: in UTC
        query["starts_after"], query["starts_before"] = query["starts_before"], query["starts_after"]
    return query


def _utc(value) -> str | None:
    try:
        return _date("date", value.strip()) if isinstance(value, str) and value.strip() else None
    except ParameterError:
        return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
