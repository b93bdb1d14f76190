"""What the web pages browse: article rows, a story's members, an entity's page, citation
and claim tables. Read-only queries against the tables of schema 1-5, shared by the SQL
stores through a :class:`~.dialect.Db`.

Each one is bounded (a ``LIMIT``, or a sample of the newest articles) so a page over a
million articles stays quick.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .dialect import Db, filter_clauses
from .filters import ArticleFilter

__all__ = [
    "COOCCURRENCE_SAMPLE",
    "ENTITY_FILTER_MAX",
    "STORY_ARTICLES",
    "ArticleRow",
    "EntityDetail",
    "SourceClaims",
]

# Articles of a story listed on its page (its timeline and graph count them all).
STORY_ARTICLES = 500
# Co-occurring entities are counted over this many of the newest articles naming the entity.
COOCCURRENCE_SAMPLE = 2000
# Articles an entity filter may match (newest first); a search narrower than that is exact.
ENTITY_FILTER_MAX = 20_000


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


@dataclass(slots=True)
class SourceClaims:
    """The claims resting on one source, by status."""

    source: str
    claims: int
    unverified: int
    hedged: int
    denied: int
    conflicts: int


def _day(db: Db) -> str:
    """The day a story record dates an article by (stories.record._day): published, else
    listed, else updated."""
    d = db.dialect
    listed, updated = d.field("r.record", "listed"), d.field("r.record", "updated")
    return f"coalesce(nullif(a.published, ''), {listed}, {updated})"


# Orders below use dialect.unindexed("a.published"): SQLite's unary plus keeps it from
# walking the publication-date index to avoid a sort, which for a filter matching few rows
# means reading the whole index (250 ms at 100k articles) instead of sorting a handful.


def _rows(db: Db, where: str, params: tuple[Any, ...], order: str, limit: int) -> list[ArticleRow]:
    query = (
        f"SELECT a.id, {_day(db)}, a.language, a.outlet, {db.dialect.field('r.record', 'headline')}, "
        f"a.duplicate_of, a.story_id FROM articles AS a JOIN article_records AS r ON r.doc = a.doc "
        f"WHERE {where} ORDER BY {order} LIMIT ?"
    )
    return [ArticleRow(*row) for row in db.execute(query, (*params, limit)).fetchall()]


def _published(db: Db) -> str:
    return db.dialect.unindexed.format(expr="a.published")


def story_members(db: Db, story_id: str, limit: int = STORY_ARTICLES) -> list[ArticleRow]:
    """The story's articles, oldest first (undated last).

    Read from ``articles.story_id``, which the store keeps current; not through the
    search index, whose story facet is written once when an article is stored.
    """
    day = _day(db)
    return _rows(db, "a.story_id = ?", (story_id,), f"{day} IS NULL, {day}, a.doc", limit)


def story_member_ids(db: Db, story_id: str, limit: int = ENTITY_FILTER_MAX) -> list[str]:
    rows = db.execute("SELECT id FROM articles WHERE story_id = ? ORDER BY doc LIMIT ?", (story_id, limit))
    return [r[0] for r in rows.fetchall()]


def article_rows(db: Db, ids: Sequence[str]) -> list[ArticleRow]:
    """Rows of the given articles, in the given order (unknown ids left out)."""
    if not ids:
        return []
    d = db.dialect
    found = {r.id: r for r in _rows(db, d.in_("a.id"), (d.list_param(ids),), "a.doc", len(ids))}
    return [found[i] for i in ids if i in found]


def copies_of(db: Db, article_id: str, limit: int = 50) -> list[ArticleRow]:
    """Stored copies of an article (``duplicate_of`` pointing at it)."""
    return _rows(db, "a.duplicate_of = ?", (article_id,), f"{_published(db)}, a.doc", limit)


def entity_article_ids(db: Db, entity_id: str, limit: int = ENTITY_FILTER_MAX) -> list[str]:
    """Ids of the newest articles naming the entity (for the search filter)."""
    rows = db.execute(
        "SELECT a.id FROM articles AS a WHERE a.doc IN "
        f"(SELECT doc FROM entity_mentions WHERE entity_id = ?) ORDER BY {_published(db)} DESC, a.doc DESC "
        "LIMIT ?",
        (entity_id, limit),
    )
    return [r[0] for r in rows.fetchall()]


def entity_detail(db: Db, entity_id: str) -> EntityDetail | None:
    head = db.execute(
        "SELECT count(*), count(DISTINCT doc) FROM entity_mentions WHERE entity_id = ?", (entity_id,)
    ).fetchone()
    if not head or not head[0]:
        return None
    names = db.execute(
        "SELECT canonical, type, count(*) FROM entity_mentions WHERE entity_id = ? GROUP BY canonical, type "
        "ORDER BY canonical, type",
        (entity_id,),
    ).fetchall()
    canonical = max(names, key=lambda r: (len(r[0]), r[2]))[0]
    types: Counter[str] = Counter()
    for _, etype, n in names:
        types[etype] += n
    detail = EntityDetail(entity_id, canonical, types.most_common(1)[0][0], head[0], head[1])
    detail.variants = [
        (t, n)
        for t, n in db.execute(
            "SELECT text, count(*) FROM entity_mentions WHERE entity_id = ? GROUP BY text "
            "ORDER BY count(*) DESC, text LIMIT 50",
            (entity_id,),
        ).fetchall()
    ]
    detail.months = [
        (m or None, lang, n)
        for m, lang, n in db.execute(
            "SELECT substr(a.published, 1, 7) AS month, a.language, count(*) FROM articles AS a "
            "WHERE a.doc IN (SELECT doc FROM entity_mentions WHERE entity_id = ?) "
            "GROUP BY month, a.language ORDER BY month, a.language",
            (entity_id,),
        ).fetchall()
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
        for sid, title, fs, ls, size, n in db.execute(
            "SELECT s.story_id, s.title, s.first_seen, s.last_seen, s.size, count(*) FROM articles AS a "
            "JOIN stories AS s ON s.story_id = a.story_id "
            "WHERE a.doc IN (SELECT doc FROM entity_mentions WHERE entity_id = ?) "
            "GROUP BY s.story_id ORDER BY count(*) DESC, s.last_seen DESC, s.story_id LIMIT 30",
            (entity_id,),
        ).fetchall()
    ]
    sample = db.execute(
        "SELECT DISTINCT doc FROM entity_mentions WHERE entity_id = ? ORDER BY doc DESC LIMIT ?",
        (entity_id, COOCCURRENCE_SAMPLE),
    ).fetchall()
    detail.sample = len(sample)
    d = db.dialect
    detail.cooccurring = [
        {"entity_id": eid, "name": name, "type": etype, "articles": n}
        for eid, name, etype, n in db.execute(
            "SELECT entity_id, max(canonical), max(type), count(DISTINCT doc) FROM entity_mentions "
            f"WHERE {d.in_('doc')} AND entity_id != ? "
            "GROUP BY entity_id ORDER BY count(DISTINCT doc) DESC, max(canonical), entity_id LIMIT 20",
            (d.list_param(doc for (doc,) in sample), entity_id),
        ).fetchall()
    ]
    detail.recent = _rows(
        db,
        "a.doc IN (SELECT doc FROM entity_mentions WHERE entity_id = ?)",
        (entity_id,),
        f"{_published(db)} DESC, a.doc DESC",
        20,
    )
    detail.cited_as_source = db.execute(
        "SELECT count(*) FROM source_citations WHERE entity_id = ?", (entity_id,)
    ).fetchone()[0]
    return detail


def entity_name(db: Db, entity_id: str) -> str | None:
    row = db.execute(
        "SELECT canonical FROM entity_mentions WHERE entity_id = ? "
        "ORDER BY length(canonical) DESC, canonical LIMIT 1",
        (entity_id,),
    ).fetchone()
    return row[0] if row else None


def outlet_names(db: Db, limit: int = 1000) -> list[str]:
    """Outlet names (for the search form's suggestions), read from the outlet index."""
    rows = db.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet LIMIT ?", (limit,)
    )
    return [r[0] for r in rows.fetchall()]


