"""Read-only queries the web pages need and the store does not offer (yet).

Plain SQL on the SQLite store's connection, against the tables of schema 1-5
(``store/migrations``). Each one is bounded (a ``LIMIT``, or a sample of the newest
articles) so a page over a million articles stays quick. Candidates for the store
interface once a second backend needs them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..api import NewsArchive
from ..errors import StoreError
from ..store import ArticleFilter
from ..store import sqlite_sql as sql

__all__ = [
    "ENTITY_ID",
    "ArticleRow",
    "EntityDetail",
    "SourceClaims",
    "article_rows",
    "citation_matrix",
    "claims_by_source",
    "copies_of",
    "entity_article_ids",
    "entity_detail",
    "entity_name_of",
    "outlet_names",
    "story_member_ids",
    "story_members",
    "story_summary",
]

# The shape of an entity id (nyhetsvakt.attribution.entities.entity_id_for).
ENTITY_ID = re.compile(r"^e[0-9a-f]{12}$")
# Articles of a story listed on its page (its timeline and graph count them all).
STORY_ARTICLES = 500
# Co-occurring entities are counted over this many of the newest articles naming the entity.
COOCCURRENCE_SAMPLE = 2000
# Articles an entity filter may match (newest first); a search narrower than that is exact.
ENTITY_FILTER_MAX = 20_000

# The day a story record dates an article by (stories.record._day): published, else
# listed, else updated.
_DAY = (
    "coalesce(nullif(a.published, ''), json_extract(r.record, '$.listed'), "
    "json_extract(r.record, '$.updated'))"
)


def connection(archive: NewsArchive) -> sqlite3.Connection:
    conn = getattr(archive.store, "conn", None)
    if not isinstance(conn, sqlite3.Connection):
        raise StoreError("this page needs the SQLite store")
    return conn


@dataclass(slots=True)
class ArticleRow:
    """An article as a list shows it."""

    id: str
    day: str | None
    language: str | None
    outlet: str | None
    headline: str | None
    duplicate_of: str | None = None
    story_id: str | None = None


# Orders below are written "+a.published": the unary plus keeps SQLite from walking the
# publication-date index to avoid a sort, which for a filter matching few rows means
# reading the whole index (250 ms at 100k articles) instead of sorting a handful.


def _rows(
    conn: sqlite3.Connection, where: str, params: tuple[Any, ...], order: str, limit: int
) -> list[ArticleRow]:
    query = (
        f"SELECT a.id, {_DAY}, a.language, a.outlet, json_extract(r.record, '$.headline'), "
        f"a.duplicate_of, a.story_id FROM articles AS a JOIN article_records AS r ON r.doc = a.doc "
        f"WHERE {where} ORDER BY {order} LIMIT ?"
    )
    return [ArticleRow(*row) for row in conn.execute(query, (*params, limit))]


def story_members(archive: NewsArchive, story_id: str, limit: int = STORY_ARTICLES) -> list[ArticleRow]:
    """The story's articles, oldest first (undated last).

    Read from ``articles.story_id``, which the store keeps current; not through the
    search index, whose story facet is written once when an article is stored.
    """
    return _rows(connection(archive), "a.story_id = ?", (story_id,), f"{_DAY} IS NULL, {_DAY}, a.doc", limit)


def story_member_ids(archive: NewsArchive, story_id: str, limit: int = ENTITY_FILTER_MAX) -> list[str]:
    rows = connection(archive).execute(
        "SELECT id FROM articles WHERE story_id = ? LIMIT ?", (story_id, limit)
    )
    return [r[0] for r in rows]


def article_rows(archive: NewsArchive, ids: list[str]) -> list[ArticleRow]:
    """Rows of the given articles, in the given order (unknown ids left out)."""
    if not ids:
        return []
    found = {
        r.id: r
        for r in _rows(
            connection(archive),
            "a.id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
            "a.doc",
            len(ids),
        )
    }
    return [found[i] for i in ids if i in found]


def copies_of(archive: NewsArchive, article_id: str, limit: int = 50) -> list[ArticleRow]:
    """Stored copies of an article (``duplicate_of`` pointing at it)."""
    return _rows(connection(archive), "a.duplicate_of = ?", (article_id,), "+a.published, a.doc", limit)


def entity_article_ids(archive: NewsArchive, entity_id: str, limit: int = ENTITY_FILTER_MAX) -> list[str]:
    """Ids of the newest articles naming the entity (for the search filter)."""
    rows = connection(archive).execute(
        "SELECT a.id FROM articles AS a WHERE a.doc IN "
        "(SELECT doc FROM entity_mentions WHERE entity_id = ?) ORDER BY +a.published DESC LIMIT ?",
        (entity_id, limit),
    )
    return [r[0] for r in rows]


@dataclass(slots=True)
class EntityDetail:
    entity_id: str
    canonical: str
    type: str
    mentions: int
    articles: int
    variants: list[tuple[str, int]] = field(default_factory=list)
    # (month "YYYY-MM" or None for undated, language or None, articles)
    months: list[tuple[str | None, str | None, int]] = field(default_factory=list)
    stories: list[dict[str, Any]] = field(default_factory=list)
    cooccurring: list[dict[str, Any]] = field(default_factory=list)
    recent: list[ArticleRow] = field(default_factory=list)
    cited_as_source: int = 0
    sample: int = 0  # articles the co-occurrence counts were taken over


def entity_detail(archive: NewsArchive, entity_id: str) -> EntityDetail | None:
    conn = connection(archive)
    head = conn.execute(
        "SELECT count(*), count(DISTINCT doc) FROM entity_mentions WHERE entity_id = ?", (entity_id,)
    ).fetchone()
    if not head or not head[0]:
        return None
    names = conn.execute(
        "SELECT canonical, type, count(*) FROM entity_mentions WHERE entity_id = ? GROUP BY canonical, type",
        (entity_id,),
    ).fetchall()
    canonical = max(names, key=lambda r: (len(r[0]), r[2]))[0]
    types: Counter[str] = Counter()
    for _, etype, n in names:
        types[etype] += n
    detail = EntityDetail(entity_id, canonical, types.most_common(1)[0][0], head[0], head[1])
    detail.variants = [
        (t, n)
        for t, n in conn.execute(
            "SELECT text, count(*) FROM entity_mentions WHERE entity_id = ? GROUP BY text "
            "ORDER BY count(*) DESC, text LIMIT 50",
            (entity_id,),
        )
    ]
    detail.months = [
        (m or None, lang, n)
        for m, lang, n in conn.execute(
            "SELECT substr(a.published, 1, 7) AS month, a.language, count(*) FROM articles AS a "
            "WHERE a.doc IN (SELECT doc FROM entity_mentions WHERE entity_id = ?) "
            "GROUP BY month, a.language ORDER BY month",
            (entity_id,),
        )
    ]
    detail.stories = [
        {
            "story_id": sid,
            "title": title,
            "first_seen": fs or None,
            "last_seen": ls or None,
            "size": size,
            "articles": n,
        }
        for sid, title, fs, ls, size, n in conn.execute(
            "SELECT s.story_id, s.title, s.first_seen, s.last_seen, s.size, count(*) FROM articles AS a "
            "JOIN stories AS s ON s.story_id = a.story_id "
            "WHERE a.doc IN (SELECT doc FROM entity_mentions WHERE entity_id = ?) "
            "GROUP BY s.story_id ORDER BY count(*) DESC, s.last_seen DESC LIMIT 30",
            (entity_id,),
        )
    ]
    sample = conn.execute(
        "SELECT DISTINCT doc FROM entity_mentions WHERE entity_id = ? ORDER BY doc DESC LIMIT ?",
        (entity_id, COOCCURRENCE_SAMPLE),
    ).fetchall()
    detail.sample = len(sample)
    docs = json.dumps([d for (d,) in sample])
    detail.cooccurring = [
        {"entity_id": eid, "name": name, "type": etype, "articles": n}
        for eid, name, etype, n in conn.execute(
            "SELECT entity_id, max(canonical), max(type), count(DISTINCT doc) FROM entity_mentions "
            "WHERE doc IN (SELECT value FROM json_each(?)) AND entity_id != ? "
            "GROUP BY entity_id ORDER BY count(DISTINCT doc) DESC, max(canonical) LIMIT 20",
            (docs, entity_id),
        )
    ]
    detail.recent = _rows(
        conn,
        "a.doc IN (SELECT doc FROM entity_mentions WHERE entity_id = ?)",
        (entity_id,),
        "+a.published DESC, a.doc DESC",
        20,
    )
    detail.cited_as_source = conn.execute(
        "SELECT count(*) FROM source_citations WHERE entity_id = ?", (entity_id,)
    ).fetchone()[0]
    return detail


def entity_name_of(archive: NewsArchive, entity_id: str) -> str | None:
    row = (
        connection(archive)
        .execute(
            "SELECT canonical FROM entity_mentions WHERE entity_id = ? "
            "ORDER BY length(canonical) DESC LIMIT 1",
            (entity_id,),
        )
        .fetchone()
    )
    return row[0] if row else None


def outlet_names(archive: NewsArchive, limit: int = 1000) -> list[str]:
    """Outlet names (for the search form's suggestions), read from the outlet index."""
    rows = connection(archive).execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet LIMIT ?", (limit,)
    )
    return [r[0] for r in rows]


