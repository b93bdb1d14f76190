"""HTML pages: the main text, one block per paragraph or heading, and the page's metadata.

trafilatura finds the main text and the metadata (title, date, authors, site name).
Its own text rendering is not used: ``bare_extraction`` joins paragraphs with a single
newline, so the XML body it returns is rendered here instead (a blank line between
blocks, ``<br>`` as a newline, list items and table rows as lines).

Two things are done around trafilatura, both measured on the seeds wrapped as HTML
(see ``docs/readers.md``):

- NO-BREAK SPACE: trafilatura collapses every whitespace run with ``str.split()``,
  which turns the NBSP in "6 000" into a plain space. NBSPs next to a visible
  character are swapped for a stand-in character before extraction and put back after
  (a lone ``&nbsp;`` spacer still counts as whitespace).
- Fallback: when trafilatura finds no text, answers with its flat "baseline" dump
  (one ``<p>`` of newline-joined fragments, which splits "Ingress <b>fet</b> text"
  over three lines), or keeps less than :data:`MIN_ARTICLE_COVERAGE` of the text of
  the page's own ``<article>``/``<main>``, the page's visible text is taken instead
  (:mod:`.visible`). Boilerplate that lets in is removed later by the cleaning step,
  line by line with a reason; lost article text could never be recovered.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import date

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura import bare_extraction
from trafilatura.settings import Document

from ..errors import InputError
from ..records import DocumentHints, RawDocument
from .encoding import DecodeError, decode_bytes, normalize_newlines, repair_mojibake
from .text import binary_reason
from .visible import CELL_SEPARATOR, main_region, visible_text

# Largest page handed to the extractor: trafilatura's own MAX_FILE_SIZE. Real article
# pages are 50-500 KB; bigger ones are data dumps or single-page apps.
MAX_HTML_BYTES = 20_000_000

# Share of the visible text of the page's <article> (or <main>) that trafilatura's
# text must contain; below it the visible text is used instead. On the seeds wrapped
# as HTML trafilatura keeps 100 % once NBSPs are protected; an article trafilatura
# prunes to a third (comment-like <div>s, "related" boxes mistaken for the article)
# is a loss the cleaner cannot undo, while extra lines it can drop with a reason.
MIN_ARTICLE_COVERAGE = 0.6
# Paragraphs with more link text than this share are teasers, not article text, when
# coverage is measured.
MAX_LINK_SHARE = 0.5
_ARTICLE_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")

# A page title of fewer words is a placeholder ("index", a file name, the site name
# alone), not a headline: every headline in the seeds has four or more words.
MIN_HEADLINE_WORDS = 2

# Stands in for NO-BREAK SPACE during extraction: printable, not whitespace (so
# str.split() keeps "6⍽000" whole), and historically the glyph for a no-break space.
NBSP_STANDIN = "\u237d"
_WORD_NBSP = re.compile(r"(?<=\S)\u00a0|\u00a0(?=\S)")

# trafilatura options, passed as one dict. Its balanced mode: favor_recall and
# favor_precision keep exactly the same lines of the seeds (docs/readers.md), and the
# coverage fallback below is the recall safety net (the cleaning step removes
# boilerplate with evidence; what the extractor drops is lost).
TRAFILATURA_OPTIONS: dict[str, object] = {
    "with_metadata": True,
    "include_comments": False,  # reader comments are not the article
    "include_tables": True,
    "include_images": False,
    "include_formatting": False,  # bold/italic would come back as markdown ("**fet**")
    "include_links": False,
    "deduplicate": False,  # a byline printed twice is the cleaner's business
    # Only dates in markup (meta tags, <time>, JSON-LD, the URL): a date guessed from the
    # body text is the dates step's job, with its evidence.
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}

_PARSER = HTMLParser(remove_comments=True, remove_pis=True, no_network=True, collect_ids=False)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
# trafilatura block elements rendered as lines of one block rather than inline text.
_LINE_ELEMENTS = frozenset({"p", "item", "row", "head", "quote", "code", "list", "table", "div"})
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not \s: NO-BREAK SPACE is text


class NoText(ValueError):
    """The page cannot be read as text; the message says why."""


class EmptyPage(NoText):
    """The page parsed, but has no visible text (a script-only app shell, a redirect page)."""


@dataclass(slots=True)
class HtmlText:
    """What one page gave: its text, its metadata and how the text was found."""

    text: str
    hints: DocumentHints
    method: str


def wrap_text_as_html(text: str, title: str) -> str:
    """A text dump as a minimal HTML page: one ``<p>`` per blank-line-separated chunk,
    the chunk's lines joined by ``<br>`` (used by tests to check HTML and text agree)."""
    chunks = [c.strip("\n") for c in _BLANK_LINE.split(normalize_newlines(text)) if c.strip()]
    body = "\n".join("<p>" + "<br>".join(html_lib.escape(line, quote=False) for line in chunk.split("\n"))
                     + "</p>" for chunk in chunks)
    return (f'<html><head><meta charset="utf-8"><title>{html_lib.escape(title, quote=False)}</title></head>'
            f"<body><article>\n{body}\n</article></body></html>")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag within its first 4 KiB."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Page bytes to text: the HTTP charset, else the ``<meta>`` one, else detection."""
    reason = binary_reason(data)
    if reason:
        raise NoText(reason)
    return decode_bytes(data, charset or declared_charset(data))


