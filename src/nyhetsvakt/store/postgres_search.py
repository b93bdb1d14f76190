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
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

from ..langpacks import available_languages, load_pack
from ..search.document import COLUMN_WEIGHTS
from ..search.query import Query, Term
from .dialect import POSTGRES, Db, filter_clauses
from .filters import ArticleFilter
from .sqlstore import Match

if TYPE_CHECKING:
    from .postgres import PGConnection

__all__ = ["DEFAULT_CONFIG", "MAX_INDEX_CHARS", "RANK_WINDOW", "config_of", "document_params", "find_matches",
           "index_version"]

DEFAULT_CONFIG = "simple"
# Matches ranked by relevance, newest first (SQLite ranks 4,000, sqlite_search.RANK_WINDOW:
# bm25 there costs about 2 µs a match, unpacking and ranking a vector here about 10).
RANK_WINDOW = 1000
# A search first walks at most WALK_FACTOR × the matches it needs (at least MIN_WALK) of
# the newest articles before it reads the word index instead (see _newest).
WALK_FACTOR = 4
MIN_WALK = 2000
# ... and, when the matches it found say so, walks again, at most MAX_WALK articles.
MAX_WALK = 20_000
# Characters of one field that are indexed: a tsvector holds at most 1 MiB, and positions
# stop at 16,383 anyway. A longer field is stored whole; its tail is not searchable.
MAX_INDEX_CHARS = 500_000
# ts_rank_cd weights {D, C, B, A}: body C, lead B, headline A in COLUMN_WEIGHTS' ratios.
PerConfig = list[tuple[str, str | None, str | None]]  # (configuration, positive, negative) tsqueries
Clauses = tuple[list[str], list[Any]]  # SQL conditions and their parameters

RANK_WEIGHTS = "{0.1, " + ", ".join(str(w / COLUMN_WEIGHTS[0]) for w in reversed(COLUMN_WEIGHTS[:3])) + "}"

