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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..dedup.fingerprint import Fingerprint
from ..dedup.minhash import signature_from_bytes, signature_to_bytes
from ..errors import StoreError, UsageError
from ..records import Article
from ..search.analyzer import ANALYZER_VERSION, search_languages
from ..search.document import build_hit, index_columns, record_columns
from ..search.hits import SearchHit
from ..search.query import parse_query, render_fts5
from ..search.snippet import Matcher
from . import sqlite_sql as sql
from . import stories as _stories
from .attribution import (
    ClaimRow,
    EntitySummary,
    QuoteRow,
    SourceSummary,
    attribution_rows,
    query_claims,
    query_entities,
    query_quotes,
    query_sources,
)
from .base import (
    LIST_ORDERS,
    SEARCH_ORDERS,
    AddResult,
    DuplicateGroup,
    DuplicateMember,
    Page,
    Store,
    StoreStats,
)
from .cursor import decode_cursor, encode_cursor, query_digest
from .filters import ArticleFilter
from .fingerprint import FileFingerprint
from .migrate import migrate, pending
from .serialize import dumps_record
from .sqlite_search import find_matches, search_rowid
from .stories import StorySummary
from .xref import CrossReference, cross_references_of, resolve_new_article

__all__ = ["SQLiteStore"]

# Seconds a writer waits for another writer's transaction before giving up.
BUSY_TIMEOUT = 30.0
# What the full-text index was built with: the analyzer, and the rowid layout
# (sqlite_search.search_rowid). A store whose index differs is rebuilt when opened.
INDEX_VERSION = f"analyzer {ANALYZER_VERSION}, rowid day<<32|doc, facets 1"
# Articles read per query when streaming an export.
EXPORT_CHUNK = 500
MAX_LIMIT = 10_000
# Full-text rows held back per transaction before they are written anyway (memory bound).
MAX_PENDING = 5_000

