"""How the SQLite store finds matches in its FTS5 index, fast at a million articles.

Every search is one FTS5 expression that FTS5 evaluates on its own posting lists:

- the query's terms, restricted to the text columns (headline, lead, body);
- language, outlet and story filters as tokens of the ``facets`` column
  (:func:`~nyhetsvakt.search.document.facet_token`), so a filter on a small outlet
  skips through the posting lists instead of looking up every match's row;
- date filters as a rowid range: the rowid is ``(publication day << 32) | doc``
  (:func:`search_rowid`).

FTS5 walks matches in rowid order, newest first, so

- *by date* stops after one page (the cursor is the last rowid);
- *by relevance* ranks with bm25 the :data:`RANK_WINDOW` newest matches. bm25 costs
  about 2 µs a row: ranking every match of a word found in most of a million articles
  would take seconds. Queries with fewer matches are ranked exactly; older matches of
  very common words are reached by date order or a narrower query.

The few other filters (source uri, content hash, ids) join the articles table.
Undated articles have day 0: last by date.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from ..search.document import ALL_FACET, TEXT_COLUMNS, facet_token
from . import sqlite_sql as sql
from .dialect import SQLITE, filter_clauses
from .filters import ArticleFilter
from .sqlstore import Match

__all__ = ["DOC_BITS", "RANK_WINDOW", "Match", "doc_of", "find_matches", "match_expression", "search_rowid"]

DOC_BITS = 32
DOC_MASK = (1 << DOC_BITS) - 1
# Matches ranked by relevance, newest first: about 10 ms of bm25 on a 2-core machine
# (benchmarks/search.py). Every query with fewer matches is ranked exactly.
RANK_WINDOW = 4000

_TEXT = "{" + " ".join(TEXT_COLUMNS) + "}"


def search_rowid(published: str, doc: int) -> int:
    """The FTS rowid of an article: publication day (0 if unknown) above its row number."""
    day = date.fromisoformat(published).toordinal() if published else 0
    return (day << DOC_BITS) | doc


def doc_of(rowid: int) -> int:
    return rowid & DOC_MASK


def match_expression(positive: str | None, negative: str | None, f: ArticleFilter) -> str:
    """The FTS5 expression: text terms in the text columns, filter tokens in ``facets``."""
    parts = [f"{_TEXT} : ({positive})"] if positive else []
    for field, value in (("language", f.language), ("outlet", f.outlet), ("story_id", f.story)):
        if value is not None:
            parts.append(f'facets : "{facet_token(field, value)}"')
    if not parts:
        parts.append(f'facets : "{ALL_FACET}"')
    expression = " AND ".join(parts)
    if negative:
        expression = f"({expression}) NOT ({_TEXT} : ({negative}))"
    return expression


def _conditions(f: ArticleFilter) -> tuple[str, list[str], list[Any]]:
    """JOIN clause and SQL conditions for what the expression does not cover."""
    where: list[str] = []
    params: list[Any] = []
    if f.since is not None:
        where.append("article_search.rowid >= ?")
        params.append(f.since.toordinal() << DOC_BITS)
    if f.until is not None:
        where.append("article_search.rowid >= ? AND article_search.rowid < ?")
        params.extend((1 << DOC_BITS, (f.until.toordinal() + 1) << DOC_BITS))
    rest = ArticleFilter(source_uri=f.source_uri, content_hash=f.content_hash, ids=f.ids)
    join = ""
    if not rest.empty:
        join = f"JOIN articles AS a ON a.doc = (article_search.rowid & {DOC_MASK})"
        more, more_params = filter_clauses(rest, SQLITE)
        where += more
        params += more_params
    return join, where, params


def _where(where: list[str]) -> str:
    return " AND ".join(["article_search MATCH ?", *where])


def _by_relevance(conn: sqlite3.Connection, expression: str, f: ArticleFilter, after: list[Any] | None,
                  limit: int) -> list[Match]:
    join, where, params = _conditions(f)
    inner = (f"SELECT article_search.rowid AS rid, bm25(article_search, {sql.WEIGHTS}) AS score "
             f"FROM article_search {join} WHERE {_where(where)} "
             f"ORDER BY article_search.rowid DESC LIMIT {RANK_WINDOW}")
    args: list[Any] = [expression, *params]
    page = ""
    if after:
        page = "WHERE (score, rid) > (?, ?)"
        args += after
    query = f"SELECT rid, score FROM ({inner}) {page} ORDER BY score, rid LIMIT ?"
    rows = conn.execute(query, (*args, limit)).fetchall()
    # bm25 is negative, lower is better; the score shown is its negation.
    return [Match(doc_of(rid), -score, [score, rid]) for rid, score in rows]


def _by_date(conn: sqlite3.Connection, expression: str, f: ArticleFilter, after: list[Any] | None,
             limit: int) -> list[Match]:
    join, where, params = _conditions(f)
    if after:
        where.append("article_search.rowid < ?")
        params.append(after[0])
    # No bm25 here: its first call counts every match of every phrase (for IDF), which
    # for a common phrase costs more than the whole page.
    query = (f"SELECT article_search.rowid FROM article_search {join} "
             f"WHERE {_where(where)} ORDER BY article_search.rowid DESC LIMIT ?")
    rows = conn.execute(query, (expression, *params, limit)).fetchall()
    return [Match(doc_of(rid), 0.0, [rid]) for (rid,) in rows]


def find_matches(conn: sqlite3.Connection, positive: str | None, negative: str | None, f: ArticleFilter,
                 order: str, after: list[Any] | None, limit: int) -> list[Match]:
    """Up to ``limit`` matches in ``order`` after the cursor key (a query of exclusions
    only has no relevance: it is always newest first)."""
    expression = match_expression(positive, negative, f)
    if order == "relevance" and positive:
        return _by_relevance(conn, expression, f, after, limit)
    return _by_date(conn, expression, f, after, limit)
