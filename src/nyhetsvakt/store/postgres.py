"""The PostgreSQL store: a shared server, many readers and writers at once (psycopg 3).

``open_store("postgresql://user@host/db")`` opens one; it needs the ``postgres`` extra
(``pip install 'nyhetsvakt[postgres]'``). The tables, statements and semantics are the
SQLite store's (:mod:`.sqlstore`); what differs:

- **Writers.** Every write transaction first takes one transaction-level advisory lock
  (:data:`WRITER_LOCK`), waiting up to ``timeout`` seconds: writers take turns, as on
  SQLite, and readers never wait (MVCC). A caller's transaction holds many files (an
  ingest commits every 1,000 articles or 2 s); two of them writing the same articles in
  different orders would deadlock on row locks, and a store cannot replay its caller's
  work, so the lock is per transaction, not per row. Inside it the id rules (unchanged,
  replaced, renamed) see every committed article, so two processes ingesting the same
  files store each article once, under the same id. Markers, errors, fingerprints and
  story rows are upserts (``INSERT … ON CONFLICT``) in any case.
- **Savepoints** nest as on SQLite (a failed file in a group undoes only that file).
- **Read-only** stores set ``default_transaction_read_only``: the server refuses writes.
- **Schema**: ``migrations_pg/NNNN_name.sql``, the same versions as SQLite's, applied
  under an advisory lock so that concurrent openers apply each migration once.
- **Search**: a tsvector per article with PostgreSQL's own configurations
  (:mod:`.postgres_search`).
- **Errors**: every ``psycopg.Error`` becomes a :class:`~nyhetsvakt.errors.StoreError`
  naming ``postgresql://host:port/dbname``, never the user's password.

Text that PostgreSQL cannot hold (NUL characters) is dropped from column values; the
records keep it (as JSON escapes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from ..errors import StoreError
from ..records import Article
from ..search.query import Query
from . import postgres_search as pgsearch
from . import statements
from .dialect import POSTGRES, Db
from .filters import ArticleFilter
from .migrate import PG_FOLDER, migrations, pending_of
from .serialize import dumps_json
from .sqlstore import EXPORT_CHUNK, Match, SQLStore

__all__ = ["PGConnection", "PostgresStore", "describe_url"]

# Seconds a writer waits for another writer's transaction before giving up (as SQLite's).
LOCK_TIMEOUT = 30.0
# Seconds to wait for the server to answer at all.
CONNECT_TIMEOUT = 10
# Tables a write looks rows up in by key, id, headline and teaser, and their planner
# statistics: refreshed (ANALYZE) each time a writer has doubled the articles since, from
# ANALYZE_FROM articles on, so that statements it prepared while the tables were small
# (a sequential scan) are planned again for their size, without waiting for autovacuum.
# The search table's statistics (how common each word is) choose how a search runs.
LOOKUP_TABLES = ("articles", "article_search", "headline_prefixes", "teasers")
ANALYZE_FROM = 1000
# Advisory lock keys (bigint, per database): one for writers, one for migrating.
WRITER_LOCK = 0x6E79_6865_7473_0001
MIGRATION_LOCK = 0x6E79_6865_7473_0002

_CREATE_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""
_APPLIED = "SELECT version FROM schema_migrations"
_HAS_MIGRATIONS = "SELECT to_regclass('schema_migrations') IS NOT NULL"
_ALL_RECORDS = """
SELECT a.doc, a.published, a.language, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc
WHERE a.doc > ? ORDER BY a.doc LIMIT ?"""
_RECORDS_AFTER = "SELECT doc, record FROM article_records WHERE doc > ? ORDER BY doc LIMIT ?"
_RECORDS_OF_IDS = ("SELECT a.id, r.doc, r.record FROM articles AS a "
                   f"JOIN article_records AS r ON r.doc = a.doc WHERE {POSTGRES.in_('a.id')}")
_UPDATE_RECORD = "UPDATE article_records SET record = ? WHERE doc = ?"
_ESTIMATED_ARTICLES = "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'articles'::regclass"
# A writer compresses what it stores out of line (records) with lz4 where the server has it
# (PostgreSQL 14+): pglz took 7% of the server's time in a bulk load. Reading needs nothing.
_LZ4 = ("SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings "
        "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)")


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError("the PostgreSQL store needs psycopg: pip install 'nyhetsvakt[postgres]'") from None
    return psycopg


def describe_url(url: str) -> tuple[str, str | None]:
    """``postgresql://host:port/dbname`` for messages, and the password to keep out of them."""
    psycopg = _psycopg()
    try:
        params = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        # The parser's message quotes the URL, password and all: say only that it is bad.
        raise StoreError("postgresql://…: cannot open the store: the URL cannot be parsed "
                         "(postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME)") from None
    host = params.get("host") or params.get("hostaddr") or "localhost"
    dbname = params.get("dbname") or params.get("user") or ""
    return f"postgresql://{host}:{params.get('port') or 5432}/{dbname}", params.get("password")


