"""Keep API keys out of logs, crawl errors and stored source URLs.

Some platforms take their key in the query string (data.go.kr ``serviceKey``,
OpenLearning ``api_key``), so every URL Scrapy or a spider reports carries it.
``redact`` masks the values of known secret parameters and any literal secret
given; ``install_log_redaction`` applies it to every log line the process
writes (Scrapy's own lines included: "Crawled (200) <GET …>", retries, errors).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "***"
SECRET_PARAMS = ("servicekey", "api_key", "apikey", "api-key", "access_token", "wstoken", "token")
_PARAM_RE = re.compile(
    r"(?i)(?<![A-Za-z0-9_-])(" + "|".join(re.escape(p) for p in SECRET_PARAMS) + r")=[^&\s#'\"<>]*")


def _forms(secret: str) -> set[str]:
    return {secret, quote(secret, safe=""), quote_plus(secret, safe="")}


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with secret query parameters' values and the given secrets masked."""
    text = _PARAM_RE.sub(lambda m: f"{m.group(1)}={MASK}", text)
    for secret in secrets:
        if secret and len(secret) >= 4:  # a 1-3 character "key" would mask ordinary text
            for form in sorted(_forms(secret), key=len, reverse=True):
                text = text.replace(form, MASK)
    return text


class RedactingFilter(logging.Filter):
    """A handler filter rewriting each record's message (and traceback) through ``redact``."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to the handler
            return True
        clean = redact(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


_FILTER = RedactingFilter()


def install_log_redaction(secrets: Iterable[str] = ()) -> None:
    """Redact on every handler of the root logger (idempotent; secrets accumulate)."""
    _FILTER.secrets.update(s for s in secrets if s)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