def story_summary(archive: NewsArchive, story_id: str) -> dict[str, Any] | None:
    """A story's title and size, without its record (which holds every quote and claim)."""
    row = (
        connection(archive)
        .execute("SELECT title, size FROM stories WHERE story_id = ?", (story_id,))
        .fetchone()
    )
    return {"id": story_id, "title": row[0], "size": row[1]} if row else None


def _filter_sql(filters: ArticleFilter) -> tuple[str, list[Any]]:
    where, params = sql.filter_clauses(filters)
    return (" AND " + " AND ".join(where) if where else ""), params


def citation_matrix(
    archive: NewsArchive, filters: ArticleFilter, sources: list[str], outlets: int = 12
) -> tuple[list[str | None], dict[tuple[str | None, str], int]]:
    """Which outlets cite the given sources (by canonical name) and how often: the
    ``outlets`` outlets citing them most, and ``{(outlet, source): citations}``."""
    if not sources:
        return [], {}
    where, params = _filter_sql(filters)
    rows = (
        connection(archive)
        .execute(
            "SELECT a.outlet, s.canonical, count(*) "
            "FROM source_citations AS s JOIN articles AS a ON a.doc = s.doc "
            f"WHERE s.canonical IN (SELECT value FROM json_each(?)) {where} GROUP BY a.outlet, s.canonical",
            (json.dumps(sources), *params),
        )
        .fetchall()
    )
    cells = {(outlet, source): n for outlet, source, n in rows}
    per_outlet: Counter[str | None] = Counter()
    for (outlet, _), n in cells.items():
        per_outlet[outlet] += n
    top = [o for o, _ in sorted(per_outlet.items(), key=lambda kv: (-kv[1], kv[0] or ""))[:outlets]]
    return top, {k: v for k, v in cells.items() if k[0] in top}


