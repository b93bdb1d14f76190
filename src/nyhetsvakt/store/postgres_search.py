"""How the PostgreSQL store searches: its own text-search configurations, one per language.

Every article is indexed as a ``tsvector`` made with the configuration of its language
(the language pack's ``postgres_config``: ``swedish`` for sv, ``norwegian`` for nb and nn,
``danish`` for da, ``english`` for en; ``simple`` for any other), headline weighted A,
lead B, body C.

A query is parsed by :func:`~nyhetsvakt.search.query.parse_query` (the syntax is the
same on every store) and becomes one ``tsquery`` per configuration the matching articles
may have been indexed with:

- each term is asked of every configuration of the search (as SQLite's analyzer expands
  a word with every stemmer, so ``soldatene`` finds ``soldater``): PostgreSQL itself
  turns ``'soldatene'`` into ``'soldat'`` with ``to_tsquery``; a phrase is ``<->``, a
  prefix ``:*`` (and also unstemmed, under ``simple``); excluded terms make a second
  tsquery the article must not match;
- a term that is a stop word in the article's own configuration ("och" in Swedish) is
  left out of that configuration's query, as PostgreSQL leaves it out of the article's
  vector; a query of nothing but stop words finds nothing there.

Only the parsed words reach ``to_tsquery``, quoted, as parameters; the tsquery texts it
returns are joined with ``&`` and ``|`` and passed back as parameters: nothing the
user types becomes SQL or tsquery syntax, and no input raises.

Relevance is ``ts_rank_cd`` (weights :data:`RANK_WEIGHTS`, length-normalised) over the
:data:`RANK_WINDOW` newest matches, as SQLite ranks the newest matches with bm25; ties go
to the newer article. Date order is newest first; both page with keyset cursors.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from ..langpacks import available_languages, load_pack
from ..search.document import COLUMN_WEIGHTS
from ..search.query import Query, Term
from .dialect import POSTGRES, Db, filter_clauses
from .filters import ArticleFilter
from .sqlstore import Match

__all__ = ["DEFAULT_CONFIG", "MAX_INDEX_CHARS", "RANK_WINDOW", "config_of", "document_params", "find_matches",
           "index_version"]

DEFAULT_CONFIG = "simple"
# Matches ranked by relevance, newest first (as sqlite_search.RANK_WINDOW).
RANK_WINDOW = 4000
# Characters of one field that are indexed: a tsvector holds at most 1 MiB, and positions
# stop at 16,383 anyway. A longer field is stored whole; its tail is not searchable.
MAX_INDEX_CHARS = 500_000
# ts_rank_cd weights {D, C, B, A}: body C, lead B, headline A in COLUMN_WEIGHTS' ratios.
RANK_WEIGHTS = "{0.1, " + ", ".join(str(w / COLUMN_WEIGHTS[0]) for w in reversed(COLUMN_WEIGHTS[:3])) + "}"

INSERT = """
INSERT INTO article_search (doc, config, tsv) VALUES (?, ?,
    setweight(to_tsvector(?::regconfig, ?), 'A') || setweight(to_tsvector(?::regconfig, ?), 'B')
    || setweight(to_tsvector(?::regconfig, ?), 'C'))"""
DELETE = "DELETE FROM article_search WHERE doc = ?"


@cache
def _pack_configs() -> dict[str, str]:
    return {code: load_pack(code).postgres_config for code in available_languages()}


def config_of(language: str | None) -> str:
    """The text-search configuration an article of ``language`` is indexed with."""
    return _pack_configs().get(language or "", DEFAULT_CONFIG)


def index_version() -> str:
    """What the index is built with; a store whose index differs is rebuilt when opened."""
    configs = ",".join(f"{code}={cfg}" for code, cfg in sorted(_pack_configs().items()))
    return f"tsvector 1, weights A/B/C, {configs}, else {DEFAULT_CONFIG}"


def document_params(doc: int, language: str | None, headline: str | None, lead: str | None,
                    blocks: Sequence[str]) -> tuple[Any, ...]:
    """The parameters of :data:`INSERT` for one article."""
    config = config_of(language)
    body = "\n".join(blocks)
    return (doc, config, config, (headline or "")[:MAX_INDEX_CHARS], config, (lead or "")[:MAX_INDEX_CHARS],
            config, body[:MAX_INDEX_CHARS])


def _configs(language: str | None) -> list[str]:
    """The configurations the articles a search covers were indexed with."""
    if language:
        return [config_of(language)]
    return list(dict.fromkeys([*_pack_configs().values(), DEFAULT_CONFIG]))


def _lexemes(term: Term) -> str:
    """The term as to_tsquery input: quoted words joined by <->, a prefix marked :*."""
    quoted = " <-> ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in term.words)
    return quoted + (":*" if term.prefix else "")


def _ask(db: Db, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """``to_tsquery(config, text)`` of each pair, as tsquery text ('' for only stop words)."""
    if not pairs:
        return {}
    columns = ", ".join("to_tsquery(?::regconfig, ?)::text" for _ in pairs)
    row = db.execute(f"SELECT {columns}", [x for pair in pairs for x in pair]).fetchone()
    return dict(zip(pairs, row, strict=True))


def _join(parts: list[str], op: str) -> str:
    parts = list(dict.fromkeys(p for p in parts if p))
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return "(" + f" {op} ".join(f"({p})" for p in parts) + ")"


def tsqueries(db: Db, query: Query, language: str | None) -> list[tuple[str, str | None, str | None]]:
    """``(config, positive, negative)`` tsquery texts per configuration that can match.

    A configuration is left out when the query has positive terms but none survive its
    stop words; ``positive`` is None for a query of exclusions only.
    """
    configs = _configs(language)
    terms = list(dict.fromkeys([*query.positive_terms, *query.excluded]))
    asked = {(cfg, _lexemes(t)) for t in terms for cfg in configs}
    # A prefix also matches unstemmed ("valutamark*" is no stem of any word).
    asked |= {(DEFAULT_CONFIG, _lexemes(t)) for t in terms if t.prefix}
    got = _ask(db, sorted(asked))

    def alternatives(term: Term) -> str:
        text = _lexemes(term)
        return _join([got.get((cfg, text), "") for cfg in (*configs, DEFAULT_CONFIG)], "|")

    out = []
    for own in configs:
        def kept(term: Term, own: str = own) -> bool:
            return got[(own, _lexemes(term))] != ""  # not only stop words in the article's language

        clauses = [_join([alternatives(t) for t in clause], "|") for clause in query.clauses
                   if all(kept(t) for t in clause)]
        positive = _join(clauses, "&") if clauses else None
        if query.clauses and positive is None:
            continue
        negative = _join([alternatives(t) for t in query.excluded if kept(t)], "|") or None
        out.append((own, positive, negative))
    return out


def find_matches(db: Db, query: Query, filters: ArticleFilter, order: str, after: list[Any] | None,
                 limit: int) -> list[Match]:
    """Up to ``limit`` matches in ``order`` after the cursor key (a query of exclusions
    only has no relevance: it is always newest first)."""
    per_config = tsqueries(db, query, filters.language)
    if not per_config:
        return []
    positive = per_config[0][1] is not None
    # Configurations whose tsqueries are the same (all of them, but for stop words) share one
    # row: the GIN index is read once for them, not once per configuration.
    shared: dict[tuple[str | None, str | None], list[str]] = {}
    for config, pos, neg in per_config:
        shared.setdefault((pos, neg), []).append(config)
    values = ", ".join("(?::text[], ?::tsquery, ?::tsquery)" for _ in shared)
    params: list[Any] = [x for (pos, neg), configs in shared.items() for x in (configs, pos, neg)]
    where = ["(q.neg IS NULL OR NOT s.tsv @@ q.neg)"]
    if positive:
        where.append("s.tsv @@ q.pos")
    more, more_params = filter_clauses(filters, POSTGRES)
    where += more
    params += more_params
    matches = (f"WITH q (configs, pos, neg) AS (VALUES {values}) SELECT s.doc, a.published, {{rank}} "
               "FROM q JOIN article_search AS s ON s.config = ANY(q.configs) "
               f"JOIN articles AS a ON a.doc = s.doc WHERE {' AND '.join(where)}")
    if order == "relevance" and positive:
        rank = f"ts_rank_cd('{RANK_WEIGHTS}'::float4[], s.tsv, q.pos, 1)::float8 AS score"
        window = (f"{matches.format(rank=rank)} ORDER BY a.published DESC, a.doc DESC LIMIT {RANK_WINDOW}")
        page = ""
        if after:
            page = "WHERE (m.score, m.published, m.doc) < (?, ?, ?)"
            params += after
        sql = (f"SELECT m.doc, m.published, m.score FROM ({window}) AS m {page} "
               "ORDER BY m.score DESC, m.published DESC, m.doc DESC LIMIT ?")
        rows = db.execute(_with_records(sql, "p.score DESC, p.published DESC, p.doc DESC"),
                          (*params, limit)).fetchall()
        return [Match(doc, score, [score, published, doc], (key, record))
                for doc, published, score, key, record in rows]
    sql = matches.format(rank="0.0 AS score")
    if after:
        sql += " AND (a.published, a.doc) < (?, ?)"
        params += after
    sql += " ORDER BY a.published DESC, a.doc DESC LIMIT ?"
    rows = db.execute(_with_records(sql, "p.published DESC, p.doc DESC"), (*params, limit)).fetchall()
    return [Match(doc, 0.0, [published, doc], (key, record)) for doc, published, _, key, record in rows]


def _with_records(sql: str, order: str) -> str:
    """The matches with their articles' store keys and records: one round trip, not two."""
    return (f"SELECT p.doc, p.published, p.score, a.key, r.record FROM ({sql}) AS p "
            "JOIN articles AS a ON a.doc = p.doc JOIN article_records AS r ON r.doc = p.doc "
            f"ORDER BY {order}")
