"""Language names and codes, in any language or script, → ISO 639-1 codes.

langcodes (BCP 47 tags, ISO 639-2/3 codes, CLDR aliases) and language_data
(CLDR names of every language in every language) do the work; the alias table
below only holds what they miss.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import langcodes
from langcodes import Language
from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException
from language_data.names import get_trie_value, load_trie, normalize_name
from language_data.util import data_filename

from harvester.normalize._common import is_missing, text_input
from harvester.normalize.errors import Unparseable

_MAX_LEN = 100  # no language name or tag is longer

# Only what langcodes/language_data miss, each checked against them (tests pin it).
_ALIASES = {
    # CLDR names Chinese 中文 / 普通话 but not these everyday words for it.
    "汉语": "zh",
    "漢語": "zh",
    "华语": "zh",
    "華語": "zh",
    "国语": "zh",
    "國語": "zh",
    # "jp" is the country code; no language has it, and sites put it for Japanese.
    "jp": "ja",
}

# Words for "language" that prefix names in some languages but not CLDR's name:
# Thai "ภาษาไทย" (CLDR: "ไทย"), Malay "Bahasa Melayu" (CLDR: "Melayu").
_PREFIXES = ("ภาษา", "bahasa ")
# ... and words for "language" that follow a name: "English language", "русский язык", "Монгол хэл".
_SUFFIXES = (" language", " язык", " хэл")

# CLDR (and so langcodes) folds Tagalog's 639-1 code "tl" into "fil" (Filipino, 639-2 only).
# The schema wants 639-1 where one exists, and langdetect reports "tl": keep "tl".
_CLDR_TO_SCHEMA = {"fil": "tl"}

# Valid codes that name no language a course could be taught in.
_NOT_A_LANGUAGE = frozenset({"mul", "mis", "zxx", "und"})

_TAG_RE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,6}")
_PRIVATE_USE_RE = re.compile(r"q[a-t][a-z]")
# Separators of lists of languages: punctuation, and "and" in the seeded platforms' languages.
_SPLIT_RE = re.compile(r"[,;/|、，；&+]|\s(?:and|und|et|y|e|i|oraz|dan|và|и)\s|및|和|与|與|และ")
# A trailing qualifier CLDR has no name for: "中文(简体)" (after NFKC), "English (Global)".
_QUALIFIER_RE = re.compile(r"([^()]+?)\s*\([^()]*\)")


def _code(lang: Language) -> str | None:
    """The schema's code for a parsed tag, or None when it is no usable language."""
    lang = lang.prefer_macrolanguage()  # cmn → zh, zsm → ms, khk → mn
    code = lang.language
    if not code or code in _NOT_A_LANGUAGE or _PRIVATE_USE_RE.fullmatch(code):
        return None
    base = Language.get(code)
    # CLDR name data keeps out the thousands of obscure 639-3 codes that are also
    # everyday abbreviations ("tba" is Aikanã, "new" Newari has data and stays).
    if not base.is_valid() or not base.has_name_data():
        return None
    return _CLDR_TO_SCHEMA.get(code, code)


def _from_tag(text: str) -> str | None:
    if not _TAG_RE.fullmatch(text):
        return None
    try:
        lang = Language.get(text.replace("_", "-"))
    except (langcodes.LanguageTagError, ValueError):
        return None
    if not lang.is_valid():
        return None
    return _code(lang)


# language_data's own name → tag trie (CLDR names in every language). It is read
# directly because langcodes.find() also accepts any name that merely *starts*
# with a language name ("English/French" → en, "Deutschland" → de): a guess.
_NAMES = load_trie(data_filename("trie/und/name_to_language.marisa"))
_LATIN_RE = re.compile(r"[\x00-\u024f\u1e00-\u1eff]+")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _folded_names() -> dict[str, str]:
    """Accent-folded Latin names ("francais", "espanol") → tag, ambiguous ones left out; built on first need."""
    index: dict[str, str] = {}
    clashes: set[str] = set()
    for key in _NAMES.keys():
        folded = _fold(key)
        if folded == key or not _LATIN_RE.fullmatch(key):
            continue
        tag = get_trie_value(_NAMES, key)
        if index.get(folded, tag) != tag:
            clashes.add(folded)
        index[folded] = tag
    for folded in clashes:
        del index[folded]
    return index


def _exact_name(name: str) -> str | None:
    key = normalize_name(name)
    if "\x00" in key or key not in _NAMES:  # NUL reaches into the trie's own encoding
        return None
    return _code(Language.get(get_trie_value(_NAMES, key)))


def _from_name(text: str) -> str | None:
    candidates = [text]
    folded = text.casefold()
    for prefix in _PREFIXES:
        if folded.startswith(prefix) and len(text) > len(prefix):
            candidates.append(text[len(prefix):].strip())
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(text) > len(suffix):
            candidates.append(text[: -len(suffix)].strip())
    qualified = _QUALIFIER_RE.fullmatch(text)
    if qualified:
        candidates.append(qualified.group(1))
    for candidate in candidates:
        code = _exact_name(candidate)
        if code:
            return code
    for candidate in candidates:
        if _LATIN_RE.fullmatch(candidate):
            tag = _folded_names().get(_fold(normalize_name(candidate)))
            if tag:
                return _code(Language.get(tag))
    return None