@dataclass(slots=True)
class SourceClaims:
    """The claims resting on one source, by status."""

    source: str
    claims: int
    unverified: int
    hedged: int
    denied: int
    conflicts: int


def claims_by_source(
    archive: NewsArchive, filters: ArticleFilter, limit: int = 30
) -> tuple[dict[str, int], list[SourceClaims]]:
    """Claim counts by status over everything, and per source (most unverified first).

    A claim with status ``unverified`` rests on its one source and was said, in the
    article, not to be confirmed ("Uppgifterna har inte kunnat bekräftas").
    """
    conn = connection(archive)
    where, params = _filter_sql(filters)
    totals = dict(
        conn.execute(
            "SELECT c.status, count(*) FROM claims AS c JOIN articles AS a ON a.doc = c.doc "
            f"WHERE 1 = 1 {where} GROUP BY c.status",
            params,
        ).fetchall()
    )
    rows = conn.execute(
        "SELECT min(c.source), count(*), sum(c.status = 'unverified'), sum(c.status = 'hedged'), "
        "sum(c.status = 'denied'), sum(c.conflict) FROM claims AS c JOIN articles AS a ON a.doc = c.doc "
        f"WHERE c.source_key IS NOT NULL {where} GROUP BY c.source_key "
        "ORDER BY sum(c.status = 'unverified') DESC, count(*) DESC, min(c.source) LIMIT ?",
        (*params, limit),
    ).fetchall()
    return totals, [SourceClaims(*row) for row in rows]
