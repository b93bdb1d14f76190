"""Article text as HTML, with entities, quotes, sources and claims marked by their offsets.

The output contract gives character offsets into ``blocks[block].text``: entities
(``start``/``end``), quotes (``start``/``end`` and the speech verb ``cue_start``/``cue_end``),
source citations and claims (``start``/``end``). Spans nest (a name inside a quote) and may
cross (a citation that starts inside a quote and ends after it). :func:`render_block` cuts
the text at every span boundary and, for each piece, keeps open exactly the spans that
cover it, outermost first; a span crossing another is closed and reopened around it, so
the HTML is always well-formed. Every piece of text, and every attribute, is escaped:
article text is data, never markup. An offset outside its block (a partial record from
JSON Lines, say) is left out, not guessed.

Layers, outermost first: quote, source, claim, cue, entity. Each span carries a class
per layer (``hl-quote``, ``hl-source``, ``hl-claim``, ``hl-cue``, ``hl-ent``) and a
``title`` saying what it is, so a reader sees why on hover and the page's checkboxes can
switch a layer off.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

__all__ = ["Span", "article_spans", "render_block", "render_marked"]

LAYERS = ("quote", "source", "claim", "cue", "entity")
_RANK = {name: i for i, name in enumerate(LAYERS)}


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    layer: str
    css: str  # classes besides the layer's
    title: str
    href: str | None = None  # entities link to their page
    index: int = 0  # the item's position in its list (for the side panel's anchors)

    @property
    def order(self) -> tuple[int, int, int, int]:
        return (_RANK[self.layer], self.start, -self.end, self.index)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _valid(
    item: dict[str, Any], start_key: str, end_key: str, lengths: Sequence[int]
) -> tuple[int, int, int] | None:
    block, start, end = _int(item.get("block")), _int(item.get(start_key)), _int(item.get(end_key))
    if block is None or start is None or end is None or not 0 <= block < len(lengths):
        return None
    if not 0 <= start < end <= lengths[block]:
        return None
    return block, start, end


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def article_spans(record: dict[str, Any]) -> list[list[Span]]:
    """Spans per block from a contract dict (``Article.to_contract()``)."""
    blocks = record.get("blocks") or []
    lengths = [len(b.get("text") or "") for b in blocks]
    out: list[list[Span]] = [[] for _ in blocks]
    for i, e in enumerate(record.get("entities") or []):
        where = _valid(e, "start", "end", lengths)
        if where:
            eid = _text(e.get("entity_id"))
            title = f"{_text(e.get('type'))} · {_text(e.get('canonical') or e.get('text'))}"
            href = f"/entity/{quote(eid, safe='')}" if eid else None
            out[where[0]].append(
                Span(where[1], where[2], "entity", f"ent-{_text(e.get('type'))}", title, href, i)
            )
    for i, q in enumerate(record.get("quotes") or []):
        who = _text(q.get("speaker")) or "unknown speaker"
        details = ", ".join(
            x
            for x in (
                _text(q.get("kind")),
                _text(q.get("cue")),
                f"to {q['medium']}" if q.get("medium") else "",
            )
            if x
        )
        where = _valid(q, "start", "end", lengths)
        if where:
            out[where[0]].append(
                Span(
                    where[1],
                    where[2],
                    "quote",
                    f"quote-{_text(q.get('kind'))}",
                    f"quote · {who} ({details})",
                    None,
                    i,
                )
            )
        cue = _valid(q, "cue_start", "cue_end", lengths)
        if cue:
            out[cue[0]].append(Span(cue[1], cue[2], "cue", "", f"speech verb · {who}", None, i))
    for i, s in enumerate(record.get("sources") or []):
        where = _valid(s, "start", "end", lengths)
        if where:
            via = f", via {s['via']}" if s.get("via") else ""
            title = (
                f"source · {_text(s.get('canonical') or s.get('name'))} ({_text(s.get('type'))}, "
                f"cue “{_text(s.get('cue'))}”{via})"
            )
            out[where[0]].append(
                Span(where[1], where[2], "source", f"src-{_text(s.get('type'))}", title, None, i)
            )
    for i, c in enumerate(record.get("claims") or []):
        where = _valid(c, "start", "end", lengths)
        if where:
            status = _text(c.get("status"))
            source = _text(c.get("source")) or "the outlet"
            title = f"claim · {_text(c.get('value'))} {_text(c.get('unit'))} · {status} · {source}"
            if c.get("conflicts_with"):
                title += " · conflicts with another figure"
            out[where[0]].append(Span(where[1], where[2], "claim", f"status-{status}", title, None, i))
    return out


def _open(span: Span, inside_link: bool) -> str:
    classes = f"hl hl-{span.layer} {span.css}".strip()
    title = escape(span.title)
    if span.href and not inside_link:
        return f'<a class="{escape(classes)}" href="{escape(span.href)}" title="{title}">'
    return f'<span class="{escape(classes)}" title="{title}">'


def _close(span: Span, inside_link: bool) -> str:
    return "</a>" if span.href and not inside_link else "</span>"


def render_block(text: str, spans: Sequence[Span]) -> Markup:
    """``text`` escaped, with ``spans`` as nested, well-formed elements."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    if not spans:
        return Markup(escape(text))
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    stack: list[tuple[Span, bool]] = []  # open spans, and whether each sits inside a link
    for lo, hi in itertools.pairwise(cuts):
        active = sorted((s for s in spans if s.start <= lo and hi <= s.end), key=lambda s: s.order)
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep][0] is active[keep]:
            keep += 1
        while len(stack) > keep:
            span, inside = stack.pop()
            out.append(_close(span, inside))
        for span in active[keep:]:
            inside = any(s.href and not i for s, i in stack)
            out.append(_open(span, inside))
            stack.append((span, inside))
        out.append(str(escape(text[lo:hi])))
    while stack:
        span, inside = stack.pop()
        out.append(_close(span, inside))
    return Markup("".join(out))


def render_marked(text: str | None, ranges: Sequence[Sequence[int]]) -> Markup:
    """``text`` escaped with ``<mark>`` around each (start, end) range (search highlights)."""
    if not text:
        return Markup("")
    out: list[str] = []
    pos = 0
    for start, end in sorted((int(r[0]), int(r[1])) for r in ranges):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