_NO_FILTER = ArticleFilter()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStore(Store):
    """A store in one SQLite file (or ``":memory:"`` for throwaway use)."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False,
                 timeout: float = BUSY_TIMEOUT) -> None:
        self.path = os.fspath(path)
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
            row = self.conn.execute(sql.GET_META, ("index_version",)).fetchone()
            self._index_version = row[0] if row else ""
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

    # -- errors and transactions -------------------------------------------------------------
    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as e:
            raise StoreError(f"{self.path}: cannot {action}: {e}") from e

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; inside one, a nested call is a savepoint, so a failed
        ``add_file`` in a group of files undoes only that file."""
        if self.read_only:
            raise StoreError(f"{self.path}: the store is open read-only; cannot write")
        conn = self.conn
        if self._depth:
            yield from self._savepoint(conn)
            return
        with self._errors("start a write transaction"):
            conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            with self._errors("commit"):
                self._flush_index()
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
            self._pending = {}

    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[None]:
        name = f"nyhetsvakt_{self._depth}"
        saved = dict(self._pending)
        with self._errors("start a savepoint"):
            conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            self._pending = saved  # rows flushed inside the savepoint were rolled back too
            raise
        else:
            with self._errors("commit"):
                conn.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

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

    # -- writing ---------------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article]) -> AddResult:
        result = AddResult()
        if not articles:
            return result
        with self.transaction(), self._errors("store articles"):
            now = _now()
            for article in articles:
                self._add(article, now, result)
        return result

    def _add(self, article: Article, now: str, result: AddResult) -> None:
        conn = self.conn
        key = article.store_key()
        replaced = renamed = False
        renamed_from: str | None = None
        while True:
            if conn.execute(sql.KEY_EXISTS, (key,)).fetchone():
                result.unchanged += 1
                return
            if renamed_from is not None:
                # An earlier version of this renamed article from the same source: replace it.
                lo, hi = renamed_from + "~", renamed_from + "\x7f"
                for (doc,) in conn.execute(sql.VARIANTS, (lo, hi, article.source.uri)).fetchall():
                    self._delete(doc)
                    replaced = True
                renamed_from = None
            row = conn.execute(sql.BY_ID, (article.id,)).fetchone()
            if row is None:
                break
            doc, uri = row
            if uri == article.source.uri:
                self._delete(doc)
                replaced = True
                break
            renamed_from = article.id
            article.id = f"{article.id}~{key[:8]}"
            key = article.store_key()
            renamed = True
        self._insert(article, key, now)
        if replaced:
            result.replaced += 1
        else:
            result.added += 1
        if renamed:
            result.renamed += 1

    def _insert(self, a: Article, key: str, now: str) -> None:
        conn = self.conn
        published = a.published.isoformat() if a.published else ""
        doc = conn.execute(sql.INSERT_ARTICLE, (key, a.id, a.source.uri, a.outlet, a.language, published,
                                                a.content_hash(), a.duplicate_of, a.story_id, now)).lastrowid
        conn.execute(sql.INSERT_RECORD, (doc, dumps_record(a)))
        if a.dropped:
            conn.executemany(sql.INSERT_DROPPED, [(key, d.line, d.text, d.reason) for d in a.dropped])
        attribution_rows(conn, doc, a)
        resolve_new_article(conn, doc, a)
        columns = index_columns(a.headline, a.lead, [b.text for b in a.blocks], a.language,
                                {"language": a.language, "outlet": a.outlet, "story_id": a.story_id})
        self._pending[doc] = (search_rowid(published, doc), *columns)
        if len(self._pending) >= MAX_PENDING:
            self._flush_index()

    def _delete(self, doc: int) -> None:
        conn = self.conn
        key, published, record = conn.execute(sql.RECORD_OF, (doc,)).fetchone()
        if self._pending.pop(doc, None) is None:  # already written to the index
            columns = record_columns(json.loads(record))
            conn.execute(sql.DELETE_INDEX, (search_rowid(published, doc), *columns))
        _stories.delete_story_rows(conn, doc, key)
        conn.execute(sql.DELETE_ARTICLE[0], (key,))
        for statement in sql.DELETE_ARTICLE[1:]:
            conn.execute(statement, (doc,))

    def remove_stale(self, uri: str, keep: set[str]) -> int:
        with self.transaction(), self._errors("remove articles an edited file no longer holds"):
            rows = self.conn.execute(sql.ARTICLES_FROM_SOURCE,
                                     (uri, uri + "#", uri + "$", uri + ":", uri + ";")).fetchall()
            stale = [doc for doc, key in rows if key not in keep]
            for doc in stale:
                self._delete(doc)
        return len(stale)

    def file_done(self, uri: str, fingerprint: FileFingerprint) -> bool:
        with self._errors("read ingested files"):
            row = self.conn.execute(sql.FILE_DONE, (uri,)).fetchone()
        return row is not None and tuple(row) == (fingerprint.size, fingerprint.mtime_ns, fingerprint.sha256)

    def mark_file(self, uri: str, fingerprint: FileFingerprint, articles: int) -> None:
        with self.transaction(), self._errors("record an ingested file"):
            self.conn.execute(sql.MARK_FILE, (uri, fingerprint.size, fingerprint.mtime_ns, fingerprint.sha256,
                                              articles, _now()))
            self.conn.execute(sql.CLEAR_ERRORS, (uri,))

    def record_error(self, uri: str, reason: str) -> None:
        with self.transaction(), self._errors("record an input error"):
            self.conn.execute(sql.RECORD_ERROR, (uri, reason, _now()))

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
            conn.execute(sql.SET_META, ("index_version", INDEX_VERSION))
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

    # -- reading ---------------------------------------------------------------------------
    def get_article(self, id_or_key: str) -> Article | None:
        with self._errors("read an article"):
            row = self.conn.execute(sql.GET_ARTICLE, (id_or_key, id_or_key, id_or_key)).fetchone()
        return Article.from_record(json.loads(row[0])) if row else None

    def _records(self, docs: Sequence[int]) -> dict[int, tuple[str, dict[str, Any]]]:
        rows = self.conn.execute(sql.RECORDS_OF_DOCS, (json.dumps(list(docs)),)).fetchall()
        return {doc: (key, json.loads(rec)) for doc, key, rec in rows}

    def list_articles(self, filters: ArticleFilter = _NO_FILTER, *, order: str = "published", limit: int = 50,
                      cursor: str | None = None) -> Page[Article]:
        if order not in LIST_ORDERS:
            raise UsageError(f"unknown order {order!r} (choose from {', '.join(LIST_ORDERS)})")
        limit = _check_limit(limit)
        # Newest first walks the full-text index, whose rowid is (publication day, doc) and
        # whose facets hold language, outlet and story: any filter, any page, no sort.
        # A store whose index layout is stale (opened read-only) lists from the table.
        by_index = order == "published" and self._index_current
        digest = query_digest("list", order, filters, by_index)
        after = decode_cursor(cursor, digest) if cursor else None
        with self._errors("list articles"):
            if by_index:
                rows = [(m.doc, m.key) for m in
                        find_matches(self.conn, None, None, filters, "date", after, limit + 1)]
            else:
                rows = self._list_from_table(filters, order, after, limit + 1)
            records = self._records([doc for doc, _ in rows[:limit]])
        items = [Article.from_record(records[doc][1]) for doc, _ in rows[:limit] if doc in records]
        next_cursor = encode_cursor(digest, rows[limit - 1][1]) if len(rows) > limit else None
        return Page(items, next_cursor)

    def _list_from_table(self, filters: ArticleFilter, order: str, after: list[Any] | None,
                         limit: int) -> list[tuple[int, list[Any]]]:
        where, params = sql.filter_clauses(filters)
        if order == "published":
            if after:
                where.append("(a.published, a.doc) < (?, ?)")
                params.extend(after)
            order_by = "a.published DESC, a.doc DESC"
        else:
            if after:
                where.append("a.doc > ?")
                params.extend(after)
            order_by = "a.doc"
        query = f"SELECT a.doc, a.published FROM articles AS a {_where(where)} ORDER BY {order_by} LIMIT ?"
        rows = self.conn.execute(query, (*params, limit)).fetchall()
        return [(doc, [published, doc] if order == "published" else [doc]) for doc, published in rows]

    def iter_articles(self, filters: ArticleFilter = _NO_FILTER) -> Iterator[Article]:
        where, params = sql.filter_clauses(filters)
        where.append("a.doc > ?")
        query = (f"SELECT a.doc, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc "
                 f"{_where(where)} ORDER BY a.doc LIMIT {EXPORT_CHUNK}")
        last = 0
        while True:
            # One short query per chunk: no read transaction stays open between chunks.
            with self._errors("read articles"):
                rows = self.conn.execute(query, (*params, last)).fetchall()
            for _, record in rows:
                yield Article.from_record(json.loads(record))
            if len(rows) < EXPORT_CHUNK:
                return
            last = rows[-1][0]

    def iter_articles_by_date(self) -> Iterator[Article]:
        """Every article, oldest first (undated last), read in chunks."""
        with self._errors("read articles"):
            docs = [d for (d,) in self.conn.execute(
                "SELECT doc FROM articles ORDER BY published = '', published, doc")]
        for i in range(0, len(docs), EXPORT_CHUNK):
            with self._errors("read articles"):
                records = self._records(docs[i:i + EXPORT_CHUNK])
            for doc in docs[i:i + EXPORT_CHUNK]:
                if doc in records:
                    yield Article.from_record(records[doc][1])

    def search(self, query: str, filters: ArticleFilter = _NO_FILTER, *, order: str = "relevance",
               limit: int = 20, cursor: str | None = None) -> Page[SearchHit]:
        if order not in SEARCH_ORDERS:
            raise UsageError(f"unknown order {order!r} (choose from {', '.join(SEARCH_ORDERS)})")
        limit = _check_limit(limit)
        parsed = parse_query(query)
        if parsed.empty:
            return Page([])
        algorithms = search_languages(filters.language)
        positive, negative = render_fts5(parsed, algorithms)
        digest = query_digest("search", query, order, filters)
        after = decode_cursor(cursor, digest) if cursor else None
        with self._errors("search"):
            matches = find_matches(self.conn, positive, negative, filters, order, after, limit + 1)
            records = self._records([m.doc for m in matches[:limit]])
        matcher = Matcher(parsed, algorithms)
        hits = [build_hit(records[m.doc][1], records[m.doc][0], m.score, matcher)
                for m in matches[:limit] if m.doc in records]
        next_cursor = encode_cursor(digest, matches[limit - 1].key) if len(matches) > limit else None
        return Page(hits, next_cursor)

    def entities(self, filters: ArticleFilter = _NO_FILTER, *,
                 name: str | None = None, etype: str | None = None,
                 limit: int = 50) -> list[EntitySummary]:
        with self._errors("list entities"):
            return query_entities(self.conn, filters, name=name, etype=etype, limit=_check_limit(limit))

    def quotes(self, filters: ArticleFilter = _NO_FILTER, *,
               speaker: str | None = None, kind: str | None = None,
               limit: int = 50) -> list[QuoteRow]:
        with self._errors("list quotes"):
            return query_quotes(self.conn, filters, speaker=speaker, kind=kind, limit=_check_limit(limit))

    def sources(self, filters: ArticleFilter = _NO_FILTER, *,
                cited: str | None = None, stype: str | None = None,
                limit: int = 50) -> list[SourceSummary]:
        with self._errors("list sources"):
            return query_sources(self.conn, filters, cited=cited, stype=stype, limit=_check_limit(limit))

    def claims(self, filters: ArticleFilter = _NO_FILTER, *,
               status: str | None = None, source: str | None = None,
               conflicts: bool = False, limit: int = 50) -> list[ClaimRow]:
        with self._errors("list claims"):
            return query_claims(self.conn, filters, status=status, source=source, conflicts=conflicts,
                                limit=_check_limit(limit))

    # -- duplicates ------------------------------------------------------------------------
    def put_fingerprints(self, items: Sequence[tuple[str, Fingerprint]], version: str) -> None:
        with self._errors("store dedup fingerprints"):
            self.conn.executemany(sql.PUT_FINGERPRINT, [
                (fp.exact, signature_to_bytes(fp.signature), fp.shingles.astype("<u4").tobytes(), version,
                 key) for key, fp in items])

    def recent_fingerprints(self, since: str, version: str) -> Iterator[tuple[str, str, Fingerprint]]:
        with self._errors("read dedup fingerprints"):
            rows = self.conn.execute(sql.RECENT_FINGERPRINTS, (version, since)).fetchall()
        for key, published, exact, signature, shingles in rows:
            yield key, published, Fingerprint(exact, signature_from_bytes(signature),
                                              np.frombuffer(shingles, dtype="<u4").astype(np.uint32))

    def exact_origin(self, exact: str, exclude_id: str) -> str | None:
        with self._errors("look up exact copies"):
            row = self.conn.execute(sql.EXACT_ORIGIN, (exact, exclude_id)).fetchone()
        return None if row is None else (row[1] or row[0])

    def set_duplicates(self, changes: dict[str, str | None]) -> None:
        if not changes:
            return
        with self.transaction(), self._errors("update duplicate_of"):
            for key, origin in changes.items():
                self.conn.execute(sql.SET_DUPLICATE, (origin, key))
                self.conn.execute(sql.SET_DUPLICATE_RECORD, (origin, key))

    def duplicate_groups(self, limit: int = 50) -> list[DuplicateGroup]:
        limit = _check_limit(limit)
        groups: dict[str, DuplicateGroup] = {}
        with self._errors("list duplicates"):
            for row in self.conn.execute(sql.DUPLICATE_GROUPS):
                origin = DuplicateMember(row[0], row[1] or None, row[2], row[3])
                group = groups.get(origin.id)
                if group is None:
                    if len(groups) >= limit:
                        break
                    group = groups[origin.id] = DuplicateGroup(origin)
                group.copies.append(DuplicateMember(row[4], row[5] or None, row[6], row[7]))
        return list(groups.values())

    # -- stories ---------------------------------------------------------------------------
    def put_story_features(self, items: Sequence[tuple[str, dict[str, Any]]], version: str) -> None:
        with self._errors("store story features"):
            _stories.put_story_features(self.conn, items, version)

    def active_story_features(self, since: str, version: str
                              ) -> Iterator[tuple[str, str, str | None, dict[str, Any]]]:
        with self._errors("read story features"):
            rows = list(_stories.active_features(self.conn, since, version))
        yield from rows

    def set_story_ids(self, changes: dict[str, str | None]) -> None:
        if changes:
            with self.transaction(), self._errors("update story_id"):
                _stories.set_story_ids(self.conn, changes)

    def put_story_records(self, records: Sequence[dict[str, Any]]) -> None:
        with self.transaction(), self._errors("store story records"):
            for record in records:
                _stories.put_story_record(self.conn, record)

    def put_story_links(self, links: Sequence[tuple[str, str, float, str, Sequence[str]]]) -> None:
        with self._errors("store story links"):
            _stories.put_links(self.conn, links)

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        with self._errors("read a story"):
            return _stories.get_story(self.conn, story_id)

    def list_stories(self, *, since: str | None = None, language: str | None = None, min_size: int = 1,
                     limit: int = 50) -> list[StorySummary]:
        with self._errors("list stories"):
            return _stories.list_stories(self.conn, since=since, language=language, min_size=min_size,
                                         limit=_check_limit(limit))

    def stories_of(self, article_ids: Sequence[str]) -> set[str]:
        with self._errors("read story ids"):
            return _stories.stored_stories_of(self.conn, article_ids) if article_ids else set()

    def clear_stories(self) -> None:
        with self.transaction(), self._errors("clear stories"):
            _stories.clear_stories(self.conn)

    def cross_references(self, article_id: str) -> list[CrossReference]:
        with self._errors("read cross-references"):
            return cross_references_of(self.conn, article_id)

    def newest_published(self) -> date | None:
        with self._errors("read dates"):
            (value,) = self.conn.execute(sql.NEWEST_PUBLISHED).fetchone()
        return date.fromisoformat(value) if value else None

    def stats(self) -> StoreStats:
        conn = self.conn
        with self._errors("read statistics"):
            counts = {name: conn.execute(q).fetchall() for name, q in sql.STATS.items()}
        return StoreStats(
            articles=counts["articles"][0][0],
            languages=dict(counts["languages"]),
            outlets=dict(counts["outlets"]),
            dropped_lines=dict(counts["dropped_lines"]),
            errors=counts["errors"][0][0],
            files=counts["files"][0][0],
        )


def _where(conditions: list[str]) -> str:
    return "WHERE " + " AND ".join(conditions) if conditions else ""


def _check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    return limit
