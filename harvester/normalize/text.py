"""HTML or plain text → clean plain text (descriptions) and one-line titles."""
from __future__ import annotations

import html
import re
import warnings
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString

from harvester.normalize._common import is_missing
from harvester.normalize.errors import Unparseable

MAX_HTML = 100_000  # characters of a description read; the rest is cut (the record keeps 20,000)
MAX_TITLE = 10_000  # a longer "title" is broken data

_DROP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "math"}
_PARAGRAPH = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre",
              "figure", "hr", "section", "article", "header", "footer", "aside", "main", "address",
              "details", "form", "fieldset"]
_LINE = ["div", "li", "dt", "dd", "tr", "caption", "figcaption", "summary", "center"]
_CELL = ["td", "th"]

# Markers put into the tree before its text is taken: a paragraph edge, a block
# edge (one line break however many meet), a <br> (two in a row make a paragraph).
_PARA, _BLOCK, _BR = "\ue000", "\ue001", "\ue002"
_MARKS_RE = re.compile(" ?([\ue000\ue001\ue002][ \ue000\ue001\ue002]*)")
_SPACE_RE = re.compile(r"[^\S\n]+")  # white space but line breaks
_ANY_SPACE_RE = re.compile(r"\s+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
# Zero-width characters, soft hyphens, and the markers above should a source contain them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad" + _PARA + _BLOCK + _BR))

# Text counts as HTML only with a tag that plain text would not have: a closing
# tag of a known element, or an element that needs none. "a<b and c>d" is text.
_KNOWN = _DROP | set(_PARAGRAPH + _LINE + _CELL) | {
    "a", "b", "i", "u", "s", "em", "strong", "span", "small", "big", "sub", "sup", "code", "abbr",
    "cite", "q", "mark", "font", "label", "html", "body", "title", "thead", "tbody", "tfoot", "nav",
    "video", "audio", "picture", "source", "button", "select", "option", "textarea", "strike", "del",
    "ins", "kbd", "var", "tt", "time", "meta", "link"}
_VOID = {"br", "hr", "img", "p", "li", "meta", "link", "source", "input", "wbr"}
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,15})(?:\s[^<>]*)?/?>|<!--")


def _looks_like_html(text: str) -> bool:
    for m in _TAG_RE.finditer(text):
        if m[0] == "<!--":
            return True
        name = m[2].lower()
        if (m[1] and name in _KNOWN) or name in _VOID:
            return True
    return False


def _soup_text(text: str, *, para: str, block: str, br: str, cell: str) -> str:
    """The text of an HTML fragment with a marker at each block edge.

    lxml parses (linear, where html.parser is quadratic on some broken input) and
    the tree is walked with an explicit stack, so deep nesting cannot overflow.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "lxml")
    marks = {**dict.fromkeys(_PARAGRAPH, para), **dict.fromkeys(_LINE, block), **dict.fromkeys(_CELL, cell)}
    out: list[str] = []
    stack: list = [soup]
    while stack:
        node = stack.pop()
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:  # not a comment, doctype, CDATA or ruby annotation
                out.append(node)
        elif isinstance(node, str):  # a marker pushed below
            out.append(node)
        elif node.name == "br":
            out.append(br)
        elif node.name not in _DROP:
            mark = marks.get(node.name)
            if mark:
                out.append(mark)
                stack.append(mark)
            stack.extend(reversed(node.contents))
    return "".join(out)


def _marks(m: re.Match) -> str:
    run = m[1]
    return "\n\n" if _PARA in run or run.count(_BR) > 1 else "\n"


def html_to_text(value: Any) -> str | None:
    """HTML (or plain text) → plain text: tags and scripts gone, entities decoded,
    blocks on their own lines, paragraphs apart by one blank line, spaces collapsed."""
    if is_missing(value):
        return None
    if not isinstance(value, str):
        raise Unparseable(value, "not a string")
    text = value[:MAX_HTML].translate(_INVISIBLE)
    if _looks_like_html(text):
        text = _soup_text(text, para=_PARA, block=_BLOCK, br=_BR, cell=" ")
        text = _ANY_SPACE_RE.sub(" ", text)  # source line breaks are only spaces in HTML
        text = _MARKS_RE.sub(_marks, text)
    else:  # plain text: its own line breaks are kept
        text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_RE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES_RE.sub("\n\n", text).strip()
    return text or None


def clean_title(value: Any) -> str | None:
    """A title on one line: entities decoded, tags removed, all white space collapsed."""
    if is_missing(value):
        return None
    if not isinstance(value, str):
        raise Unparseable(value, "not a string")
    if len(value) > MAX_TITLE:
        raise Unparseable(value, f"longer than {MAX_TITLE} characters")
    text = value.translate(_INVISIBLE)
    if _looks_like_html(text):
        text = _soup_text(text, para=" ", block=" ", br=" ", cell=" ")
    else:
        text = html.unescape(text)
    text = _ANY_SPACE_RE.sub(" ", text).strip()
    return text or None
