"""Full-text search with Scandinavian stemming that keeps å, ä, ö, æ and ø apart.

- :mod:`.analyzer` — words, lowercasing, Snowball stemming per language pack;
- :mod:`.query` — the query syntax and its expansion into FTS5 expressions;
- :mod:`.snippet` — the best window and highlight offsets, in Python;
- :mod:`.document` — index columns and hits from stored records;
- :mod:`.hits` — :class:`SearchHit`.

The index lives in the store (:meth:`nyhetsvakt.store.Store.search`).
"""

from __future__ import annotations

from .analyzer import ANALYZER_VERSION, analyze, tokenize
from .hits import SearchHit
from .query import Query, Term, parse_query, render_fts5
from .snippet import Matcher, Snippet, make_snippet

__all__ = [
    "ANALYZER_VERSION",
    "Matcher",
    "Query",
    "SearchHit",
    "Snippet",
    "Term",
    "analyze",
    "make_snippet",
    "parse_query",
    "render_fts5",
    "tokenize",
]
