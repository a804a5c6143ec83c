"""Pure normalizers: a source's raw value in, the shared schema's value out.

Every parser returns the normalized value, None for missing input (None, "",
blanks, "null"), and raises Unparseable (a ValueError) for input that is present
but not understood. Nothing is guessed.
"""
from harvester.normalize.dates import to_utc_datetime, to_utc_iso
from harvester.normalize.effort import parse_effort, parse_weeks
from harvester.normalize.errors import Unparseable
from harvester.normalize.languages import detect_language, normalize_languages, to_iso639_1
from harvester.normalize.license import to_spdx
from harvester.normalize.subjects import isced_fields, normalize_level
from harvester.normalize.text import clean_title, html_to_text
from harvester.normalize.urls import absolute_url
from harvester.normalize.values import parse_bool, parse_price, to_country, to_currency

__all__ = [
    "Unparseable",
    "absolute_url",
    "clean_title",
    "detect_language",
    "html_to_text",
    "isced_fields",
    "normalize_languages",
    "normalize_level",
    "parse_bool",
    "parse_effort",
    "parse_price",
    "parse_weeks",
    "to_country",
    "to_currency",
    "to_iso639_1",
    "to_spdx",
    "to_utc_datetime",
    "to_utc_iso",
]