@lru_cache(maxsize=4096)
def _lookup(text: str) -> str | None:
    text = unicodedata.normalize("NFKC", text)  # full-width letters and brackets
    folded = text.casefold()
    if folded == "und":
        return None
    if folded in _ALIASES:
        return _ALIASES[folded]
    code = _from_tag(text) or _from_name(text)
    if code is None:
        raise Unparseable(text, "not a language")
    return code


def to_iso639_1(value: Any) -> str | None:
    """A language name ("한국어", "Français", "ภาษาไทย") or code ("en-US", "zh_CN", "ger") → "ko"/"fr"/"th"...

    ISO 639-3 only where the language has no 639-1 code (e.g. "yue"). "und" (undetermined) is None.
    """
    text = text_input(value, _MAX_LEN)
    if text is None:
        return None
    try:
        return _lookup(text)
    except Unparseable:
        raise Unparseable(value, "not a language") from None


def normalize_languages(value: Any) -> tuple[list[str], list]:
    """None, "en, fr", "English/French", "ko;en" or a list of those → (unique codes in order, raw values not understood)."""
    codes: list[str] = []
    bad: list = []
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if is_missing(item):
            continue
        if not isinstance(item, str):
            bad.append(item)
            continue
        for code, raw in _parse_item(item):
            if code is _BAD:
                bad.append(raw)
            elif code and code not in codes:
                codes.append(code)
    return codes, bad


_BAD = object()
_MAX_PIECES = 20


def _parse_item(text: str) -> list[tuple[Any, str]]:
    """[(code, raw piece)]: the whole string first ("Bahasa Indonesia"), else its pieces."""
    try:
        return [(to_iso639_1(text), text)]
    except Unparseable:
        pass
    pieces = [p.strip() for p in _SPLIT_RE.split(text[:_MAX_LEN * _MAX_PIECES]) if not is_missing(p)]
    if len(pieces) < 2 or len(pieces) > _MAX_PIECES or len(text) > _MAX_LEN * _MAX_PIECES:
        return [(_BAD, text)]
    out: list[tuple[Any, str]] = []
    for piece in pieces:
        try:
            out.append((to_iso639_1(piece), piece))
        except Unparseable:
            out.append((_BAD, piece))
    return out


# --- detection ---------------------------------------------------------------

DetectorFactory.seed = 0  # langdetect is random by default; a fixed seed makes results repeat
_MIN_LETTERS = 20

# Scripts that name their language outright. langdetect's n-gram profiles confuse short Han text
# (it answers "ko" for plain simplified Chinese), so scripts decide first: kana → ja, Hangul → ko,
# Han alone → zh, and the scripts used by one ASEM language each.
_SCRIPTS = (
    ("ja", ((0x3040, 0x30FF),)),                   # Hiragana, Katakana
    ("ko", ((0xAC00, 0xD7AF), (0x1100, 0x11FF))),  # Hangul syllables, Jamo
    ("th", ((0x0E00, 0x0E7F),)),
    ("lo", ((0x0E80, 0x0EFF),)),
    ("km", ((0x1780, 0x17FF),)),
    ("my", ((0x1000, 0x109F),)),
    ("mn", ((0x1800, 0x18AF),)),                   # traditional Mongolian script
    ("zh", ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))),  # Han, only if none of the above appears
)
_SCRIPT_SHARE = 0.3  # of the letters, for a script to decide


def _language_of_script(text: str) -> str | None:
    letters = [ord(ch) for ch in text if ch.isalpha()]
    if len(letters) < 2:
        return None
    for code, ranges in _SCRIPTS:
        count = sum(1 for cp in letters if any(lo <= cp <= hi for lo, hi in ranges))
        if code == "ja" and count >= 3:
            return "ja"  # a few kana among kanji are enough
        if count / len(letters) >= _SCRIPT_SHARE:
            return code
    return None
_MAX_DETECT = 10_000
# Languages langdetect has no profile for, and the profile it answers for them instead: on a platform
# that teaches in the first and not the second, the answer is the first.
_NO_PROFILE = {"ms": "id", "fil": "tl", "kk": "ru", "mn": "ru"}
_HINT_PROBABILITY = 0.20  # a hinted language needs at least this chance
_MIN_PROBABILITY = 0.70  # below this the text mixes languages: no answer rather than a guess


def detect_language(text: Any, hints: tuple[str, ...] = ()) -> str | None:
    """The language of a text as an ISO 639-1 code; None if too short or unsure.

    A script that names its language decides first (even in a short title).
    Otherwise langdetect (fixed seed) answers when it is sure; when it is not,
    a language the platform mostly teaches in (``hints``) wins if langdetect
    gives it a fair chance. Hints never answer on their own.
    """
    if is_missing(text):
        return None
    if not isinstance(text, str):
        raise Unparseable(text, "not a string")
    sample = text[:_MAX_DETECT]
    by_script = _language_of_script(sample)
    if by_script == "zh" and "ja" in hints and "zh" not in hints:
        return "ja"  # kanji-only text on a Japanese platform
    if by_script:
        return by_script
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None
    DetectorFactory.seed = 0
    try:
        candidates = detect_langs(sample)
    except LangDetectException:
        return None
    for rank, candidate in enumerate(candidates):
        try:
            code = to_iso639_1(candidate.lang.split("-")[0])  # "zh-cn" → "zh"
        except Unparseable:
            continue
        if rank == 0 and candidate.prob >= _MIN_PROBABILITY:
            for language, nearest in _NO_PROFILE.items():
                if code == nearest and language in hints and nearest not in hints:
                    return language
            return code
        if code in hints and candidate.prob >= _HINT_PROBABILITY:
            return code
    return None
