"""Split a document into articles, and each article into its fields.

A scraped dump holds articles laid out as::

    [listing date]        "30 jan 2026"            (optional, listing pages only)
    [outlet]              "Dagens PS"              (optional)
    headline
    [caption (Foto: …)]   [byline …]               (optional)
    published date line   "2026 01 30" / "Uppdaterad: … Publicerad: …"
    lead, paragraphs, subheadings, teasers, furniture …
    Foto: …  /  Text: …

The *anchor* of an article is its published-date line: a date line whose previous
non-blank line is a heading, a byline or a caption. Its header is read backwards
from the anchor; its body runs to the next article's header. Every line that is
not body text is kept in ``Article.dropped`` with the reason it was taken out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..langpacks import PackSet, load_packs
from ..records import Article, Block, DroppedLine, Provenance, RawDocument
from .lines import (
    CLOSING_QUOTES,
    HEADLINE_END,
    HEADLINE_MAX_CHARS,
    HEADLINE_MAX_WORDS,
    LIST_HEADER,
    SENTENCE_END,
    Line,
    LineKind,
    classify,
    is_heading_like,
    is_name_like,
    normalise_author,
    split_authors,
)

# How far back from a published-date line a header may reach (non-blank lines).
HEADER_MAX_LINES = 8
# Two blank lines in a row end an article's header walk: dumps separate articles so.
ARTICLE_GAP_BLANKS = 2
# A listing date this many days away from the published date is a contradiction
# (a listing page may show the date a day off because of time zones: seeds 003#3).
DATE_CONFLICT_TOLERANCE_DAYS = 1
# A body in which fewer than this share of lines follow a blank line is laid out one
# paragraph per line ("single" layout); there a blank line marks an inline teaser.
SINGLE_LAYOUT_BLANK_SHARE = 0.5

STEP = "segment"


@dataclass(slots=True)
class Span:
    """One article's lines: header [header_start, anchor], body (anchor, end)."""

    header_start: int | None
    anchor: int | None
    body_start: int
    end: int


def segment_document(doc: RawDocument, packs: PackSet | None = None) -> list[Article]:
    """The articles in one raw document (possibly none)."""
    packs = packs or load_packs()
    lines = [classify(t, i, doc.first_line + i, packs) for i, t in enumerate(doc.text.split("\n"))]
    if doc.kind == "article" and doc.hints.headline:
        spans = [Span(None, None, 0, len(lines))]
    else:
        spans = find_spans(lines)
        if doc.kind == "article" and len(spans) > 1:  # a JSON line is exactly one article
            spans = [Span(spans[0].header_start, spans[0].anchor, spans[0].body_start, len(lines))]
    many = len(spans) > 1 or doc.kind == "text"
    articles = []
    for n, span in enumerate(spans, 1):
        article = _build(doc, lines, span, f"{doc.stem}#{n}" if many else doc.stem, packs,
                         single=len(spans) == 1)
        if article is not None:
            articles.append(article)
    if articles and spans[0].header_start:
        _drop_preamble(articles[0], lines[: spans[0].header_start])
    return articles


def find_spans(lines: list[Line]) -> list[Span]:
    anchors = [(i, start) for i in range(len(lines)) if (start := _header_start(lines, i)) is not None]
    if not anchors:
        return [Span(None, None, 0, len(lines))]
    spans = []
    for k, (anchor, start) in enumerate(anchors):
        end = anchors[k + 1][1] if k + 1 < len(anchors) else len(lines)
        spans.append(Span(start, anchor, anchor + 1, end))
    return spans


def _header_start(lines: list[Line], i: int) -> int | None:
    """Where the header of the article anchored at date line ``i`` starts, or None if ``i`` is no anchor."""
    if lines[i].kind is not LineKind.DATE:
        return None
    start, seen, blanks, has_heading = i, 0, 0, False
    j = i - 1
    while j >= 0 and seen < HEADER_MAX_LINES:
        line = lines[j]
        if line.kind is LineKind.BLANK:
            blanks += 1
            if blanks >= ARTICLE_GAP_BLANKS:
                break
        elif line.kind is LineKind.DATE:
            if seen == 0:
                return None  # two date lines in a row: i is not under a headline
            start = j  # the listing date above the headline
            break
        elif line.kind is LineKind.CAPTION or (
            line.kind is LineKind.TEXT
            and (is_heading_like(line.text, HEADLINE_MAX_CHARS, HEADLINE_MAX_WORDS, HEADLINE_END)
                 or is_name_like(line.text))
        ) or (line.kind is LineKind.AUTHOR and not has_heading):
            # a byline stands between headline and date; above the headline it is the
            # previous article's footer, where the walk stops
            has_heading = has_heading or line.kind is LineKind.TEXT
            start, seen, blanks = j, seen + 1, 0
        else:
            break
        j -= 1
    return start if has_heading else None