def story_summary(db: Db, story_id: str) -> dict[str, Any] | None:
    """A story's title and size, without its record (which holds every quote and claim)."""
    row = db.execute("SELECT title, size FROM stories WHERE story_id = ?", (story_id,)).fetchone()
    return {"id": story_id, "title": row[0], "size": row[1]} if row else None


def _filter_sql(db: Db, filters: ArticleFilter) -> tuple[str, list[Any]]:
    where, params = filter_clauses(filters, db.dialect)
    return (" AND " + " AND ".join(where) if where else ""), params


def citation_matrix(
    db: Db, filters: ArticleFilter, sources: Sequence[str], outlets: int = 12
) -> tuple[list[str | None], dict[tuple[str | None, str], int]]:
    """Which outlets cite the given sources (by canonical name) and how often: the
    ``outlets`` outlets citing them most, and ``{(outlet, source): citations}``."""
    if not sources:
        return [], {}
    where, params = _filter_sql(db, filters)
    d = db.dialect
    rows = db.execute(
        "SELECT a.outlet, s.canonical, count(*) "
        "FROM source_citations AS s JOIN articles AS a ON a.doc = s.doc "
        f"WHERE {d.in_('s.canonical')} {where} GROUP BY a.outlet, s.canonical",
        (d.list_param(sources), *params),
    ).fetchall()
    cells = {(outlet, source): n for outlet, source, n in rows}
    per_outlet: Counter[str | None] = Counter()
    for (outlet, _), n in cells.items():
        per_outlet[outlet] += n
    top = [o for o, _ in sorted(per_outlet.items(), key=lambda kv: (-kv[1], kv[0] or ""))[:outlets]]
    return top, {k: v for k, v in cells.items() if k[0] in top}


def claims_by_source(db: Db, filters: ArticleFilter,
                     limit: int = 30) -> tuple[dict[str, int], list[SourceClaims]]:
    """Claim counts by status over everything, and per source (most unverified first).

    A claim with status ``unverified`` rests on its one source and was said, in the
    article, not to be confirmed ("Uppgifterna har inte kunnat bekräftas").
    """
    where, params = _filter_sql(db, filters)
    totals = dict(
        db.execute(
            "SELECT c.status, count(*) FROM claims AS c JOIN articles AS a ON a.doc = c.doc "
            f"WHERE 1 = 1 {where} GROUP BY c.status",
            params,
        ).fetchall()
    )
    unverified = "count(*) FILTER (WHERE c.status = 'unverified')"
    rows = db.execute(
        f"SELECT min(c.source), count(*), {unverified}, count(*) FILTER (WHERE c.status = 'hedged'), "
        "count(*) FILTER (WHERE c.status = 'denied'), sum(c.conflict) "
        "FROM claims AS c JOIN articles AS a ON a.doc = c.doc "
        f"WHERE c.source_key IS NOT NULL {where} GROUP BY c.source_key "
        f"ORDER BY {unverified} DESC, count(*) DESC, min(c.source), c.source_key LIMIT ?",
        (*params, limit),
    ).fetchall()
    return totals, [SourceClaims(*row) for row in rows]
