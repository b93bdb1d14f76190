"""Visible text of an HTML element, block by block: the fallback when trafilatura fails.

No boilerplate judgement here beyond dropping what a reader never sees as text
(scripts, styles, form controls, hidden elements, navigation): the cleaning step
removes boilerplate lines later, each with its reason. Block elements start a new
block, ``<br>`` starts a new line, inline elements run together, and whitespace
collapses as a browser collapses it, except NO-BREAK SPACE, which is text.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

# Never text: code, media, form controls, and the page's own navigation.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object", "embed",
    "video", "audio", "picture", "map", "head", "title", "meta", "link",
    "button", "input", "select", "option", "optgroup", "textarea", "label", "datalist", "output",
    "nav", "dialog",
})
# Page-level furniture, skipped unless inside an <article> (where a <footer> holds the byline).
PAGE_FURNITURE_TAGS = frozenset({"header", "footer", "aside"})
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "tfoot", "thead", "ul",
})
# A table row is one line of its table's block, its cells joined by CELL_SEPARATOR.
ROW_TAG = "tr"
CELL_TAGS = frozenset({"td", "th"})
CELL_SEPARATOR = " | "

_COLLAPSE = re.compile(r"[ \t\n\r\f\v]+")  # not \s: that would eat NO-BREAK SPACE
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _is_hidden(el: HtmlElement) -> bool:
    get = el.get
    return (get("hidden") is not None or get("aria-hidden") == "true"
            or bool(_HIDDEN_STYLE.search(get("style") or "")))


class _Blocks:
    """Accumulates lines and blocks as the walk goes."""

    def __init__(self) -> None:
        self.blocks: list[list[str]] = []
        self.lines: list[str] = []
        self.parts: list[str] = []

    def add(self, text: str | None, pre: bool = False) -> None:
        if not text:
            return
        if pre:
            first, *rest = text.split("\n")
            self.parts.append(first)
            for line in rest:
                self.newline()
                self.parts.append(line)
        else:
            self.parts.append(_COLLAPSE.sub(" ", text))

    def newline(self) -> None:
        line = "".join(self.parts).strip(" ")  # a leading NO-BREAK SPACE is text
        self.parts.clear()
        if line.strip():
            self.lines.append(line)

    def end_block(self) -> None:
        self.newline()
        if self.lines:
            self.blocks.append(self.lines)
            self.lines = []

    def text(self) -> str:
        self.end_block()
        return "\n\n".join("\n".join(lines) for lines in self.blocks)


def visible_text(root: HtmlElement) -> str:
    """The visible text under ``root``: blocks separated by a blank line, ``<br>`` as a newline."""
    out = _Blocks()
    pre_depth = 0
    in_article = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    skipped: set[int] = set()
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else None  # comments and processing instructions
        if event == "start":
            if tag is None:
                walker.skip_subtree()
                skipped.add(id(el))
                continue
            tag = tag.lower()
            if (tag in SKIP_TAGS or (tag in PAGE_FURNITURE_TAGS and not in_article)
                    or _is_hidden(el)) and el is not root:
                walker.skip_subtree()
                skipped.add(id(el))
                continue
            if tag in BLOCK_TAGS:
                out.end_block()
            elif tag == "br" or tag == ROW_TAG:
                out.newline()
            elif tag in CELL_TAGS and out.parts:
                out.parts.append(CELL_SEPARATOR)
            if tag == "pre":
                pre_depth += 1
            if tag == "article":
                in_article += 1
            out.add(el.text, pre_depth > 0)
        else:
            if id(el) in skipped:
                skipped.discard(id(el))
            elif tag is not None:
                tag = tag.lower()
                if tag in BLOCK_TAGS:
                    out.end_block()
                elif tag == ROW_TAG:
                    out.newline()
                if tag == "pre":
                    pre_depth -= 1
                if tag == "article":
                    in_article -= 1
            if el is not root:
                out.add(el.tail, pre_depth > 0)
    return out.text()


def main_region(tree: HtmlElement) -> HtmlElement | None:
    """The element a page marks as its main content: the longest ``<article>``, else ``<main>``."""
    articles = tree.xpath("//article[not(ancestor::article)]")
    if articles:
        return max(articles, key=lambda el: len(el.text_content()))
    found = tree.xpath("//main | //*[@role='main']")
    return found[0] if found else None
