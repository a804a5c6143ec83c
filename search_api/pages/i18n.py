"""The interface language: which one a request gets, its message catalogue, and localized labels.

Messages live in ``locale/<lang>/LC_MESSAGES/messages.po`` (gettext, maintained with Babel: see
``babel.cfg``). They are compiled in memory when the app starts, so a fresh clone needs no build step
and a stale ``.mo`` file can never shadow an edited ``.po``. Country and language names come from
Babel's CLDR data in the interface language.
"""
from __future__ import annotations

import io
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

# Interface languages, in the order of the switch; the first is the default. Names in their own language.
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "ko": "한국어", "th": "ไทย"}
DEFAULT_LANGUAGE = "en"
COOKIE = "lang"


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


# --- which language -------------------------------------------------------------------------------

def parse_accept_language(header: str | None) -> list[str]:
    """``Accept-Language`` → language tags, most wanted first (q=0 dropped, ties keep their order)."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            ranked.append((-weight, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def supported(tag: str | None) -> str | None:
    """A language tag (``fr-CH``, ``ko_KR``, ``TH``) → the interface language serving it, if any."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """``?lang=`` wins, then the cookie set by the switch, then the browser's preferences."""
    for choice in (query, cookie):
        if supported(choice):
            return supported(choice)  # type: ignore[return-value]
    for tag in parse_accept_language(accept_language):
        if tag == "*":
            break
        if supported(tag):
            return supported(tag)  # type: ignore[return-value]
    return DEFAULT_LANGUAGE


# --- catalogues -------------------------------------------------------------------------------------

def po_file(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of one language (English: the messages themselves)."""
    path = po_file(language)
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


# --- labels shown for codes ---------------------------------------------------------------------------

ISCED_NAMES = {
    "00": N_("Generic programmes and qualifications"),
    "01": N_("Education"),
    "02": N_("Arts and humanities"),
    "03": N_("Social sciences, journalism and information"),
    "04": N_("Business, administration and law"),
    "05": N_("Natural sciences, mathematics and statistics"),
    "06": N_("Information and communication technologies"),
    "07": N_("Engineering, manufacturing and construction"),
    "08": N_("Agriculture, forestry, fisheries and veterinary"),
    "09": N_("Health and welfare"),
    "10": N_("Services"),
}

FACET_TITLES = {
    "country": N_("Country"),
    "language": N_("Language"),
    "platform": N_("Platform"),
    "isced": N_("Subject"),
    "level": N_("Level"),
    "free": N_("Price"),
    "certificate": N_("Certificate"),
    "pacing": N_("Pacing"),
    "availability": N_("Availability"),
}

VALUE_LABELS = {
    "level": {"introductory": N_("Introductory"), "intermediate": N_("Intermediate"),
              "advanced": N_("Advanced")},
    "free": {"true": N_("Free"), "false": N_("Paid")},
    "certificate": {"true": N_("Certificate available"), "false": N_("No certificate")},
    "pacing": {"self_paced": N_("Self-paced"), "instructor_paced": N_("Instructor-paced")},
    "availability": {"open": N_("Open now"), "upcoming": N_("Starting later"),
                     "self_paced": N_("Self-paced: start any time"), "archived": N_("Archived")},
}

SORT_LABELS = {"relevance": N_("Relevance"), "start_date": N_("Next start date"), "newest": N_("Newest")}

HEALTH_STATES = {
    "ok": N_("OK"),
    "failed": N_("Failed"),
    "stale": N_("Stale"),
    "dropped": N_("Held for review"),
    "never_crawled": N_("Never crawled"),
}

RUN_STATUS = {
    "running": N_("running"),
    "complete": N_("complete"),
    "incomplete": N_("incomplete"),
    "failed": N_("failed"),
    "held": N_("held for review"),
}

COUNTER_LABELS = {
    "fetched": N_("fetched"),
    "new": N_("new"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "rejected": N_("rejected"),
    "gone": N_("gone"),
    "errors": N_("errors"),
}


class Labels:
    """Localized names and formats for one interface language (used by the templates and the charts)."""

    def __init__(self, language: str, platform_names: dict[str, str] | None = None):
        self.language = language
        self.locale = Locale.parse(language)
        self.gettext = translations(language).gettext
        self.platform_names = platform_names or {}

    def country(self, code: str | None) -> str:
        if not code:
            return ""
        return self.locale.territories.get(code.upper(), code)

    def language_name(self, code: str | None, capital: bool = True) -> str:
        """The language's name in the interface language; ``capital`` for lists ("Coréen"), not in a
        sentence ("enseigné en coréen")."""
        if not code:
            return ""
        name = self.locale.languages.get(code)
        if name is None:
            try:  # a code CLDR knows under a longer tag (or nowhere): keep the code
                name = Locale.parse(code).get_display_name(self.locale) or code
            except (UnknownLocaleError, ValueError):
                name = code
        return name[:1].upper() + name[1:] if capital else name

    def platform(self, platform_id: str | None) -> str:
        return self.platform_names.get(platform_id or "", platform_id or "")

    def isced(self, code: str) -> str:
        return self.gettext(ISCED_NAMES[code]) if code in ISCED_NAMES else code

    def facet_title(self, facet: str) -> str:
        return self.gettext(FACET_TITLES.get(facet, facet))

    def value(self, facet: str, value: str) -> str:
        """The label of one facet value (a country name, a subject name, "Free" …)."""
        if facet == "country":
            return self.country(value)
        if facet == "language":
            return self.language_name(value)
        if facet == "platform":
            return self.platform(value)
        if facet == "isced":
            return self.isced(value)
        label = VALUE_LABELS.get(facet, {}).get(value)
        return self.gettext(label) if label else value

    def number(self, value: float | int | None) -> str:
        if value is None:
            return ""
        return format_decimal(value, locale=self.locale)

    def date(self, value: str | date | datetime | None, fmt: str = "medium") -> str:
        parsed = parse_when(value) if not isinstance(value, (date, datetime)) else value
        if parsed is None:
            return str(value or "")
        if isinstance(parsed, datetime):
            parsed = parsed.astimezone(UTC).date()
        return format_date(parsed, fmt, locale=self.locale)

    def age(self, value: str | None, now: datetime) -> str:
        """``2 hours ago`` for a UTC timestamp."""
        when = parse_when(value)
        if when is None:
            return ""
        if not isinstance(when, datetime):
            when = datetime(when.year, when.month, when.day, tzinfo=UTC)
        return format_timedelta(when - now, add_direction=True, locale=self.locale, threshold=1.1)

    def duration(self, start: str | None, end: str | None) -> str:
        """How long a crawl took: ``12 seconds``, ``3 minutes``."""
        a, b = parse_when(start), parse_when(end)
        if not isinstance(a, datetime) or not isinstance(b, datetime):
            return ""
        return format_timedelta(b - a, granularity="second", threshold=1.1, locale=self.locale)

    def money(self, amount: float | None, currency: str | None) -> str:
        if amount is None:
            return ""
        if currency:
            try:
                return format_currency(amount, currency, locale=self.locale)
            except (ValueError, KeyError):
                pass
        return self.number(amount)


def parse_when(value: object) -> date | datetime | None:
    """An ISO date or datetime string (the store's form) → date or aware datetime; else None."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

