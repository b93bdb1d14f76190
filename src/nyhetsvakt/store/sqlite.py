"""The SQLite store: the embedded default, one file, WAL, one writer and many readers.

A writable store opens ``file:PATH?mode=rwc``, turns on WAL with ``synchronous=NORMAL``
(a crash loses at most the last commits, never consistency), waits up to ``timeout``
seconds for another writer, and applies pending migrations. A read-only store opens
``mode=ro`` with ``query_only``: it cannot write even by mistake. Write transactions
take the write lock up front (``BEGIN IMMEDIATE``), so they never fail half-way on a
lock. Every ``sqlite3.OperationalError`` (read-only file or folder, disk full, locked)
becomes a :class:`~nyhetsvakt.errors.StoreError` naming the file and the reason.

Full-text search uses an FTS5 table of analyzer terms (see :mod:`nyhetsvakt.search`
and :mod:`.sqlite_search` for its rowid layout). It is contentless, so removing a row
means re-analysing the stored record; what the index was built with is kept in
``store_meta`` and a mismatch rebuilds the index when the store is next opened for
writing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import StoreError, UsageError
from ..records import Article
from ..search.analyzer import ANALYZER_VERSION
from ..search.document import index_columns, record_columns
from ..search.query import Query, render_fts5
from . import sqlite_sql as sql
from . import statements
from .dialect import SQLITE, Db
from .filters import ArticleFilter
from .migrate import migrate, pending
from .sqlite_search import find_matches, search_rowid
from .sqlstore import EXPORT_CHUNK, Match, SQLStore

__all__ = ["SQLiteStore"]

# Seconds a writer waits for another writer's transaction before giving up.
BUSY_TIMEOUT = 30.0
# What the full-text index was built with: the analyzer, and the rowid layout
# (sqlite_search.search_rowid). A store whose index differs is rebuilt when opened.
INDEX_VERSION = f"analyzer {ANALYZER_VERSION}, rowid day<<32|doc, facets 1"
# Full-text rows held back per transaction before they are written anyway (memory bound).
MAX_PENDING = 5_000


class SQLiteStore(SQLStore):
    """A store in one SQLite file (or ``":memory:"`` for throwaway use)."""

    _db_errors = (sqlite3.OperationalError,)

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False,
                 timeout: float = BUSY_TIMEOUT) -> None:
        self.path = self.location = os.fspath(path)
        self.read_only = read_only
        self._depth = 0
        self._conn: sqlite3.Connection | None = None
        # Full-text rows of the open transaction, by doc (see _flush_index).
        self._pending: dict[int, tuple[Any, ...]] = {}
        self._index_version: str | None = None
        if read_only and self.path == ":memory:":
            raise UsageError("an in-memory store cannot be opened read-only")
        try:
            self._conn = self._connect(timeout)
            self._db = Db(self._conn, SQLITE)
            if read_only:
                self._check_readable()
            else:
                self._prepare_writer()
        except sqlite3.DatabaseError as e:
            self._discard()
            raise StoreError(f"{self.path}: cannot open the store: {e}") from e
        except BaseException:
            self._discard()
            raise

    # -- opening ---------------------------------------------------------------------------
    def _connect(self, timeout: float) -> sqlite3.Connection:
        if self.path == ":memory:":
            conn = sqlite3.connect(":memory:", isolation_level=None)
        else:
            mode = "ro" if self.read_only else "rwc"
            uri = f"{Path(self.path).absolute().as_uri()}?mode={mode}"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)
        self._conn = conn
        for pragma in sql.PRAGMAS_READER if self.read_only else sql.PRAGMAS_WRITER:
            conn.execute(pragma)
        return conn

    def _check_readable(self) -> None:
        todo = pending(self.conn, self.path)
        if todo:
            raise StoreError(f"{self.path}: not an up-to-date nyhetsvakt store (schema migration "
                             f"{todo[0].version:04d}_{todo[0].name} pending); open it for writing once")

    @property
    def _index_current(self) -> bool:
        """Whether the full-text index was built by this code (analyzer, rowid layout, facets)."""
        if self._index_version is None:
            self._index_version = self._get_meta("index_version") or ""
        return self._index_version == INDEX_VERSION

    def _prepare_writer(self) -> None:
        conn = self.conn
        # SQLite silently opens a write-protected file read-only, and in WAL mode even
        # takes the write lock; only writing a page tells. Find out now, not at the first
        # article: rewrite the header's user_version and roll back.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {int(version)}")
        finally:
            conn.execute("ROLLBACK")
        migrate(conn, self.path)
        if not self._index_current:
            self.reindex()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._conn

    def _discard(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if not self.read_only:
            try:
                conn.execute("PRAGMA busy_timeout = 50")  # never wait on another writer for this
                conn.execute("PRAGMA optimize")
            except sqlite3.OperationalError:
                pass  # only planner statistics; the data is committed
        conn.close()

    # -- transactions (SQLStore.transaction calls these) ---------------------------------------
    def _begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def _rollback(self) -> None:
        conn = self._conn
        if conn is not None and conn.in_transaction:
            conn.execute("ROLLBACK")

    def _before_commit(self) -> None:
        self._flush_index()

    def _save_state(self) -> Any:
        return dict(self._pending)

    def _restore_state(self, state: Any) -> None:
        self._pending = state  # rows flushed inside the savepoint were rolled back too

    def _reset_state(self) -> None:
        self._pending = {}

    def _flush_index(self) -> None:
        """Write the pending full-text rows, in rowid order.

        FTS5 flushes its pending terms to a new segment whenever a rowid is not above
        the previous one. Rowids follow publication dates, so rows are kept until the
        transaction ends (or :data:`MAX_PENDING` accumulate) and written sorted: one
        flush per transaction instead of one per article (5x faster loading).
        """
        if self._pending:
            rows = sorted(self._pending.values())
            self._pending = {}
            self.conn.executemany(sql.INSERT_INDEX, rows)

    # -- the full-text index ---------------------------------------------------------------
    def _index_add(self, new: list[tuple[int, Article, str]]) -> None:
        for doc, a, published in new:
            columns = index_columns(a.headline, a.lead, [b.text for b in a.blocks], a.language,
                                    {"language": a.language, "outlet": a.outlet, "story_id": a.story_id})
            self._pending[doc] = (search_rowid(published, doc), *columns)
            if len(self._pending) >= MAX_PENDING:
                self._flush_index()

    def _index_remove(self, doc: int, published: str, record: str) -> None:
        if self._pending.pop(doc, None) is None:  # already written to the index
            columns = record_columns(json.loads(record))
            self.conn.execute(sql.DELETE_INDEX, (search_rowid(published, doc), *columns))

    def _set_record_fields(self, field: str, changes: dict[str, Any]) -> None:
        self.conn.executemany(sql.SET_RECORD_FIELD.format(field=field),
                              [(value, key) for key, value in changes.items()])

    def _clear_record_field(self, field: str) -> None:
        self.conn.execute(sql.CLEAR_RECORD_FIELD.format(field=field))

    def reindex(self) -> int:
        conn = self.conn
        count = 0
        with self.transaction(), self._errors("rebuild the search index"):
            conn.execute(sql.CLEAR_INDEX)
            rows = conn.execute(sql.ALL_RECORDS)
            while batch := rows.fetchmany(EXPORT_CHUNK):
                rows_in = [(search_rowid(published, doc), *record_columns(json.loads(rec)))
                           for doc, published, rec in batch]
                conn.executemany(sql.INSERT_INDEX, rows_in)
                count += len(batch)
            conn.execute(sql.OPTIMIZE_INDEX)
            conn.execute(statements.SET_META, ("index_version", INDEX_VERSION))
        self._index_version = INDEX_VERSION
        return count

    def optimize(self) -> None:
        """Merge the search index into one segment and refresh planner statistics.

        Worth it after a large bulk load; FTS5 merges incrementally anyway.
        """
        with self.transaction(), self._errors("optimize"):
            self.conn.execute(sql.OPTIMIZE_INDEX)
        with self._errors("optimize"):
            self.conn.execute("PRAGMA optimize")

    # -- reading through the index -----------------------------------------------------------
    def _list_digest(self, order: str) -> tuple[Any, ...]:
        # Newest first walks the full-text index, whose rowid is (publication day, doc) and
        # whose facets hold language, outlet and story: any filter, any page, no sort.
        # A store whose index layout is stale (opened read-only) lists from the table.
        return (order == "published" and self._index_current,)

    def _list_rows(self, filters: ArticleFilter, order: str, after: list[Any] | None,
                   limit: int) -> list[tuple[int, list[Any]]]:
        if order == "published" and self._index_current:
            matches = find_matches(self.conn, None, None, filters, "date", after, limit)
            return [(m.doc, m.key) for m in matches]
        return self._list_from_table(filters, order, after, limit)

    def _find_matches(self, query: Query, algorithms: list[str | None], filters: ArticleFilter, order: str,
                      after: list[Any] | None, limit: int) -> list[Match]:
        positive, negative = render_fts5(query, algorithms)
        return find_matches(self.conn, positive, negative, filters, order, after, limit)