def _build(doc: RawDocument, lines: list[Line], span: Span, article_id: str, packs: PackSet,
           single: bool) -> Article | None:
    first = span.header_start if span.header_start is not None else span.body_start
    nonblank = [ln for ln in lines[first: span.end] if ln.kind is not LineKind.BLANK]
    if not nonblank:
        return None
    art = Article(id=doc.hints.id or article_id,
                  source=Provenance(doc.uri, nonblank[0].number, nonblank[-1].number))
    art.url = doc.hints.url
    if span.anchor is not None:
        _read_header(art, lines, span, packs)
    _read_body(art, lines, span, packs, headline_hint=doc.hints.headline)
    _apply_hints(art, doc, single)
    if not art.headline and not art.blocks:
        return None
    if art.blocks and art.blocks[0].kind == "paragraph" and (art.headline or span.anchor is not None):
        art.lead = art.blocks[0].text
    _check_dates(art)
    return art


def _read_header(art: Article, lines: list[Line], span: Span, packs: PackSet) -> None:
    assert span.header_start is not None and span.anchor is not None
    anchor = lines[span.anchor]
    _take_dates(art, anchor)
    candidates: list[Line] = []
    for line in lines[span.header_start: span.anchor]:
        if line.kind is LineKind.DATE:
            art.listed = line.dates[0].value
            art.note(STEP, "listed", art.listed.isoformat(), cue=line.text, line=line.number)
        elif line.kind is LineKind.CAPTION:
            art.image_caption = line.payload
            art.photo_credit = art.photo_credit or line.credit
            art.note(STEP, "image_caption", line.payload, cue=line.text, line=line.number)
        elif line.kind is LineKind.AUTHOR:
            _add_authors(art, split_authors(line.payload, packs), line, packs)
            art.dropped.append(DroppedLine(line.number, line.text, "byline"))
        elif line.kind is LineKind.TEXT:
            candidates.append(line)
    if not candidates:
        return
    # The headline is the plain (not name-like) line nearest the date; plain lines further
    # up are kickers or page furniture ("Fler artiklar om …"), kept as dropped "header".
    plain = [c for c in candidates if not is_name_like(c.text)]
    headline = plain[-1] if plain else candidates[-1]
    art.headline = headline.text
    art.note(STEP, "headline", headline.text, line=headline.number)
    for c in candidates:
        if c is headline:
            continue
        if c.index < headline.index and is_name_like(c.text) and art.outlet is None:
            art.outlet = c.text
            art.note(STEP, "outlet", c.text, cue="name line above the headline", line=c.number)
        elif c.index > headline.index and is_name_like(c.text):
            _add_authors(art, [c.text], c, packs)
        else:
            art.dropped.append(DroppedLine(c.number, c.text, "header"))


def _take_dates(art: Article, line: Line) -> None:
    for m in line.dates:
        if m.label == "updated":
            if art.updated is None:
                art.updated = m.value
                art.note(STEP, "updated", m.value.isoformat(), cue=m.text, line=line.number)
        elif art.published is None:
            art.published = m.value
            art.note(STEP, "published", m.value.isoformat(), cue=m.text, line=line.number)


def _add_authors(art: Article, names: list[str], line: Line, packs: PackSet) -> None:
    for name in names:
        canonical = normalise_author(name, packs)
        if canonical not in art.authors:
            art.authors.append(canonical)
            art.note(STEP, "authors", canonical, cue=name, line=line.number)