def parse_html(markup: str) -> HtmlElement:
    markup = _XML_DECLARATION.sub("", markup, count=1)  # lxml refuses str input with one
    # Characters XML cannot hold (stray C0 controls, lone surrogates from a JSON string):
    # invisible in a browser, and lxml refuses any text holding them.
    markup = _NOT_XML_CHARS.sub("", markup)
    if not markup.strip():
        raise NoText("empty file")
    try:
        return document_fromstring(markup, parser=_PARSER)
    except etree.ParserError as err:
        raise NoText(f"not HTML: {err}") from err


def declared_language(tree: HtmlElement) -> str | None:
    """The primary language subtag the page declares (``<html lang>``, Content-Language, og:locale)."""
    candidates = [tree.get("lang"), tree.get("xml:lang")]
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("http-equiv") or meta.get("name") or meta.get("property") or "").lower()
        if key in ("content-language", "language", "dc.language", "og:locale"):
            candidates.append(meta.get("content"))
    for value in candidates:
        match = _LANGUAGE_TAG.match((value or "").strip().split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return None


def extract_html(markup: str, *, url: str | None = None, fast: bool = False) -> HtmlText:
    """Main text and metadata of one page; raises :class:`NoText` when it has no text."""
    tree = parse_html(markup)
    language = declared_language(tree)
    protected = NBSP_STANDIN not in markup
    if protected:
        _protect_nbsp(tree)
    doc = bare_extraction(tree, url=url, fast=fast, **TRAFILATURA_OPTIONS)  # copies the tree
    text = render_body(doc.body) if doc is not None and doc.body is not None else ""
    method = "trafilatura"
    why = _fallback_reason(doc, text, tree)  # both still carry the stand-ins
    if why:
        if protected:
            _restore_nbsp(tree)
        root = main_region(tree)
        if root is None:
            root = tree.find("body")
        text = visible_text(root if root is not None else tree)
        method = f"visible text ({why})"
    elif protected:
        text = text.replace(NBSP_STANDIN, "\u00a0")
    text = repair_mojibake(normalize_newlines(text)).strip("\n")
    if not text.strip():
        raise EmptyPage("no text in HTML")
    return HtmlText(text, _hints(doc, url, language, protected), method)


def read_html(data: bytes, uri: str, stem: str, *, charset: str | None = None, url: str | None = None,
              fast: bool = False) -> RawDocument:
    """One HTML page as a document; raises :class:`InputError` with the reason when it has no text."""
    if len(data) > MAX_HTML_BYTES:
        raise InputError(uri, f"HTML page of {len(data):,} bytes (limit {MAX_HTML_BYTES:,})")
    try:
        page = extract_html(decode_html(data, charset), url=url, fast=fast)
    except (NoText, DecodeError) as err:
        raise InputError(uri, str(err)) from err
    return RawDocument(uri=uri, text=page.text, kind="html", first_line=1, hints=page.hints, stem=stem)


def render_body(body: etree._Element) -> str:
    """trafilatura's XML body as text: blocks separated by a blank line, ``<lb/>`` as a newline."""
    blocks = []
    for child in body:
        lines = [" ".join(line.split()) for line in _element_text(child).split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            blocks.append(block)
    return "\n\n".join(blocks)


def _element_text(el: etree._Element) -> str:
    if el.tag == "graphic":
        return ""
    if el.tag == "row":
        return CELL_SEPARATOR.join(" ".join(_element_text(cell).split()) for cell in el if cell.tag == "cell")
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in _LINE_ELEMENTS:
            parts.append("\n" + _element_text(child) + "\n")
        else:
            parts.append(_element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _protect_nbsp(tree: HtmlElement) -> None:
    for el in tree.iter():
        if el.text and "\u00a0" in el.text:
            el.text = _WORD_NBSP.sub(NBSP_STANDIN, el.text)
        if el.tail and "\u00a0" in el.tail:
            el.tail = _WORD_NBSP.sub(NBSP_STANDIN, el.tail)


def _restore_nbsp(tree: HtmlElement) -> None:
    for el in tree.iter():
        if el.text and NBSP_STANDIN in el.text:
            el.text = el.text.replace(NBSP_STANDIN, "\u00a0")
        if el.tail and NBSP_STANDIN in el.tail:
            el.tail = el.tail.replace(NBSP_STANDIN, "\u00a0")


def _fallback_reason(doc: Document | None, text: str, tree: HtmlElement) -> str | None:
    """Why trafilatura's text should not be used, or None when it should."""
    if doc is None or not text.strip():
        return "trafilatura found no main text"
    body = doc.body
    if len(body) == 1 and body[0].tag == "p" and "\n" in (body[0].text or "") and len(body[0]) == 0:
        return "trafilatura gave its flat baseline dump"
    region = main_region(tree)
    if region is None:
        return None
    expected = _article_lines(region)
    total = sum(map(len, expected))
    if not total:
        return None
    got = " ".join(text.split())
    kept = sum(len(line) for line in expected if line in got)
    if kept < MIN_ARTICLE_COVERAGE * total:
        return f"trafilatura kept {kept / total:.0%} of the article text"
    return None


def _article_lines(region: HtmlElement) -> list[str]:
    """The lines of the region's paragraphs and headings, whitespace-normalised.

    Teaser lists, link-only paragraphs ("Läs också: …") and anything in a list item are
    left out: trafilatura is right to drop those, and counting them would send pages to
    the fallback for doing its job. A region without paragraphs counts all its text.
    """
    blocks = [el for el in region.iter(*_ARTICLE_BLOCK_TAGS)
              if not any(a.tag in ("li", "nav", "aside", "form") for a in el.iterancestors())]
    texts = []
    for el in blocks or [region]:
        text = visible_text(el)
        links = sum(len(a.text_content().strip()) for a in el.iter("a"))
        if text and links <= MAX_LINK_SHARE * len(text):
            texts.append(text)
    lines = (" ".join(line.split()) for text in texts for line in text.split("\n"))
    return [line for line in lines if line]


def _hints(doc: Document | None, url: str | None, language: str | None, protected: bool) -> DocumentHints:
    hints = DocumentHints(url=url, language=language)
    if doc is None:
        return hints

    def clean(value: str | None) -> str | None:
        if not value:
            return None
        if protected:
            value = value.replace(NBSP_STANDIN, "\u00a0")
        return _SPACES.sub(" ", value).strip(" ") or None

    title = clean(doc.title)
    if title and len(title.split()) >= MIN_HEADLINE_WORDS:
        hints.headline = title
    hints.url = url or clean(doc.url)
    outlet = clean(doc.sitename)
    # Without a declared site name trafilatura names the outlet after the URL's domain;
    # that is a guess the URL hint already carries, not the page's metadata.
    page_url = clean(doc.url) or ""
    if outlet and not ("." in outlet and " " not in outlet and outlet.lower() in page_url.lower()):
        hints.outlet = outlet
    author = clean(doc.author)
    hints.authors = [a.strip() for a in author.split(";") if a.strip()] if author else []
    published = doc.date
    if published:
        try:
            hints.published = date.fromisoformat(published[:10])
        except ValueError:
            pass  # htmldate returns ISO dates; anything else is not a date to trust
    return hints
