"""Sitemaps (sitemaps.org protocol): pure parsing of robots.txt ``Sitemap:`` lines and sitemap files.

A sitemap is a ``<urlset>`` of page URLs or a ``<sitemapindex>`` of further
sitemaps, either possibly gzip-compressed; a plain-text file of URLs, one per
line, is a sitemap too. XML is parsed strictly and safely (defusedxml: no DTD,
no entities), so a truncated or hostile file is reported, never half-read;
decompression stops at ``MAX_SITEMAP_BYTES`` (the protocol's own limit), which
defeats gzip bombs.
"""
from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException
from protego import Protego

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # sitemaps.org: at most 50 MB uncompressed
_GZIP_MAGIC = b"\x1f\x8b"


class SitemapError(ValueError):
    """A response that is not a readable sitemap."""


@dataclass
class Sitemap:
    kind: str  # "index" (URLs are sitemaps) or "urlset" (URLs are pages)
    urls: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # entries that are no http(s) URL


def robots_url(site_url: str) -> str:
    return urljoin(site_url, "/robots.txt")


def default_sitemap_url(site_url: str) -> str:
    return urljoin(site_url, "/sitemap.xml")


def sitemaps_from_robots(robots_txt: str, robots_txt_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, absolute, in order, without duplicates."""
    urls: list[str] = []
    for url in Protego.parse(robots_txt).sitemaps:
        url = urljoin(robots_txt_url, url.strip())
        if _is_http(url) and url not in urls:
            urls.append(url)
    return urls


def parse_sitemap(body: bytes, url: str) -> Sitemap:
    """A sitemap or sitemap index (XML or text, gzip or not) → its absolute URLs; SitemapError if unreadable."""
    data = _gunzip(body) if body[:2] == _GZIP_MAGIC else body
    if len(data) > MAX_SITEMAP_BYTES:
        raise SitemapError(f"larger than {MAX_SITEMAP_BYTES} bytes")
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not start:
        raise SitemapError("empty response")
    if start == b"<":
        return _parse_xml(data, url)
    return _parse_text(data, url)


def _gunzip(body: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as handle:
            data = handle.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SitemapError(f"broken gzip data: {exc}") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise SitemapError(f"decompresses to more than {MAX_SITEMAP_BYTES} bytes")
    return data


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_xml(data: bytes, url: str) -> Sitemap:
    try:
        root = safe_et.fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise SitemapError(f"not well-formed XML: {type(exc).__name__}: {exc}") from exc
    kinds = {"urlset": ("urlset", "url"), "sitemapindex": ("index", "sitemap")}
    root_name = _local(root.tag)
    if root_name not in kinds:
        raise SitemapError(f"not a sitemap: root element <{root_name[:40]}>")
    kind, entry_name = kinds[root_name]
    sitemap = Sitemap(kind)
    for entry in root:
        if _local(entry.tag) != entry_name:
            continue
        loc = next((child.text for child in entry if _local(child.tag) == "loc"), None)
        _add(sitemap, (loc or "").strip(), url)
    return sitemap


def _parse_text(data: bytes, url: str) -> Sitemap:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SitemapError("neither XML nor UTF-8 text") from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not all(_is_http(line) for line in lines):
        raise SitemapError(f"not a sitemap: text that is not one URL per line (starts {lines[0][:60]!r})")
    sitemap = Sitemap("urlset")
    for line in lines:
        _add(sitemap, line, url)
    return sitemap


def _add(sitemap: Sitemap, loc: str, base: str) -> None:
    """Locs must be absolute; a relative one is joined to the sitemap's URL rather than lost."""
    if not loc:
        return
    absolute = urljoin(base, loc)
    if not _is_http(absolute):
        sitemap.skipped.append(loc[:200])
    elif absolute not in sitemap.urls:
        sitemap.urls.append(absolute)


def _is_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