def _read_body(art: Article, lines: list[Line], span: Span, packs: PackSet,
               headline_hint: str | None) -> None:
    body = lines[span.body_start: span.end]
    text_lines = [ln for ln in body if ln.kind is not LineKind.BLANK]
    after_blank = sum(1 for k, ln in enumerate(body) if k and ln.kind is not LineKind.BLANK
                      and body[k - 1].kind is LineKind.BLANK)
    single_layout = len(text_lines) > 2 and after_blank < SINGLE_LAYOUT_BLANK_SHARE * (len(text_lines) - 1)

    headline_index = -1
    if span.anchor is None and art.headline is None:
        headline_index = _headline_from_first_line(art, body, headline_hint)

    def drop(line: Line, reason: str) -> None:
        art.dropped.append(DroppedLine(line.number, line.text, reason))

    # After a "Läs också:" line (or a "Mest läst" list heading) its titles follow, maybe after
    # one blank line, until a blank line. list_reason says what the titles are.
    teaser_list, teaser_items, list_reason = False, 0, "teaser"
    prev: Line | None = None
    for k, line in enumerate(body):
        kind = line.kind
        blank_before = prev is None or prev.kind is LineKind.BLANK
        if teaser_list and kind is not LineKind.BLANK and not (
                kind is LineKind.TEXT and is_heading_like(line.text, ends=HEADLINE_END)):
            teaser_list = False  # the list ends at the first line that is not one of its titles
        if kind is LineKind.BLANK:
            teaser_list = teaser_list and not teaser_items
        elif line.index == headline_index:
            pass  # the headline line itself (documents without a date anchor)
        elif teaser_list and kind is LineKind.TEXT and is_heading_like(line.text, ends=HEADLINE_END):
            teaser_items += 1
            if list_reason == "teaser":
                art.related.append(line.text)
            drop(line, list_reason)
        elif kind is LineKind.BOILERPLATE:
            if line.payload == LIST_HEADER:
                teaser_list, teaser_items, list_reason = True, 0, "boilerplate"
            drop(line, "boilerplate")
        elif kind is LineKind.TEASER:
            art.related.append(line.payload)
            drop(line, "teaser")
        elif kind is LineKind.TEASER_HEADER:
            teaser_list, teaser_items, list_reason = True, 0, "teaser"
            drop(line, "teaser")
        elif kind is LineKind.PHOTO:
            if art.photo_credit is None:
                art.photo_credit = line.payload
                art.note(STEP, "photo_credit", line.payload, cue=line.text, line=line.number)
            drop(line, "photo_credit")
        elif kind is LineKind.AUTHOR:
            _add_authors(art, split_authors(line.payload, packs), line, packs)
            drop(line, "byline")
        elif kind is LineKind.CAPTION:
            if art.image_caption is None:
                art.image_caption = line.payload
                art.photo_credit = art.photo_credit or line.credit
            drop(line, "image_caption")
        elif kind is LineKind.DATE:
            _take_dates(art, line)
            drop(line, "date")
        elif is_heading_like(line.text) and not _wrapped_below(body, k):
            if single_layout and blank_before and art.blocks and _looks_like_teaser(line.text):
                art.related.append(line.text)
                drop(line, "inline_teaser")
            else:
                art.blocks.append(Block("subheading", line.text, line.number))
        elif _continues(art, prev, line):
            art.blocks[-1].text += " " + line.text
        else:
            art.blocks.append(Block("paragraph", line.text, line.number))
        prev = line


def _looks_like_teaser(text: str) -> bool:
    """Inline teasers title another story as "Topic: quote" or with a quotation."""
    return ": " in text or any(q in text for q in "«»“”\"")


def _wrapped_below(body: list[Line], k: int) -> bool:
    """The next line goes on in lower case with no blank between: ``body[k]`` starts a wrapped paragraph."""
    nxt = body[k + 1] if k + 1 < len(body) else None
    return nxt is not None and nxt.kind is LineKind.TEXT and nxt.text[:1].islower()


def _continues(art: Article, prev: Line | None, line: Line) -> bool:
    """A hard-wrapped paragraph: no blank between, no sentence end before, lower case after."""
    if prev is None or prev.kind is not LineKind.TEXT or not art.blocks:
        return False
    last = art.blocks[-1]
    return (last.kind == "paragraph" and last.line <= prev.number
            and prev.text.rstrip(CLOSING_QUOTES)[-1:] not in SENTENCE_END and line.text[:1].islower())


def _headline_from_first_line(art: Article, body: list[Line], hint: str | None) -> int:
    """Without a date anchor, a leading heading-like line over a paragraph is the headline.

    Returns the index of the headline line, or -1.
    """
    text_lines = [ln for ln in body if ln.kind is LineKind.TEXT][:2]
    if not text_lines:
        return -1
    first = text_lines[0]
    if (first.text == hint) if hint else (
        len(text_lines) == 2 and is_heading_like(first.text) and not is_heading_like(text_lines[1].text)
    ):
        art.headline = first.text
        art.note(STEP, "headline", first.text, cue="first line", line=first.number)
        return first.index
    return -1


def _apply_hints(art: Article, doc: RawDocument, single: bool) -> None:
    """What the container knew about the document.

    JSON Lines fields are the exporter's word and win over the text. Page metadata (HTML
    title, meta dates) only fills gaps, and only when the page holds one article: a listing
    page's title is not the headline of each article on it.
    """
    hints = doc.hints
    authoritative = doc.kind == "article"
    if not (authoritative or single):
        return
    for name in ("headline", "published", "updated", "outlet", "language"):
        value = getattr(hints, name)
        current = getattr(art, name)
        if value is None or value == current or (current is not None and not authoritative):
            continue
        setattr(art, name, value)
        art.note(STEP, name, value.isoformat() if isinstance(value, date) else value, cue="input metadata")
    for author in hints.authors:
        if author not in art.authors and (authoritative or not art.authors):
            art.authors.append(author)


def _check_dates(art: Article) -> None:
    reasons = []
    if art.listed and art.published and abs((art.listed - art.published).days) > DATE_CONFLICT_TOLERANCE_DAYS:
        reasons.append(f"listed {art.listed} vs published {art.published}")
    if art.updated and art.published and art.updated < art.published:
        reasons.append(f"updated {art.updated} before published {art.published}")
    if reasons:
        art.date_conflict = True
        art.note(STEP, "date_conflict", True, cue="; ".join(reasons))


def _drop_preamble(art: Article, lines: list[Line]) -> None:
    art.dropped[:0] = [DroppedLine(ln.number, ln.text, "preamble")
                       for ln in lines if ln.kind is not LineKind.BLANK]