INSERT = """
INSERT INTO article_search (doc, published, config, tsv) VALUES (?, ?, ?,
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


def document_params(doc: int, published: str, language: str | None, headline: str | None, lead: str | None,
                    blocks: Sequence[str]) -> tuple[Any, ...]:
    """The parameters of :data:`INSERT` for one article (``published``: ISO date or '')."""
    config = config_of(language)
    body = "\n".join(blocks)
    return (doc, published, config, config, (headline or "")[:MAX_INDEX_CHARS], config,
            (lead or "")[:MAX_INDEX_CHARS], config, body[:MAX_INDEX_CHARS])


def _configs(language: str | None) -> list[str]:
    """The configurations the articles a search covers were indexed with."""
    if language:
        return [config_of(language)]
    return list(dict.fromkeys([*_pack_configs().values(), DEFAULT_CONFIG]))


def _lexemes(term: Term) -> str:
    """The term as to_tsquery input: quoted words joined by <->, a prefix marked :*."""
    quoted = " <-> ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in term.words)
    return quoted + (":*" if term.prefix else "")


def _ask(db: Db | PGConnection, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
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


def tsqueries(db: Db | PGConnection, query: Query, language: str | None) -> PerConfig:
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


def find_matches(db: PGConnection, query: Query, filters: ArticleFilter, order: str, after: list[Any] | None,
                 limit: int) -> list[Match]:
    """Up to ``limit`` matches in ``order`` after the cursor key (a query of exclusions
    only has no relevance: it is always newest first)."""
    per_config = tsqueries(db, query, filters.language)
    if not per_config:
        return []
    ranked = order == "relevance" and per_config[0][1] is not None
    # Dates (and the date cursor) are compared on the search table's own column and its
    # index; the other filters on articles.
    dated, dated_params = filter_clauses(ArticleFilter(since=filters.since, until=filters.until), POSTGRES,
                                         alias="s")
    if after and not ranked:
        dated.append("(s.published, s.doc) < (?, ?)")
        dated_params += after
    rest, rest_params = filter_clauses(replace(filters, since=None, until=None), POSTGRES)
    need = RANK_WINDOW if ranked else limit
    found = _newest(db, per_config, (dated, dated_params), (rest, rest_params), need)
    if not found:
        return []
    docs = [doc for doc, _ in found]
    if not ranked:
        sql = ("SELECT s.doc, s.published, 0.0 AS score FROM article_search AS s "
               "WHERE s.doc = ANY(?::bigint[])")
        rows = db.execute_planned(_with_records(sql, "p.published DESC, p.doc DESC"), (docs,)).fetchall()
        return [Match(doc, 0.0, [published, doc], (key, record)) for doc, published, _, key, record in rows]
    rank, params = _rank(per_config)
    params.append(docs)
    page = ""
    if after:
        page = "WHERE (m.score, m.published, m.doc) < (?, ?, ?)"
        params += after
    sql = (f"SELECT m.doc, m.published, m.score FROM (SELECT s.doc, s.published, {rank} AS score "
           f"FROM article_search AS s WHERE s.doc = ANY(?::bigint[])) AS m {page} "
           "ORDER BY m.score DESC, m.published DESC, m.doc DESC LIMIT ?")
    rows = db.execute_planned(_with_records(sql, "p.score DESC, p.published DESC, p.doc DESC"),
                              (*params, limit)).fetchall()
    return [Match(doc, score, [score, published, doc], (key, record))
            for doc, published, score, key, record in rows]


def _newest(db: PGConnection, per_config: PerConfig, dated: Clauses,
            rest: Clauses, need: int) -> list[tuple[int, str]]:
    """The ``need`` newest matching articles as (doc, published), newest first.

    There are two ways, and which is fast depends on how common the words are:

    - *walk* the newest articles (that pass the filters), testing each one's vector: a
      word in most articles fills the window after a few rows;
    - *read* the GIN index for every match, then sort those by date: cheap when there
      are few.

    PostgreSQL's planner would choose by how common it thinks the words are, but it takes
    words as independent ("russiske soldater" in Swedish articles), and it does not count
    the cost of unpacking each vector, so a wrong guess walks the whole table. So its
    estimate only decides what is tried first: the index when it expects no more matches
    than a walk would test, or too few for a walk to fill the window; else a walk of at
    most :data:`WALK_FACTOR` × ``need`` articles (at least :data:`MIN_WALK`). When that
    finds too few, a longer walk (at most :data:`MAX_WALK`, and fewer articles than the
    index would read) is tried if the matches found so far say it will fill the window;
    otherwise the index is read, with sequential scans ruled out. A query of exclusions
    only has no index to read: it only walks, unbounded (most articles match it).
    """
    (dated_where, dated_params), (rest_where, rest_params) = dated, rest
    join = " JOIN articles AS a ON a.doc = s.doc" if rest_where else ""
    filters = dated_where + rest_where
    where = f"WHERE {' AND '.join(filters)}" if filters else ""
    match, match_params = _match_condition(per_config, alias="t")
    positive = per_config[0][1] is not None
    walked = max(MIN_WALK, WALK_FACTOR * need)
    matches, articles = _estimate(db, match, match_params) if positive else (1.0, 1.0)
    # The index when it reads no more rows than the walk would test, or when the words are
    # too rare for the walk to fill the window.
    if positive and (matches <= walked or matches * walked < need * articles):
        return _read_index(db, per_config, dated, rest, need)
    while True:
        budget = f"LIMIT {walked}" if positive else ""
        walk = (f"SELECT w.doc, w.published FROM (SELECT s.doc, s.published FROM article_search AS s{join} "
                f"{where} ORDER BY s.published DESC, s.doc DESC {budget}) AS w "
                "JOIN article_search AS t ON t.doc = w.doc "
                f"WHERE {match} ORDER BY w.published DESC, w.doc DESC LIMIT {need}")
        rows = db.execute_planned(walk, [*dated_params, *rest_params, *match_params]).fetchall()
        if len(rows) == need or not positive:
            return rows
        # Too few. When the hits so far say a longer walk fills the window within MAX_WALK
        # articles, walk again (a phrase of common words: the index would test every
        # article holding all its words); else read the index.
        projected = need * walked // max(1, len(rows))
        if not rows or walked >= MAX_WALK or projected > min(MAX_WALK, matches):
            return _read_index(db, per_config, dated, rest, need)
        walked = min(MAX_WALK, projected * 3 // 2)


def _estimate(db: PGConnection, match: str, params: list[Any]) -> tuple[float, float]:
    """The planner's guess of how many articles ``match`` (on ``t``) holds for, and of the
    articles there are (the GIN index reads about as many rows as the first)."""
    plan = db.execute_planned(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM article_search AS t WHERE {match}",
                              params).fetchone()[0]
    rows = db.execute("SELECT reltuples FROM pg_class WHERE oid = 'article_search'::regclass").fetchone()[0]
    matches = float(plan[0]["Plan"]["Plan Rows"])
    return (matches, float(rows)) if rows and rows > 0 else (float("inf"), float("inf"))


def _read_index(db: PGConnection, per_config: PerConfig, dated: Clauses,
                rest: Clauses, need: int) -> list[tuple[int, str]]:
    """Every match from the GIN index, the ``need`` newest of them (see :func:`_newest`)."""
    (dated_where, dated_params), (rest_where, rest_params) = dated, rest
    join = " JOIN articles AS a ON a.doc = s.doc" if rest_where else ""
    match, match_params = _match_condition(per_config, alias="s")
    inner = " AND ".join([match, *dated_where])
    outer = f"WHERE {' AND '.join(rest_where)}" if rest_where else ""
    read = (f"WITH s AS MATERIALIZED (SELECT s.doc, s.published FROM article_search AS s WHERE {inner}) "
            f"SELECT s.doc, s.published FROM s{join} {outer} "
            f"ORDER BY s.published DESC, s.doc DESC LIMIT {need}")
    return db.execute_indexed(read, [*match_params, *dated_params, *rest_params]).fetchall()


def _shared(per_config: PerConfig) -> dict[tuple[str | None, str | None], list[str]]:
    """Configurations whose tsqueries are the same (all of them, but for stop words) share
    one condition, so the GIN index is read once for them."""
    shared: dict[tuple[str | None, str | None], list[str]] = {}
    for config, pos, neg in per_config:
        shared.setdefault((pos, neg), []).append(config)
    return shared


def _match_condition(per_config: PerConfig, alias: str) -> tuple[str, list[Any]]:
    """The condition on ``alias`` (the search table) and its parameters. A word excluded
    is part of the same tsquery (``pos & !neg``), which the GIN index answers whole."""
    every = set(_configs(None))
    alternatives, params = [], []
    for (pos, neg), configs in _shared(per_config).items():
        parts = []
        if not every <= set(configs):
            parts.append(f"{alias}.config = ANY(?::text[])")
            params.append(configs)
        if pos is not None and neg is not None:
            parts.append(f"{alias}.tsv @@ (?::tsquery && !! ?::tsquery)")
            params += [pos, neg]
        elif pos is not None:
            parts.append(f"{alias}.tsv @@ ?::tsquery")
            params.append(pos)
        elif neg is not None:
            parts.append(f"NOT {alias}.tsv @@ ?::tsquery")
            params.append(neg)
        alternatives.append("(" + " AND ".join(parts or ["TRUE"]) + ")")
    return ("(" + " OR ".join(alternatives) + ")", params)


def _rank(per_config: PerConfig) -> tuple[str, list[Any]]:
    """``ts_rank_cd`` of ``s.tsv`` against the positive tsquery of the row's configuration."""
    call = f"ts_rank_cd('{RANK_WEIGHTS}'::float4[], s.tsv, ?::tsquery, 1)::float8"
    shared = [(pos, configs) for (pos, _), configs in _shared(per_config).items() if pos is not None]
    if len(shared) == 1:
        return call, [shared[0][0]]
    cases, params = [], []
    for pos, configs in shared:
        cases.append(f"WHEN s.config = ANY(?::text[]) THEN {call}")
        params += [configs, pos]
    return "CASE " + " ".join(cases) + " ELSE 0.0 END", params


def _with_records(sql: str, order: str) -> str:
    """The matches with their articles' store keys and records: one round trip, not two."""
    return (f"SELECT p.doc, p.published, p.score, a.key, r.record FROM ({sql}) AS p "
            "JOIN articles AS a ON a.doc = p.doc JOIN article_records AS r ON r.doc = p.doc "
            f"ORDER BY {order}")
