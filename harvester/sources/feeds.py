"""RSS 2.0 / RSS 1.0 / Atom course feeds: safe parsing and the generic item → draft mapping.

Used as is by the ``rss`` family and, with its ``feu:`` extension on top, by ``federica``.
XML is parsed with defusedxml (no entity expansion, no external entities or DTDs fetched);
a page that is not well-formed XML, or not a feed, raises ``PageError``. A feed's
pubDate/updated dates say when an item was published, not when a course runs: they are
not read. Paging follows ``atom:link rel="next"`` (RSS) or ``link rel="next"`` (Atom).
"""
from __future__ import annotations

import copy
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from harvester.registry import Platform
from harvester.sources.paging import Page, PageError, PageRequest

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_RSS_CORE = ("", RSS1)  # namespaces of RSS's own elements (2.0: none; 1.0: RSS1)


@dataclass
class Feed:
    kind: str  # "rss" or "atom"
    root: ET.Element
    entries: list[ET.Element]
    language: str | None = None
    next_url: str | None = None
    self_url: str | None = None
    namespaces: dict[str, str] = field(default_factory=dict)  # prefix → URI, as declared


# --- XML ------------------------------------------------------------------------------------

def split_tag(tag: Any) -> tuple[str, str]:
    """``{uri}local`` → (uri, local); comments and processing instructions → ("", "")."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return "", tag


def parse_xml(text: str) -> tuple[ET.Element, dict[str, str]]:
    """The document's root and its namespace prefixes; PageError if unsafe or malformed."""
    text = text.lstrip("\ufeff \t\r\n")
    namespaces: dict[str, str] = {}
    root = None
    try:
        for event, value in SafeET.iterparse(io.StringIO(text), events=("start-ns", "end")):
            if event == "start-ns":
                namespaces.setdefault(value[0], value[1])
            else:
                root = value
    except DefusedXmlException as exc:
        raise PageError(f"unsafe XML refused ({type(exc).__name__}: {exc})") from exc
    except ET.ParseError as exc:
        raise PageError(f"malformed XML: {exc}") from exc
    if root is None:
        raise PageError("empty XML document")
    return root, namespaces


def children(element: ET.Element, local: str, namespaces: tuple[str, ...] = _RSS_CORE) -> list[ET.Element]:
    return [c for c in element if split_tag(c.tag)[1] == local and split_tag(c.tag)[0] in namespaces]


def child(element: ET.Element, local: str, namespaces: tuple[str, ...] = _RSS_CORE) -> ET.Element | None:
    found = children(element, local, namespaces)
    return found[0] if found else None


