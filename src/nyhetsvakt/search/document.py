"""How a stored article becomes index columns, and a hit with its snippet.

Backend-neutral: any store that indexes the analyzer's terms uses these, so what is
indexed and what is highlighted always come from the same text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from .analyzer import index_text
from .hits import SearchHit
from .snippet import Matcher, make_snippet

__all__ = ["ALL_FACET", "COLUMNS", "COLUMN_WEIGHTS", "FACETS", "TEXT_COLUMNS", "build_hit", "facet_token",
           "index_columns", "record_columns", "snippet_source"]

# Index columns and their bm25 weights: a word in the headline counts most. `facets`
# holds filter tokens, never text, and weighs nothing.
COLUMNS = ("headline", "lead", "body", "facets")
TEXT_COLUMNS = COLUMNS[:3]
COLUMN_WEIGHTS = (4.0, 2.0, 1.0, 0.0)
# Filterable fields and the letter their tokens start with.
FACETS = {"language": "l", "outlet": "o", "story_id": "s"}
# In every article's facets: the match-everything term (for queries of exclusions only).
ALL_FACET = "all"


def facet_token(field: str, value: str) -> str:
    """The index token for ``field == value``: a letter and a hash, one token whatever the value."""
    return FACETS[field] + hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


def _facets(values: dict[str, Any]) -> str:
    return " ".join([ALL_FACET, *(facet_token(f, values[f]) for f in FACETS if values.get(f))])


def index_columns(headline: str | None, lead: str | None, blocks: Sequence[str], language: str | None,
                  facets: dict[str, Any]) -> tuple[str, str, str, str]:
    """The analysed text of each index column (``facets``: field → value, see :data:`FACETS`)."""
    return (index_text(headline, language), index_text(lead, language),
            index_text("\n".join(blocks), language), _facets(facets))


def record_columns(record: dict[str, Any]) -> tuple[str, str, str, str]:
    """:func:`index_columns` of a stored record (``Article.to_record()``)."""
    return index_columns(record.get("headline"), record.get("lead"),
                         [b["text"] for b in record.get("blocks") or []], record.get("language"), record)


def snippet_source(record: dict[str, Any]) -> str:
    """The text snippets are cut from: lead and blocks, one per line."""
    parts = [record["lead"]] if record.get("lead") else []
    parts.extend(b["text"] for b in record.get("blocks") or [])
    return "\n".join(parts)


def build_hit(record: dict[str, Any], key: str, score: float, matcher: Matcher) -> SearchHit:
    """A :class:`SearchHit` for a stored record, with snippet and highlights."""
    language = record.get("language")
    snippet = make_snippet(snippet_source(record), language, matcher)
    headline = record.get("headline")
    published = record.get("published")
    return SearchHit(
        id=record["id"], key=key, headline=headline, outlet=record.get("outlet"), language=language,
        published=date.fromisoformat(published) if published else None, score=score,
        snippet=snippet.text, highlights=snippet.highlights,
        headline_highlights=matcher.highlight(headline, language) if headline else [],
    )
