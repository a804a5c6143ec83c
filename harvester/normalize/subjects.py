"""Category labels → ISCED-F 2013 broad fields, and level labels → introductory/intermediate/advanced.

Both are table-driven (isced_table.py); a label the table does not know gives
no field and an unknown level is Unparseable: nothing is guessed.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, NamedTuple

from harvester.normalize._common import text_input
from harvester.normalize.errors import Unparseable
from harvester.normalize.isced_table import KEYWORDS, LEVEL_FILLERS, LEVELS

_MAX_LABEL = 500  # characters of a label looked at
_MAX_LABELS = 1_000

# Scripts written without spaces between words (or, for Hangul, with particles and
# compounds glued on): their keywords match anywhere in a label.
_UNSPACED_RE = re.compile(r"[\u0e00-\u0eff\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Vietnamese marks tell words apart ("dược" drug / "được" can; "điện" electric / "diễn" perform):
# keywords written with them match the label with its marks, not folded.
_VIETNAMESE_RE = re.compile(r"[\u1ea0-\u1ef9ăâđêôơư]")
_FOLD_SPECIAL = {"đ": "d", "ł": "l", "ø": "o", "ı": "i", "ħ": "h"}


def _fold_char(c: str) -> str:
    """One character without its accent if it is Latin, Greek or Cyrillic ("é"→"e", "ά"→"α")."""
    if c < "\u0080":
        return c
    if c in _FOLD_SPECIAL:
        return _FOLD_SPECIAL[c]
    parts = unicodedata.normalize("NFD", c)
    if len(parts) > 1 and parts[0] < "\u0530" and all(unicodedata.combining(p) for p in parts[1:]):
        return parts[0]
    return c


def _normalize(text: str) -> tuple[str, str]:
    """(plain, folded): case-folded, punctuation and symbols as single spaces; same length, so spans agree."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).casefold())
    chars: list[str] = []
    for c in text:
        category = unicodedata.category(c)
        if category[0] in "PSZC":
            if chars and chars[-1] != " ":
                chars.append(" ")
        elif category == "Mn" and chars and chars[-1] < "\u0530":
            continue  # a mark NFC could not compose onto a Latin/Greek/Cyrillic letter
        else:
            chars.append(c)
    plain = "".join(chars).strip()
    return plain, "".join(_fold_char(c) for c in plain)


class _Keyword(NamedTuple):
    text: str  # normalized
    field: str
    mode: str  # "exact", "word", "prefix" or "sub"
    plain: bool  # match against the label with its marks (Vietnamese)


def _compile(table: dict[str, str]) -> list[_Keyword]:
    out: dict[tuple, _Keyword] = {}
    for field, block in table.items():
        for raw in block.split("|"):
            raw = raw.strip()
            if not raw:
                continue
            mode = "word"
            if raw.startswith("="):
                mode, raw = "exact", raw[1:]
            elif raw.endswith("*"):
                mode, raw = "prefix", raw[:-1]
            plain, folded = _normalize(raw)
            keep_marks = bool(_VIETNAMESE_RE.search(plain))
            if mode != "exact" and _UNSPACED_RE.search(plain):
                mode = "sub"
            kw = _Keyword(plain if keep_marks else folded, field, mode, keep_marks)
            out[kw] = kw
    return list(out)


_KEYWORDS = _compile(KEYWORDS)
# Indexes so that a label is only compared with keywords that can match it.
_BY_FIRST_WORD: dict[tuple[bool, str], list[_Keyword]] = {}
for _kw in _KEYWORDS:
    if _kw.mode in ("word", "exact"):
        _BY_FIRST_WORD.setdefault((_kw.plain, _kw.text.split(" ")[0]), []).append(_kw)
_PREFIXED = [kw for kw in _KEYWORDS if kw.mode == "prefix"]
_UNSPACED = [kw for kw in _KEYWORDS if kw.mode == "sub"]


def _candidates(plain: str, folded: str) -> list[_Keyword]:
    found = list(_PREFIXED)
    if _UNSPACED_RE.search(plain):
        found += _UNSPACED
    for keep_marks, text in ((True, plain), (False, folded)):
        for word in set(text.split(" ")):
            found += _BY_FIRST_WORD.get((keep_marks, word), ())
    return found


def _occurrences(haystack: str, needle: str):
    start = haystack.find(needle)
    while start >= 0:
        yield start
        start = haystack.find(needle, start + 1)


def _spans(kw: _Keyword, label: str) -> list[tuple[int, int]]:
    """Where kw matches in " label " (padded), as (start, end)."""
    if kw.mode == "exact":
        return [(1, 1 + len(kw.text))] if label[1:-1] == kw.text else []
    if kw.mode == "sub":
        return [(i, i + len(kw.text)) for i in _occurrences(label, kw.text)]
    if kw.mode == "word":
        return [(i + 1, i + 1 + len(kw.text)) for i in _occurrences(label, f" {kw.text} ")]
    return [(i + 1, label.index(" ", i + 1 + len(kw.text))) for i in _occurrences(label, f" {kw.text}")]


@lru_cache(maxsize=16_384)
def _label_fields(label: str) -> frozenset[str]:
    plain, folded = _normalize(label[:_MAX_LABEL])
    if not plain:
        return frozenset()
    texts = {True: f" {plain} ", False: f" {folded} "}
    matches = [(start, end, kw.field) for kw in _candidates(plain, folded)
               for start, end in _spans(kw, texts[kw.plain])]
    # A match inside a longer one gives way: "programming language" is 06, not also 02.
    kept = {field for start, end, field in matches
            if not any(s <= start and end <= e and e - s > end - start for s, e, _ in matches)}
    return frozenset(kept)


def isced_fields(labels: Any) -> list[str]:
    """Category labels and keywords (any of the seeded platforms' languages) → sorted ISCED-F broad fields "00".."10"."""
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, (list, tuple, set, frozenset)):
        return []
    fields: set[str] = set()
    for label in list(labels)[:_MAX_LABELS]:
        if isinstance(label, str):
            fields |= _label_fields(label)
    return sorted(fields)


# --- levels --------------------------------------------------------------------

def _level_key(text: str) -> str:
    words = _normalize(text)[1].split()
    return " ".join(w for w in words if w not in _LEVEL_FILLERS)


_LEVEL_FILLERS = frozenset(_normalize(w)[1] for w in LEVEL_FILLERS.split("|") if w.strip())
_LEVELS = {_level_key(word): level for level, block in LEVELS.items()
           for word in block.split("|") if word.strip()}


def normalize_level(value: Any) -> str | None:
    """"Beginner", "débutant", "초급", "Fortgeschritten", "Level: Intermediate" → introductory/intermediate/advanced."""
    text = text_input(value, 100)
    if text is None:
        return None
    level = _LEVELS.get(_level_key(text))
    if level is None:
        raise Unparseable(value, "not a known level")
    return level
