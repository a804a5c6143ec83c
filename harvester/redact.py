"""Keep API keys out of logs, crawl errors and stored source URLs.

Some platforms take their key in the query string (data.go.kr ``serviceKey``,
OpenLearning ``api_key``), so every URL Scrapy or a spider reports carries it.
``redact`` masks the values of known secret parameters and any literal secret
given; ``install_log_redaction`` applies it to every log record the process
makes (Scrapy's own lines included: "Crawled (200) <GET …>", retries, errors).
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


_SECRETS: set[str] = set()
_installed = False


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed record: left to the handler to report
        return
    clean = redact(message, _SECRETS)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info), _SECRETS)


def install_log_redaction(secrets: Iterable[str] = ()) -> None:
    """Redact every log record of the process from now on (secrets accumulate; installs once).

    Done in the record factory rather than a handler filter because Scrapy
    replaces the root handler when a crawler applies its settings.
    """
    global _installed
    _SECRETS.update(s for s in secrets if s)
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _redact_record(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
