"""Small scalar values: booleans, prices, currencies (ISO 4217), countries (ISO 3166-1 alpha-2)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import pycountry
from language_data.names import get_trie_value, load_trie, normalize_name
from language_data.util import data_filename

from harvester.normalize._common import real_number, text_input
from harvester.normalize.errors import Unparseable

# --- booleans ------------------------------------------------------------------

_TRUE = frozenset({"true", "t", "yes", "y", "1", "on", "oui", "ja", "sí", "si", "sim", "tak", "да",
                   "예", "네", "是", "はい", "ใช่", "có", "ya"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "off", "non", "nein", "não", "nao", "nie", "нет",
                    "아니오", "아니요", "否", "いいえ", "ไม่", "không", "tidak"})


def parse_bool(value: Any) -> bool | None:
    """True/False, 1/0 and "true"/"yes"/"Y"/"1"/"oui"/"예"… (K-MOOC's "Y"/"N", MOOChub's "false")."""
    if isinstance(value, bool):
        return value
    number = real_number(value)
    if number is not None:
        if number in (0.0, 1.0):
            return number == 1.0
        raise Unparseable(value, "not a boolean")
    text = text_input(value, 20)
    if text is None:
        return None
    key = text.casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise Unparseable(value, "not a boolean")


# --- currencies ----------------------------------------------------------------

# Symbols and local words ISO 4217 has no entry for. "$" is taken as USD as global
# platforms quote it; symbols shared by several currencies ("¥", "kr", "₨") are left out.
_SYMBOLS = {
    "€": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "us$": "USD", "usd$": "USD",
    "£": "GBP", "₩": "KRW", "￦": "KRW", "원": "KRW", "฿": "THB", "บาท": "THB", "₫": "VND",
    "đồng": "VND", "₹": "INR", "rp": "IDR", "rm": "MYR", "₱": "PHP", "s$": "SGD", "a$": "AUD",
    "au$": "AUD", "nz$": "NZD", "hk$": "HKD", "₽": "RUB", "руб": "RUB", "руб.": "RUB",
    "zł": "PLN", "kč": "CZK", "ft": "HUF", "lei": "RON", "лв": "BGN", "лв.": "BGN", "₸": "KZT",
    "₮": "MNT", "៛": "KHR", "₭": "LAK", "ks": "MMK", "৳": "BDT", "tk": "BDT", "₺": "TRY",
    "元": "CNY", "人民币": "CNY", "rmb": "CNY", "cn¥": "CNY", "円": "JPY", "jp¥": "JPY",
}
_NOT_MONEY = frozenset({"XTS", "XXX"})
_AMBIGUOUS_SIGNS = frozenset({"kr", "kr.", "dollar", "dollars", "yen", "yuan"})  # ISO 4217's "testing" and "no currency" codes


@lru_cache(maxsize=1024)
def _currency(text: str) -> str | None:
    key = unicodedata.normalize("NFKC", text).casefold()
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    found = None
    if re.fullmatch(r"[a-z]{3}", key):
        found = pycountry.currencies.get(alpha_3=key.upper())
    elif re.fullmatch(r"\d{3}", key):
        found = pycountry.currencies.get(numeric=key)
    else:
        try:
            found = pycountry.currencies.lookup(text)
        except LookupError:
            found = None
    if found is None or found.alpha_3 in _NOT_MONEY:
        return None
    return found.alpha_3


def to_currency(value: Any) -> str | None:
    """"EUR"/"eur"/"€"/"$"/"₩"/"฿"/"Euro" → ISO 4217 code."""
    text = text_input(value, 50)
    if text is None:
        return None
    code = _currency(text)
    if code is None:
        raise Unparseable(value, "not a currency")
    return code


# --- prices --------------------------------------------------------------------

_FREE = frozenset({"free", "gratuit", "gratuite", "kostenlos", "gratis", "gratuito", "gratuita",
                   "무료", "免费", "免費", "無料", "ฟรี", "miễn phí", "bezpłatny", "bezpłatnie",
                   "бесплатно", "δωρεάν", "percuma", "ingyenes", "zdarma", "darmowy"})
_PRICE_RE = re.compile(r"(?P<pre>[^\d]{0,12}?)\s*(?P<num>\d[\d.,'\s]{0,30}\d|\d)\s*(?P<post>[^\d]{0,12})")
_GROUPED_RE = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def _amount(num: str, raw: Any) -> float:
    digits = re.sub(r"[\s']", "", num)  # spaces and apostrophes only group thousands
    dot, comma = digits.rfind("."), digits.rfind(",")
    if dot >= 0 and comma >= 0:  # "1.234,56" or "1,234.56": the last one is the decimal mark
        decimal = max(dot, comma)
        whole, frac = digits[:decimal], digits[decimal + 1:]
        if not _GROUPED_RE.fullmatch(whole) or len(frac) > 2:
            raise Unparseable(raw, "not a price")
        return float(re.sub(r"[.,]", "", whole) + "." + frac)
    mark = "." if dot >= 0 else "," if comma >= 0 else None
    if mark is None:
        return float(digits)
    if digits.count(mark) > 1 or len(digits) - digits.rfind(mark) - 1 == 3:
        # "1.500.000", "50,000": thousands. Prices are never given to three decimals.
        if not _GROUPED_RE.fullmatch(digits):
            raise Unparseable(raw, "not a price")
        return float(digits.replace(mark, ""))
    whole, frac = digits.split(mark)
    if len(frac) > 2:
        raise Unparseable(raw, "not a price")
    return float(f"{whole}.{frac}")


def _is_money_sign(text: str) -> bool:
    """A currency code, name or symbol; ambiguous signs ("¥", "kr") too: the amount is still clear."""
    return all(unicodedata.category(c) == "Sc" for c in text) or text.casefold() in _AMBIGUOUS_SIGNS \
        or _currency(text) is not None


def parse_price(value: Any) -> float | None:
    """"49", "49.00 €", "€ 49,90", "₩50,000", 49 → 49.0…; "free"/"gratuit"/"무료" → 0.0."""
    number = real_number(value)
    if number is not None:
        if number < 0:
            raise Unparseable(value, "negative price")
        return number
    text = text_input(value, 100)
    if text is None:
        return None
    if text.casefold().strip(" .!") in _FREE:
        return 0.0
    m = _PRICE_RE.fullmatch(text.replace("\u00a0", " ").replace("\u202f", " "))
    if not m:
        raise Unparseable(value, "not a price")
    for side in (m["pre"].strip(), m["post"].strip().removesuffix(",-").removesuffix(".-")):
        if side and not _is_money_sign(side):
            raise Unparseable(value, "not a price")
    return _amount(m["num"], value)


# --- countries -----------------------------------------------------------------

# Codes people use that ISO 3166-1 has not assigned: the UK's and Greece's EU codes.
_COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}
# CLDR territory names in every language ("Deutschland", "대한민국", "ประเทศไทย"→ see below).
_TERRITORIES = load_trie(data_filename("trie/und/name_to_territory.marisa"))
_COUNTRY_PREFIXES = ("ประเทศ",)  # Thai "country": "ประเทศไทย" is CLDR's "ไทย"
_COUNTRY_SUFFIXES = (" улс",)  # Mongolian "state": "Монгол Улс" is CLDR's "Монгол"


def _alpha2(code: str) -> str | None:
    code = _COUNTRY_ALIASES.get(code.upper(), code.upper())
    country = pycountry.countries.get(alpha_2=code) if re.fullmatch(r"[A-Z]{2}", code) else None
    return country.alpha_2 if country else None


def _by_name(name: str) -> str | None:
    key = normalize_name(name)
    if "\x00" in key or key not in _TERRITORIES:  # NUL reaches into the trie's own encoding
        return None
    return _alpha2(get_trie_value(_TERRITORIES, key))  # "150" (Europe), "EU" → None


@lru_cache(maxsize=1024)
def _country(text: str) -> str | None:
    text = unicodedata.normalize("NFKC", text)
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return _alpha2(text)
    if re.fullmatch(r"[A-Za-z]{3}", text):
        country = pycountry.countries.get(alpha_3=text.upper())
        if country:
            return country.alpha_2
    try:
        return pycountry.countries.lookup(text).alpha_2  # "Korea, Republic of", "Viet Nam"
    except LookupError:
        pass
    folded = text.casefold()
    candidates = [text]
    candidates += [text[len(p):] for p in _COUNTRY_PREFIXES if folded.startswith(p) and len(text) > len(p)]
    candidates += [text[: -len(x)] for x in _COUNTRY_SUFFIXES if folded.endswith(x) and len(text) > len(x)]
    for candidate in candidates:
        if code := _by_name(candidate):
            return code
    return None


def to_country(value: Any) -> str | None:
    """A country code or name in English or its own language ("KR", "KOR", "Deutschland", "대한민국", "UK") → alpha-2."""
    text = text_input(value, 100)
    if text is None:
        return None
    code = _country(text)
    if code is None:
        raise Unparseable(value, "not a country")
    return code