@lru_cache(maxsize=512)
def _pg_sql(query: str) -> str:
    """A statement written with ``?`` placeholders in psycopg's ``%s`` style."""
    return query.replace("%", "%%").replace("?", "%s")


def _clean(params: Iterable[Any]) -> list[Any]:
    """Parameters without NUL characters (in lists too), which PostgreSQL's text cannot hold."""
    return [p.replace("\x00", "") if type(p) is str and "\x00" in p else _clean(p) if type(p) is list else p
            for p in params]


class PGConnection:
    """A psycopg connection that takes the shared statements (``?`` placeholders)."""

    __slots__ = ("raw",)

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, query: str, params: Sequence[Any] = ()) -> Any:
        if not params:
            return self.raw.execute(query)
        return self.raw.execute(_pg_sql(query), _clean(params))

    def execute_planned(self, query: str, params: Sequence[Any] = ()) -> Any:
        """Execute planned for these parameters every time, never as a prepared statement.

        psycopg prepares a statement run often, and after a few runs PostgreSQL may keep
        one generic plan for it. A search must not: whether to walk the newest articles
        or read the word index depends on how common the searched words are.
        """
        return self.raw.execute(_pg_sql(query), _clean(params), prepare=False)

    def execute_indexed(self, query: str, params: Sequence[Any] = ()) -> Any:
        """:meth:`execute_planned` with sequential scans ruled out: for a search that
        knows its words are rare, which the planner, guessing, may not."""
        raw = self.raw
        raw.execute("SET enable_seqscan = off")
        try:
            return raw.execute(_pg_sql(query), _clean(params), prepare=False)
        finally:
            if raw.info.transaction_status != _psycopg().pq.TransactionStatus.INERROR:
                raw.execute("RESET enable_seqscan")

    def executemany(self, query: str, rows: Iterable[Sequence[Any]]) -> Any:
        cursor = self.raw.cursor()
        cursor.executemany(_pg_sql(query), [_clean(row) for row in rows])
        return cursor


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database, named by a ``postgresql://`` URL."""

    def __init__(self, url: str, *, read_only: bool = False, timeout: float = LOCK_TIMEOUT) -> None:
        psycopg = _psycopg()
        self.location, self._password = describe_url(url)
        self.read_only = read_only
        self.timeout = timeout
        self._depth = 0
        self._db_errors = (psycopg.Error,)
        self._raw: Any = None
        self._pg: PGConnection | None = None
        self._counted = self._added = 0  # articles at the last ANALYZE, and added since
        with self._errors("open the store"):
            try:
                self._raw = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                            application_name="nyhetsvakt")
                self._pg = PGConnection(self._raw)
                self._db = Db(self._pg, POSTGRES)
                if read_only:
                    self._raw.execute("SET default_transaction_read_only = on")
                    self._check_readable()
                else:
                    self._migrate()
                    self._counted = self._db.execute(_ESTIMATED_ARTICLES).fetchone()[0]
                    self._db.execute(_LZ4)
                    if self._get_meta("index_version") != pgsearch.index_version():
                        self.reindex()
            except BaseException:
                self.close()
                raise

    # -- opening ---------------------------------------------------------------------------
    def _applied(self) -> set[int]:
        if not self._raw.execute(_HAS_MIGRATIONS).fetchone()[0]:
            return set()
        return {v for (v,) in self._raw.execute(_APPLIED).fetchall()}

    def _check_readable(self) -> None:
        todo = pending_of(self._applied(), self.location, PG_FOLDER)
        if todo:
            raise StoreError(f"{self.location}: not an up-to-date nyhetsvakt store (schema migration "
                             f"{todo[0].version:04d}_{todo[0].name} pending); open it for writing once")

    def _migrate(self) -> list[int]:
        """Apply pending migrations, each in its own transaction under the migration lock
        (a second process opening a new database waits, then finds them applied)."""
        done: list[int] = []
        if not pending_of(self._applied(), self.location, PG_FOLDER):
            return done
        conn = self._raw
        for migration in migrations(PG_FOLDER):
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                conn.execute(_CREATE_MIGRATIONS)
                if migration in pending_of(self._applied(), self.location, PG_FOLDER):
                    conn.execute(migration.sql)
                    conn.execute("INSERT INTO schema_migrations (version, name, applied_at) "
                                 "VALUES (%s, %s, now()::text)", (migration.version, migration.name))
                    done.append(migration.version)
        return done

    def close(self) -> None:
        raw, self._raw = self._raw, None
        if raw is not None:
            raw.close()

    @property
    def conn(self) -> Any:
        """The psycopg connection (autocommit; the store issues BEGIN and COMMIT itself)."""
        if self._raw is None or self._raw.closed:
            raise StoreError(f"{self.location}: the store is closed")
        return self._raw

    # -- errors and transactions -----------------------------------------------------------
    def _reason(self, error: BaseException) -> str:
        diag = getattr(error, "diag", None)
        text = (diag.message_primary if diag is not None and diag.message_primary else str(error)) or \
            type(error).__name__
        text = "; ".join(line.strip() for line in text.splitlines() if line.strip())
        if self._password:
            text = text.replace(self._password, "***")
        return text

    def _begin(self) -> None:
        psycopg = _psycopg()
        db = self._db
        self.conn.execute("BEGIN")
        try:
            db.execute(f"SET LOCAL lock_timeout = {max(1, int(self.timeout * 1000))}")
            db.execute("SELECT pg_advisory_xact_lock(?)", (WRITER_LOCK,))
            db.execute("SET LOCAL lock_timeout = DEFAULT")
        except psycopg.errors.LockNotAvailable:
            self._rollback()
            raise StoreError(f"{self.location}: cannot start a write transaction: the store is locked by "
                             f"another writer (waited {self.timeout:g} s)") from None
        except BaseException:
            self._rollback()
            raise

    def _as_stored(self, text: str) -> str:
        return text.replace("\x00", "")

    def _pipeline(self) -> Any:
        return self.conn.pipeline()

    def _insert_articles(self, rows: list[tuple[Any, ...]]) -> list[int]:
        # One round trip: the rows go in a pipeline, in order (docs ascend as one by one).
        cursor = self.conn.cursor()
        cursor.executemany(_pg_sql(statements.INSERT_ARTICLE), [_clean(row) for row in rows], returning=True)
        self._added += len(rows)
        docs = []
        while True:
            docs.append(cursor.fetchone()[0])
            if not cursor.nextset():
                return docs

    def _before_commit(self) -> None:
        # COMMIT of a transaction in which a statement failed silently rolls it back.
        if self.conn.info.transaction_status == _psycopg().pq.TransactionStatus.INERROR:
            raise StoreError(f"{self.location}: cannot commit: a statement in the transaction failed")
        if self._added >= max(ANALYZE_FROM, self._counted):
            self._db.execute(f"ANALYZE {', '.join(LOOKUP_TABLES)}")
            self._counted += self._added
            self._added = 0

    def _rollback(self) -> None:
        psycopg = _psycopg()
        raw = self._raw
        if raw is None or raw.closed or raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            return
        try:
            raw.execute("ROLLBACK")
        except psycopg.Error:
            pass  # the connection broke; the server rolls back what it holds

    # -- the full-text index ---------------------------------------------------------------
    def _index_add(self, new: list[tuple[int, Article, str]]) -> None:
        self._db.executemany(pgsearch.INSERT, [
            pgsearch.document_params(doc, published, a.language, a.headline, a.lead,
                                     [b.text for b in a.blocks])
            for doc, a, published in new])

    def _index_remove(self, doc: int, published: str, record: str) -> None:
        self._db.execute(pgsearch.DELETE, (doc,))

    def reindex(self) -> int:
        db = self._db
        count = last = 0
        with self.transaction(), self._errors("rebuild the search index"):
            db.execute("DELETE FROM article_search")
            while rows := db.execute(_ALL_RECORDS, (last, EXPORT_CHUNK)).fetchall():
                params = []
                for doc, published, language, text in rows:
                    r = json.loads(text)
                    blocks = [b["text"] for b in r.get("blocks") or []]
                    params.append(pgsearch.document_params(doc, published, language, r.get("headline"),
                                                           r.get("lead"), blocks))
                db.executemany(pgsearch.INSERT, params)
                count += len(rows)
                last = rows[-1][0]
            db.execute(statements.SET_META, ("index_version", pgsearch.index_version()))
            db.execute("ANALYZE article_search")
        return count

    def _find_matches(self, query: Query, algorithms: list[str | None], filters: ArticleFilter, order: str,
                      after: list[Any] | None, limit: int) -> list[Match]:
        return pgsearch.find_matches(self._pg, query, filters, order, after, limit)

    # -- record fields, rewritten in Python (robust to any JSON the records hold) --------------
    def _rewrite(self, rows: Iterable[tuple[int, str]], field: str, value_of: dict[int, Any] | None) -> None:
        updates = []
        for doc, text in rows:
            record = json.loads(text)
            value = value_of[doc] if value_of is not None else None
            if record.get(field, None) != value or field not in record:
                record[field] = value
                updates.append((dumps_json(record), doc))
        if updates:
            self._db.executemany(_UPDATE_RECORD, updates)

    def _set_record_fields(self, field: str, changes: dict[str, Any]) -> None:
        items = list(changes.items())
        for i in range(0, len(items), EXPORT_CHUNK):
            chunk = dict(items[i:i + EXPORT_CHUNK])
            rows = self._db.execute(_RECORDS_OF_IDS, (list(chunk),)).fetchall()
            self._rewrite([(doc, text) for _, doc, text in rows], field,
                          {doc: chunk[key] for key, doc, _ in rows})

    def _clear_record_field(self, field: str) -> None:
        last = 0
        while rows := self._db.execute(_RECORDS_AFTER, (last, EXPORT_CHUNK)).fetchall():
            self._rewrite(rows, field, None)
            last = rows[-1][0]
