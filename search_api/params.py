"""Search parameters, declared as data and parsed by one pure function.

``SEARCH_PARAMS`` is the one table of what ``/api/v1/search`` (and the search
page) accepts: name, type, whether it repeats, allowed values, and the course
field it applies to. ``parse_search`` turns query-string pairs into an
``indexer.base.SearchQuery`` or raises ``ParameterError`` naming the parameter;
``openapi_parameters`` describes the same table in the OpenAPI document.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from indexer.base import FACETS, SearchQuery

MAX_SIZE = 100
DEFAULT_SIZE = 20
MAX_RESULT_WINDOW = 10_000   # page * size beyond this: use the cursor
MAX_Q_LENGTH = 500
MAX_CURSOR_LENGTH = 2_000
MIN_YEAR, MAX_YEAR = 1000, 9999

Kind = Literal["text", "code", "choice", "bool", "date", "int", "cursor"]


class ParameterError(ValueError):
    """A request parameter that cannot be accepted; ``parameter`` names it."""

    def __init__(self, parameter: str | None, message: str, status: int = 422):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Param:
    name: str
    kind: Kind
    description: str
    field: str | None = None                  # course field (SCHEMA.md) a filter applies to
    facet: bool = False                       # a filter with facet counts (indexer.base.FACETS)
    repeatable: bool = False                  # repeat it (or separate values by commas): OR within it
    values: tuple[str, ...] | None = None     # allowed values (after normalization)
    pattern: str | None = None                # or: the form a value must have (after normalization)
    case: Literal["upper", "lower"] | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None


ISCED_FIELDS = tuple(f"{n:02d}" for n in range(11))

SEARCH_PARAMS: tuple[Param, ...] = (
    Param("q", "text", "Words to find in titles, descriptions, subjects, organizations, instructors. "
          "Any characters are accepted; search syntax is not interpreted as operators.", default=""),
    Param("country", "code", "Country of the platform, ISO 3166-1 alpha-2.", field="country", facet=True,
          repeatable=True, pattern=r"[A-Z]{2}", case="upper"),
    Param("language", "code", "Teaching language, ISO 639-1 (639-3 where no 639-1 code exists).",
          field="languages", facet=True, repeatable=True, pattern=r"[a-z]{2,3}", case="lower"),
    Param("platform", "code", "Platform id from the registry.", field="platform", facet=True,
          repeatable=True, pattern=r"[a-z0-9_-]{1,64}", case="lower"),
    Param("isced", "choice", "ISCED-F 2013 broad field, two digits.", field="isced_fields", facet=True,
          repeatable=True, values=ISCED_FIELDS),
    Param("level", "choice", "Course level.", field="level", facet=True, repeatable=True,
          values=("introductory", "intermediate", "advanced")),
    Param("free", "bool", "Can be taken without paying (auditing counts as free).", field="is_free",
          facet=True),
    Param("certificate", "bool", "A certificate is available.", field="certificate.available", facet=True),
    Param("pacing", "choice", "Pacing of a run.", field="runs.pacing", facet=True, repeatable=True,
          values=("self_paced", "instructor_paced")),
    Param("availability", "choice", "open: a run has started and not ended; upcoming: a run starts later; "
          "self_paced: a self-paced run can be taken now; archived: every run has ended.",
          field="runs", facet=True, repeatable=True, values=("open", "upcoming", "self_paced", "archived")),
    Param("starts_after", "date", "A run starts on or after this date (ISO 8601). With starts_before, "
          "both apply to one and the same run.", field="runs.start"),
    Param("starts_before", "date", "A run starts on or before this date (ISO 8601).", field="runs.start"),
    Param("sort", "choice", "relevance (open and upcoming courses first among equally relevant ones), "
          "start_date (next start first), newest (first seen most recently first).",
          values=("relevance", "start_date", "newest"), default="relevance"),
    Param("page", "int", f"Page number; page × size may not exceed {MAX_RESULT_WINDOW}: "
          "use the cursor to go deeper.", minimum=1, maximum=MAX_RESULT_WINDOW, default=1),
    Param("size", "int", "Results per page.", minimum=1, maximum=MAX_SIZE, default=DEFAULT_SIZE),
    Param("cursor", "cursor", "The next_cursor of a previous answer, to read the following page "
          "(page is then ignored)."),
    Param("highlight", "bool", "Return highlighted fragments of the matching text.", default=True),
)

PARAMS_BY_NAME = {p.name: p for p in SEARCH_PARAMS}
FILTERS = tuple(p for p in SEARCH_PARAMS if p.facet)
assert tuple(p.name for p in FILTERS) == FACETS, "the filter table and indexer.base.FACETS disagree"

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CURSOR = re.compile(r"[A-Za-z0-9_\-=.:~+/]+")


def _text(value: str) -> str:
    # NUL and other control characters never reach an engine; other characters are the index's business
    return "".join(ch if ch >= " " or ch in "\t\n" else " " for ch in value).strip()


def _one(param: Param, raw: str) -> Any:
    value = raw.strip()
    if param.case == "upper":
        value = value.upper()
    elif param.case == "lower":
        value = value.lower()
    if param.kind == "code":
        if not re.fullmatch(param.pattern or ".+", value):
            raise ParameterError(param.name, f"{raw!r} is not a valid {param.name} ({param.description})")
        return value
    if param.kind == "choice":
        if param.name == "isced" and value.isdigit() and len(value) == 1:
            value = "0" + value
        if value not in (param.values or ()):
            raise ParameterError(param.name, f"{raw!r} is not one of: {', '.join(param.values or ())}")
        return value
    if param.kind == "bool":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ParameterError(param.name, f"{raw!r} is not a boolean (true or false)")
    if param.kind == "int":
        if not re.fullmatch(r"[+]?\d{1,9}", value):
            raise ParameterError(param.name, f"{raw!r} is not a whole number")
        number = int(value)
        if param.minimum is not None and number < param.minimum:
            raise ParameterError(param.name, f"must be at least {param.minimum}")
        if param.maximum is not None and number > param.maximum:
            raise ParameterError(param.name, f"must be at most {param.maximum}")
        return number
    if param.kind == "date":
        return _date(param.name, value)
    if param.kind == "cursor":
        if len(value) > MAX_CURSOR_LENGTH or not _CURSOR.fullmatch(value):
            raise ParameterError(param.name, "not a cursor returned by this API")
        return value
    if len(raw) > MAX_Q_LENGTH:   # as given (the document's maxLength), not after cleaning
        raise ParameterError(param.name, f"longer than {MAX_Q_LENGTH} characters")
    return _text(raw)


def _date(name: str, value: str) -> str:
    """An ISO date or datetime → ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), years 1000 to 9999."""
    try:
        if _DATE.fullmatch(value):
            parsed_date = date.fromisoformat(value)
            text = parsed_date.isoformat()
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "+"))
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            parsed_date = parsed = parsed.astimezone(UTC)
            text = parsed.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 shifted out of range by its offset
        raise ParameterError(name, f"{value!r} is not an ISO 8601 date (YYYY-MM-DD)") from None
    if not MIN_YEAR <= parsed_date.year <= MAX_YEAR:
        raise ParameterError(name, f"{value!r}: the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return text


def collect(pairs: Iterable[tuple[str, str]], params: dict[str, Param] = PARAMS_BY_NAME,
            ignore: Iterable[str] = ()) -> dict[str, Any]:
    """Query-string pairs → {name: value or tuple of values}, checked against the table.

    Empty values are absent values (a form's empty select). Unknown names are
    refused, except those in ``ignore`` (parameters of a page, not of the search).
    """
    ignored = set(ignore)
    raw: dict[str, list[str]] = {}
    for name, value in pairs:
        if name in ignored:
            continue
        if name not in params:
            raise ParameterError(name, f"unknown parameter; accepted: {', '.join(params)}", status=400)
        raw.setdefault(name, []).append(value)
    values: dict[str, Any] = {}
    for name, given in raw.items():
        param = params[name]
        if param.repeatable:
            parts = [part for value in given for part in value.split(",") if part.strip()]
            if parts:
                values[name] = tuple(dict.fromkeys(_one(param, part) for part in parts))
            continue
        given = [value for value in given if value.strip()] if param.kind != "text" else given
        if len(given) > 1:
            raise ParameterError(name, "given more than once")
        if given:
            values[name] = _one(param, given[0])
    return values


def parse_search(pairs: Iterable[tuple[str, str]], *, ignore: Iterable[str] = (),
                 now: str | None = None) -> SearchQuery:
    values = collect(pairs, ignore=ignore)
    after, before = values.get("starts_after"), values.get("starts_before")
    if after and before and before[:10] < after[:10]:
        raise ParameterError("starts_before", f"{before} is before starts_after {after}")
    page = values.get("page", 1)
    size = values.get("size", DEFAULT_SIZE)
    if "cursor" not in values and page * size > MAX_RESULT_WINDOW:
        raise ParameterError("page", f"page × size may not exceed {MAX_RESULT_WINDOW}; use the cursor "
                                     "(next_cursor) to read further")
    filters: dict[str, tuple[str, ...]] = {}
    for param in FILTERS:
        if param.name not in values:
            continue
        value = values[param.name]
        filters[param.name] = (("true" if value else "false"),) if param.kind == "bool" else value
    return SearchQuery(
        q=values.get("q", ""), filters=filters, starts_after=after, starts_before=before,
        sort=values.get("sort", "relevance"), page=page, size=size, cursor=values.get("cursor"),
        highlight=values.get("highlight", True), now=now,
    )


def query_pairs(query: SearchQuery, **changes: Any) -> list[tuple[str, str]]:
    """A SearchQuery back to query-string pairs (for links: next page, removing a filter)."""
    out: list[tuple[str, str]] = []
    if query.q:
        out.append(("q", query.q))
    for name, values in query.filters.items():
        out.extend((name, v) for v in values)
    for name in ("starts_after", "starts_before", "cursor"):
        if getattr(query, name):
            out.append((name, getattr(query, name)))
    if query.sort != "relevance":
        out.append(("sort", query.sort))
    if query.page != 1 and not query.cursor:
        out.append(("page", str(query.page)))
    if query.size != DEFAULT_SIZE:
        out.append(("size", str(query.size)))
    if not query.highlight:
        out.append(("highlight", "false"))
    for name, value in changes.items():
        out = [(k, v) for k, v in out if k != name]
        if value is not None:
            out.extend((name, str(v)) for v in (value if isinstance(value, (list, tuple)) else [value]))
    return out


def _schema(param: Param) -> dict[str, Any]:
    scalar: dict[str, Any] = {
        "text": {"type": "string", "maxLength": MAX_Q_LENGTH},
        "code": {"type": "string", "pattern": f"^{_any_case(param)}$"},
        "choice": {"type": "string", "enum": list(param.values or ())},
        "bool": {"type": "boolean"},
        # a date or a date-time, years 1000 to 9999 (what ``_date`` accepts)
        "date": {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}],
                 "pattern": "^[1-9][0-9]{3}-"},
        "int": {"type": "integer"},
        "cursor": {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
    }[param.kind]
    if param.minimum is not None:
        scalar["minimum"] = param.minimum
    if param.maximum is not None:
        scalar["maximum"] = param.maximum
    if param.default is not None and not param.repeatable:
        scalar["default"] = param.default
    return {"type": "array", "items": scalar} if param.repeatable else scalar


def _any_case(param: Param) -> str:
    """The pattern of a code as accepted: either case (``_one`` normalizes it)."""
    pattern = param.pattern or ".+"
    if param.case == "upper":
        return pattern.replace("A-Z", "A-Za-z")
    if param.case == "lower":
        return pattern.replace("a-z", "A-Za-z")
    return pattern


def openapi_parameters(params: Iterable[Param] = SEARCH_PARAMS) -> list[dict[str, Any]]:
    described = []
    for param in params:
        description = param.description
        if param.field:
            description += f" Applies to the course field `{param.field}`."
        if param.repeatable:
            description += " Repeatable (or comma-separated): any of the values matches."
        if param.facet:
            description += f" Counted in `facets.{param.name}`."
        description += " Surrounding white space is ignored; an empty value counts as absent."
        # an empty value is an absent value (a plain form's empty field), as ``collect`` reads it
        described.append({"name": param.name, "in": "query", "required": False, "description": description,
                          "schema": _schema(param), "allowEmptyValue": True,
                          **({"style": "form", "explode": True} if param.repeatable else {})})
    return described