def text_of(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _strip_namespaces(element: ET.Element) -> ET.Element:
    element = copy.deepcopy(element)
    for node in element.iter():
        node.tag = split_tag(node.tag)[1] or node.tag
        node.attrib = {split_tag(k)[1]: v for k, v in node.attrib.items()}
    return element


def markup_of(element: ET.Element | None) -> str | None:
    """An element's content as HTML: its text, or its child elements serialized (XHTML content)."""
    if element is None:
        return None
    if len(element) == 0:
        return text_of(element)
    bare = _strip_namespaces(element)
    html = (bare.text or "") + "".join(ET.tostring(c, encoding="unicode", method="html") for c in bare)
    return html.strip() or None


def _href(links: list[ET.Element], *rels: str) -> str | None:
    for link in links:
        href = (link.get("href") or "").strip()
        if (link.get("rel") or "alternate") in rels and href:
            return href
    return None


# --- feeds ----------------------------------------------------------------------------------

def parse_feed(text: str) -> Feed:
    root, namespaces = parse_xml(text)
    uri, local = split_tag(root.tag)
    if uri == ATOM and local == "feed":
        links = children(root, "link", (ATOM,))
        return Feed("atom", root, children(root, "entry", (ATOM,)),
                    language=root.get(XML_LANG) or text_of(child(root, "language", (DC,))),
                    next_url=_href(links, "next"), self_url=_href(links, "self"), namespaces=namespaces)
    if local in ("rss", "RDF"):
        channel = next((c for c in root if split_tag(c.tag)[1] == "channel"), None)
        items = children(root, "item") + (children(channel, "item") if channel is not None else [])
        meta = channel if channel is not None else root
        links = children(meta, "link", (ATOM,))
        return Feed("rss", root, items,
                    language=text_of(child(meta, "language")) or text_of(child(meta, "language", (DC,))),
                    next_url=_href(links, "next"), self_url=_href(links, "self"), namespaces=namespaces)
    raise PageError(f"not an RSS or Atom feed (root element <{local}>)")


def _is_image(element: ET.Element) -> bool:
    kind = (element.get("type") or "").lower()
    return element.get("medium") == "image" or kind.startswith("image/")


def image_url(entry: ET.Element) -> str | None:
    """media:thumbnail, an image media:content or enclosure, itunes:image or an <image><url>."""
    groups = [entry, *children(entry, "group", (MEDIA,))]
    for group in groups:
        for thumb in children(group, "thumbnail", (MEDIA,)):
            if url := thumb.get("url"):
                return url.strip()
    for group in groups:
        for content in children(group, "content", (MEDIA,)):
            if (url := content.get("url")) and _is_image(content):
                return url.strip()
    for enclosure in children(entry, "enclosure") + [
            link for link in children(entry, "link", (ATOM,)) if link.get("rel") == "enclosure"]:
        url = enclosure.get("url") or enclosure.get("href")
        if url and _is_image(enclosure):
            return url.strip()
    itunes = child(entry, "image", (ITUNES,))
    if itunes is not None and (href := itunes.get("href")):
        return href.strip()
    image = child(entry, "image")
    return text_of(child(image, "url")) if image is not None else None


def _categories(entry: ET.Element, namespaces: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for category in children(entry, "category", namespaces) + children(entry, "subject", (DC,)):
        value = category.get("label") or category.get("term") or text_of(category)
        if value and value.strip() and value.strip() not in out:
            out.append(value.strip())
    return out


def _rss_draft(item: ET.Element, feed: Feed) -> dict[str, Any]:
    link = text_of(child(item, "link")) or _href(children(item, "link", (ATOM,)), "alternate")
    guid_element = child(item, "guid")
    guid = text_of(guid_element)
    permalink = guid_element is not None and guid_element.get("isPermaLink", "true") != "false"
    if not link and guid and permalink and re.match(r"https?://", guid):
        link = guid
    if not link:
        link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    description = markup_of(child(item, "description"))
    content = markup_of(child(item, "encoded", (CONTENT,)))
    return {
        "source_id": guid or link,
        "title": text_of(child(item, "title")) or text_of(child(item, "title", (DC,))),
        "url": link,
        "summary": description if content else None,
        "description": content or description,
        "languages": text_of(child(item, "language", (DC,))) or feed.language,
        "subjects": _categories(item, _RSS_CORE),
        "image_url": image_url(item),
    }


def _atom_draft(entry: ET.Element, feed: Feed) -> dict[str, Any]:
    link = _href(children(entry, "link", (ATOM,)), "alternate")
    entry_id = text_of(child(entry, "id", (ATOM,)))
    return {
        "source_id": entry_id or link,
        "title": markup_of(child(entry, "title", (ATOM,))),
        "url": link,
        "summary": markup_of(child(entry, "summary", (ATOM,))),
        "description": markup_of(child(entry, "content", (ATOM,))),
        "languages": (entry.get(XML_LANG) or text_of(child(entry, "language", (DC,))) or feed.language),
        "subjects": _categories(entry, (ATOM,)),
        "image_url": image_url(entry),
    }


def entry_draft(entry: ET.Element, feed: Feed) -> dict[str, Any]:
    """One <item> or <entry> → a draft listing (raw values, schema field names)."""
    return _atom_draft(entry, feed) if feed.kind == "atom" else _rss_draft(entry, feed)


def next_request(feed: Feed, request: PageRequest) -> PageRequest | None:
    """The feed's next page, unless there is none, the page was empty or it points to itself."""
    if not feed.next_url or not feed.entries:
        return None
    target = urljoin(request.url, feed.next_url)
    here = {request.url} | ({urljoin(request.url, feed.self_url)} if feed.self_url else set())
    return None if target in here else PageRequest(target, headers=request.headers, state=request.state)


def fitting_encoding(body: bytes, encoding: str) -> str:
    """``encoding`` if the body decodes with it, else the lenient Windows-1252 / Latin-1 fallback.

    Feeds declared UTF-8 but written in Latin-1 are common; decoding them as UTF-8 with
    replacement characters would lose every accented letter.
    """
    for candidate in (encoding, "cp1252"):
        try:
            body.decode(candidate)
            return candidate
        except (UnicodeDecodeError, LookupError):
            continue
    return "latin-1"


# --- the ``rss`` family's source interface ------------------------------------------------

def first_request(platform: Platform, env: Mapping[str, str]) -> PageRequest:
    """Registry option ``link_pattern``: a regular expression item links must match (feeds
    that mix courses with articles, such as OpenLearn's)."""
    pattern = platform.options.get("link_pattern")
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise PageError(f"link_pattern {pattern!r} is not a regular expression: {exc}") from exc
    return PageRequest(platform.url, state={"link_pattern": pattern} if pattern else {})


def keep(draft: dict[str, Any], state: Mapping[str, Any]) -> bool:
    pattern = state.get("link_pattern")
    return not pattern or bool(re.search(pattern, draft.get("url") or ""))


def parse_page(text: str, request: PageRequest) -> Page:
    feed = parse_feed(text)
    drafts = [entry_draft(entry, feed) for entry in feed.entries]
    return Page([d for d in drafts if keep(d, request.state)], next_request(feed, request))
