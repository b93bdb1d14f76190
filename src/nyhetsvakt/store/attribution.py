"""Entities, quotes, cited sources and claims across the store (schema 2 tables).

Rows are derived from each article's record when it is stored (:func:`attribution_rows`)
and deleted with it. The queries aggregate them for ``nyhetsvakt entities``, ``quotes``,
``sources`` and ``claims``. A name given as a filter matches by its folded key or by the
entity id the name would have ("Lukashenko" finds "Aleksandr Lukasjenko").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..attribution.entities import entity_id_for
from ..attribution.text import fold
from ..records import Article
from . import statements as sql
from .dialect import Db, filter_clauses
from .filters import ArticleFilter

__all__ = [
    "ClaimRow",
    "EntitySummary",
    "QuoteRow",
    "SourceSummary",
    "attribution_rows",
    "query_claims",
    "query_entities",
    "query_quotes",
    "query_sources",
]


@dataclass(slots=True)
class EntitySummary:
    entity_id: str
    canonical: str
    type: str
    mentions: int
    articles: int
    variants: list[str] = field(default_factory=list)


@dataclass(slots=True)
class QuoteRow:
    article: str
    published: str | None
    outlet: str | None
    speaker: str | None
    speaker_entity_id: str | None
    kind: str
    cue: str | None
    medium: str | None
    block: int
    text: str


@dataclass(slots=True)
class SourceSummary:
    canonical: str
    type: str
    citations: int
    articles: int
    outlets: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ClaimRow:
    article: str
    published: str | None
    value: float | None
    unit: str | None
    source: str | None
    status: str
    conflict: bool
    block: int
    text: str


def attribution_rows(db: Db, articles: Sequence[tuple[int, Article]]) -> None:
    """Write the entities, quotes, citations and claims of new articles (row ``doc``) as rows:
    one statement per table, the articles' rows in the order given.

    Records from elsewhere (a JSON Lines input) may carry partial items: what an item lacks
    is derived (an entity's id from its name) or the item is left out of the rows; the
    record itself keeps it as given.
    """
    tables: tuple[list[tuple[Any, ...]], ...] = ([], [], [], [])
    for doc, a in articles:
        for rows, more in zip(tables, _rows_of(doc, a), strict=True):
            rows += more
    for statement, rows in zip((sql.INSERT_MENTION, sql.INSERT_QUOTE, sql.INSERT_CITATION, sql.INSERT_CLAIM),
                               tables, strict=True):
        if rows:
            db.executemany(statement, rows)


def _rows_of(doc: int, a: Article) -> tuple[list[tuple[Any, ...]], ...]:
    """An article's rows of entity_mentions, quotes, source_citations and claims."""
    mentions = []
    for e in a.entities:
        name = e.get("canonical") or e.get("text")
        if not name:
            continue
        etype = e.get("type") or "MISC"
        mentions.append((doc, e.get("entity_id") or entity_id_for(etype, name), name, fold(name), etype,
                         e.get("text") or name, e.get("block", 0)))
    quotes = [
        (doc, q.get("speaker"), fold(q["speaker"]) if q.get("speaker") else None, q.get("speaker_entity_id"),
         q.get("kind") or "direct", q.get("cue"), q.get("medium"), q.get("block", 0), q["text"])
        for q in a.quotes if q.get("text")]
    citations = [
        (doc, s.get("canonical") or s["name"], fold(s.get("canonical") or s["name"]), s.get("entity_id"),
         s.get("type") or "unknown", s.get("cue") or "", s.get("block", 0))
        for s in a.sources if s.get("canonical") or s.get("name")]
    claims = [
        (doc, c.get("value"), c.get("unit"), c.get("source"), fold(c["source"]) if c.get("source") else None,
         c.get("status") or "asserted", int(bool(c.get("conflicts_with"))), c.get("block", 0),
         c.get("text") or "")
        for c in a.claims]
    return mentions, quotes, citations, claims


def _article_filter(db: Db, filters: ArticleFilter) -> tuple[str, list[Any]]:
    where, params = filter_clauses(filters, db.dialect)
    return (" AND " + " AND ".join(where) if where else ""), params


def _name_match(
    column_key: str, column_id: str | None, name: str, types: tuple[str, ...]
) -> tuple[str, list[Any]]:
    key = fold(name)
    ids = [entity_id_for(t, name) for t in types]
    clause = f"({column_key} = ? OR {column_key} LIKE ?"
    params: list[Any] = [key, f"% {key}"]
    if column_id:
        clause += f" OR {column_id} IN ({', '.join('?' * len(ids))})"
        params += ids
    return clause + ")", params


def query_entities(
    db: Db,
    filters: ArticleFilter,
    *,
    name: str | None = None,
    etype: str | None = None,
    limit: int = 50,
) -> list[EntitySummary]:
    where, params = _article_filter(db, filters)
    cond, cparams = "", []
    if name:
        clause, cparams = _name_match(
            "m.key", "m.entity_id", name, (etype,) if etype else ("PER", "ORG", "LOC", "MISC")
        )
        cond += " AND " + clause
    if etype:
        cond += " AND m.type = ?"
        cparams.append(etype)
    query = f"""
        SELECT m.entity_id, min(m.canonical), min(m.type), COUNT(*), COUNT(DISTINCT m.doc),
               {db.dialect.concat("DISTINCT m.text")}
        FROM entity_mentions AS m JOIN articles AS a ON a.doc = m.doc
        WHERE 1 = 1 {cond} {where}
        GROUP BY m.entity_id ORDER BY COUNT(DISTINCT m.doc) DESC, COUNT(*) DESC, min(m.canonical) LIMIT ?"""
    params = [*cparams, *params]
    rows = db.execute(query, (*params, limit)).fetchall()
    out = []
    for eid, canonical, t, mentions, articles, variants in rows:
        best = db.execute(
            "SELECT canonical FROM entity_mentions WHERE entity_id = ? GROUP BY canonical "
            "ORDER BY length(canonical) DESC, COUNT(*) DESC, canonical LIMIT 1",
            (eid,),
        ).fetchone()
        out.append(
            EntitySummary(
                eid,
                best[0] if best else canonical,
                t,
                mentions,
                articles,
                sorted(set((variants or "").split(","))),
            )
        )
    return out


def query_quotes(
    db: Db,
    filters: ArticleFilter,
    *,
    speaker: str | None = None,
    kind: str | None = None,
    limit: int = 50,
) -> list[QuoteRow]:
    where, params = _article_filter(db, filters)
    cond, cparams = "", []
    if speaker:
        clause, cparams = _name_match("q.speaker_key", "q.speaker_entity_id", speaker, ("PER", "ORG"))
        cond += " AND " + clause
    if kind:
        cond += " AND q.kind = ?"
        cparams.append(kind)
    query = f"""
        SELECT a.id, a.published, a.outlet, q.speaker, q.speaker_entity_id, q.kind, q.cue, q.medium, q.block,
               q.text
        FROM quotes AS q JOIN articles AS a ON a.doc = q.doc
        WHERE 1 = 1 {cond} {where} ORDER BY a.published DESC, a.doc, q.rowid LIMIT ?"""
    rows = db.execute(query, (*cparams, *params, limit)).fetchall()
    return [QuoteRow(r[0], r[1] or None, *r[2:]) for r in rows]


def query_sources(
    db: Db,
    filters: ArticleFilter,
    *,
    cited: str | None = None,
    stype: str | None = None,
    limit: int = 50,
) -> list[SourceSummary]:
    where, params = _article_filter(db, filters)
    cond, cparams = "", []
    if cited:
        clause, cparams = _name_match("s.key", "s.entity_id", cited, ("ORG", "PER", "LOC", "MISC"))
        cond += " AND " + clause
    if stype:
        cond += " AND s.type = ?"
        cparams.append(stype)
    query = f"""
        SELECT s.key, min(s.canonical), s.type, COUNT(*), COUNT(DISTINCT s.doc),
               {db.dialect.concat("DISTINCT a.outlet")}
        FROM source_citations AS s JOIN articles AS a ON a.doc = s.doc
        WHERE 1 = 1 {cond} {where}
        GROUP BY s.key, s.type ORDER BY COUNT(DISTINCT s.doc) DESC, COUNT(*) DESC, s.key LIMIT ?"""
    rows = db.execute(query, (*cparams, *params, limit)).fetchall()
    return [
        SourceSummary(canonical, t, n, arts, sorted(set((outlets or "").split(","))) if outlets else [])
        for _, canonical, t, n, arts, outlets in rows
    ]


def query_claims(
    db: Db,
    filters: ArticleFilter,
    *,
    status: str | None = None,
    source: str | None = None,
    conflicts: bool = False,
    limit: int = 50,
) -> list[ClaimRow]:
    where, params = _article_filter(db, filters)
    cond, cparams = "", []
    if status:
        cond += " AND c.status = ?"
        cparams.append(status)
    if source:
        cond += " AND (c.source_key = ? OR c.source_key LIKE ?)"
        cparams += [fold(source), f"%{fold(source)}%"]
    if conflicts:
        cond += " AND c.conflict = 1"
    query = f"""
        SELECT a.id, a.published, c.value, c.unit, c.source, c.status, c.conflict, c.block, c.text
        FROM claims AS c JOIN articles AS a ON a.doc = c.doc
        WHERE 1 = 1 {cond} {where} ORDER BY a.published DESC, a.doc, c.rowid LIMIT ?"""
    rows = db.execute(query, (*cparams, *params, limit)).fetchall()
    return [ClaimRow(r[0], r[1] or None, r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8]) for r in rows]
