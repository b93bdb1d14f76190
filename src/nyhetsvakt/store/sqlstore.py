"""What the SQLite and PostgreSQL stores share: everything but connecting, locking and
the search index.

:class:`SQLStore` implements the :class:`~.base.Store` interface over the tables of
schema 1-5, through a :class:`~.dialect.Db`. A backend subclass provides the connection
(``self._db``), what a write transaction starts with, how database errors look, and the
full-text index: the ``_index_*`` hooks keep it in step with the articles table, and
``_find_matches`` / ``_list_rows`` read it.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from ..dedup.fingerprint import Fingerprint
from ..dedup.minhash import signature_from_bytes, signature_to_bytes
from ..errors import StoreError, UsageError
from ..records import Article
from ..search.analyzer import search_languages
from ..search.document import build_hit
from ..search.hits import SearchHit
from ..search.query import Query, parse_query
from ..search.snippet import Matcher
from . import browse
from . import statements as sql
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
from .browse import ArticleRow, EntityDetail, SourceClaims
from .cursor import decode_cursor, encode_cursor, query_digest
from .dialect import Db, filter_clauses
from .filters import ArticleFilter
from .fingerprint import FileFingerprint
from .serialize import dumps_record
from .stories import StorySummary
from .xref import CrossReference, cross_references_of, resolve_new_articles

__all__ = ["EXPORT_CHUNK", "MAX_LIMIT", "Match", "SQLStore"]

# Articles read per query when streaming an export.
EXPORT_CHUNK = 500
# Articles looked up and written together by add_articles (a file holds 20-50).
ADD_BATCH = 500
MAX_LIMIT = 10_000

_NO_FILTER = ArticleFilter()


@dataclass(frozen=True, slots=True)
class Match:
    """One matching article: its row, relevance (higher is better; 0.0 by date) and page key;
    its store key and record (JSON) where the search read them too."""

    doc: int
    score: float
    key: list[Any]
    stored: tuple[str, str] | None = None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    return limit


def where_sql(conditions: list[str]) -> str:
    return "WHERE " + " AND ".join(conditions) if conditions else ""


@dataclass(slots=True)
class _Stored:
    """Which of a batch's keys and ids the store holds, kept current while the batch is written."""

    keys: set[str]
    ids: set[str]

    def add(self, key: str, article_id: str) -> None:
        self.keys.add(key)
        self.ids.add(article_id)

    def remove(self, key: str, article_id: str) -> None:
        self.keys.discard(key)
        self.ids.discard(article_id)


class SQLStore(Store):
    """A store over the schema's tables; see the module docstring for what a backend adds."""

    # Where the store is, for messages: a file path, or a URL without its password.
    location: str
    # The exceptions of the driver that mean "the database said no" (become StoreError).
    _db_errors: tuple[type[BaseException], ...]
    _db: Db
    _depth: int = 0

    # -- backend hooks -----------------------------------------------------------------------
    @abstractmethod
    def _begin(self) -> None:
        """Start a write transaction (and take whatever lock writers take)."""

    @abstractmethod
    def _rollback(self) -> None:
        """Roll back the open transaction, if the connection still has one."""

    def _before_commit(self) -> None:
        """Write what the transaction held back (SQLite's sorted index rows)."""

    def _save_state(self) -> Any:
        """What a savepoint must restore in Python when it rolls back."""
        return None

    def _restore_state(self, state: Any) -> None:
        pass

    def _reset_state(self) -> None:
        """After a top-level transaction ends, either way."""

    @abstractmethod
    def _index_add(self, new: list[tuple[int, Article, str]]) -> None:
        """Index new articles: (row ``doc``, article, published)."""

    @abstractmethod
    def _index_remove(self, doc: int, published: str, record: str) -> None:
        """Forget an article's index entry (before its rows are deleted)."""

    @abstractmethod
    def _find_matches(self, query: Query, algorithms: list[str | None], filters: ArticleFilter, order: str,
                      after: list[Any] | None, limit: int) -> list[Match]:
        """Up to ``limit`` search matches in ``order`` after the cursor key."""

    @abstractmethod
    def _set_record_fields(self, field: str, changes: dict[str, Any]) -> None:
        """Set a top-level field of the records of the given article ids."""

    @abstractmethod
    def _clear_record_field(self, field: str) -> None:
        """Set a top-level field of every record to null."""

    # -- errors and transactions -------------------------------------------------------------
    def _reason(self, error: BaseException) -> str:
        return str(error)

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except self._db_errors as e:
            raise StoreError(f"{self.location}: cannot {action}: {self._reason(e)}") from e

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; inside one, a nested call is a savepoint, so a failed
        ``add_file`` in a group of files undoes only that file."""
        if self.read_only:
            raise StoreError(f"{self.location}: the store is open read-only; cannot write")
        if self._depth:
            yield from self._savepoint()
            return
        with self._errors("start a write transaction"):
            self._begin()
        self._depth = 1
        try:
            yield
            with self._errors("commit"):
                self._before_commit()
                self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0
            self._reset_state()

    def _savepoint(self) -> Iterator[None]:
        name = f"nyhetsvakt_{self._depth}"
        saved = self._save_state()
        with self._errors("start a savepoint"):
            self._db.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            # A connection that broke cannot roll back: the outer transaction then fails too.
            with suppress(*self._db_errors):
                self._db.execute(f"ROLLBACK TO {name}")
                self._db.execute(f"RELEASE {name}")
            self._restore_state(saved)
            raise
        else:
            with self._errors("commit"):
                self._db.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    # -- writing ---------------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article]) -> AddResult:
        result = AddResult()
        if not articles:
            return result
        with self.transaction(), self._errors("store articles"):
            stamp = now()
            for start in range(0, len(articles), ADD_BATCH):
                self._add_batch(articles[start:start + ADD_BATCH], stamp, result)
        return result

    def _add_batch(self, articles: Sequence[Article], stamp: str, result: AddResult) -> None:
        """Store articles with one look-up of all their keys and ids, the new ones a statement
        per table. An article whose id is taken (to replace or rename) goes its own way
        (:meth:`_add`), after the articles before it are in: the outcome is one by one's."""
        keys = [a.store_key() for a in articles]
        stored = self._stored(keys, [a.id for a in articles])
        new: list[tuple[Article, str]] = []
        for article, key in zip(articles, keys, strict=True):
            if key in stored.keys:
                result.unchanged += 1
            elif (article_id := self._as_stored(article.id)) not in stored.ids:
                new.append((article, key))
                stored.add(key, article_id)
                result.added += 1
            else:
                self._insert(new, stamp)
                new = []
                self._add(article, key, stamp, result, stored)
        self._insert(new, stamp)

    def _stored(self, keys: list[str], ids: list[str]) -> _Stored:
        dialect = self._db.dialect
        rows = self._db.execute(sql.stored_keys_and_ids(dialect),
                                (dialect.list_param(keys), dialect.list_param(ids))).fetchall()
        return _Stored({key for key, _ in rows}, {id_ for _, id_ in rows})

    def _add(self, article: Article, key: str, stamp: str, result: AddResult, stored: _Stored) -> None:
        """Store one article whose id is taken, by the rules of the module :mod:`.base`."""
        db = self._db
        replaced = renamed = False
        renamed_from: str | None = None
        while True:
            if db.execute(sql.KEY_EXISTS, (key,)).fetchone():
                result.unchanged += 1
                return
            if renamed_from is not None:
                # An earlier version of this renamed article from the same source: replace it.
                lo, hi = renamed_from + "~", renamed_from + "\x7f"
                for (doc,) in db.execute(sql.VARIANTS, (lo, hi, article.source.uri)).fetchall():
                    stored.remove(*self._delete(doc))
                    replaced = True
                renamed_from = None
            row = db.execute(sql.BY_ID, (article.id,)).fetchone()
            if row is None:
                break
            doc, uri = row
            if uri == article.source.uri:
                stored.remove(*self._delete(doc))
                replaced = True
                break
            renamed_from = article.id
            article.id = f"{article.id}~{key[:8]}"
            key = article.store_key()
            renamed = True
        self._insert([(article, key)], stamp)
        stored.add(key, self._as_stored(article.id))
        if replaced:
            result.replaced += 1
        else:
            result.added += 1
        if renamed:
            result.renamed += 1

    def _insert(self, new: list[tuple[Article, str]], stamp: str) -> None:
        """Write articles (with their keys) whose keys and ids the store does not hold, in order.

        A statement per table, each table's rows in the articles' order (so the tables'
        row numbers come out as one by one); nothing is read back but the articles' row
        numbers, so PostgreSQL sends the rest in one pipeline.
        """
        if not new:
            return
        db = self._db
        published = [a.published.isoformat() if a.published else "" for a, _ in new]
        docs = self._insert_articles([
            (key, a.id, a.source.uri, a.outlet, a.language, day, a.content_hash(), a.duplicate_of,
             a.story_id, stamp) for (a, key), day in zip(new, published, strict=True)])
        articles = [(doc, a) for doc, (a, _) in zip(docs, new, strict=True)]
        with self._pipeline():
            # The search index first: on PostgreSQL, the server's heaviest part, done while
            # the rest is sent.
            self._index_add([(doc, a, day) for (doc, a), day in zip(articles, published, strict=True)])
            db.executemany(sql.INSERT_RECORD, [(doc, dumps_record(a)) for doc, a in articles])
            dropped = [(key, d.line, d.text, d.reason) for a, key in new for d in a.dropped]
            if dropped:
                db.executemany(sql.INSERT_DROPPED, dropped)
            attribution_rows(db, articles)
            resolve_new_articles(db, articles)

    def _insert_articles(self, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert rows of the articles table in order; their row numbers (doc)."""
        return [self._db.execute(sql.INSERT_ARTICLE, row).fetchone()[0] for row in rows]

    def _pipeline(self) -> AbstractContextManager[Any]:
        """Where the statements inside need not wait for each other (PostgreSQL's pipeline)."""
        return nullcontext()

    def _delete(self, doc: int) -> tuple[str, str]:
        """Delete an article and what derives from it; its key and id (as stored)."""
        db = self._db
        key, article_id, published, record = db.execute(sql.RECORD_OF, (doc,)).fetchone()
        self._index_remove(doc, published, record)
        _stories.delete_story_rows(db, doc, json.loads(record)["id"])
        db.execute(sql.DELETE_ARTICLE[0], (key,))
        for statement in sql.DELETE_ARTICLE[1:]:
            db.execute(statement, (doc,))
        return key, article_id

    def _as_stored(self, text: str) -> str:
        """A text as the database keeps it in a column (PostgreSQL drops NUL characters)."""
        return text

    def remove_stale(self, uri: str, keep: set[str]) -> int:
        with self.transaction(), self._errors("remove articles an edited file no longer holds"):
            rows = self._db.execute(sql.ARTICLES_FROM_SOURCE, sql.source_range(uri)).fetchall()
            stale = [doc for doc, key in rows if key not in keep]
            for doc in stale:
                self._delete(doc)
        return len(stale)

    def file_done(self, uri: str, fingerprint: FileFingerprint) -> bool:
        with self._errors("read ingested files"):
            row = self._db.execute(sql.FILE_DONE, (uri,)).fetchone()
        return row is not None and tuple(row) == (fingerprint.size, fingerprint.mtime_ns, fingerprint.sha256)

    def mark_file(self, uri: str, fingerprint: FileFingerprint, articles: int) -> None:
        with self.transaction(), self._errors("record an ingested file"):
            self._db.execute(sql.MARK_FILE, (uri, fingerprint.size, fingerprint.mtime_ns, fingerprint.sha256,
                                             articles, now()))
            self._db.execute(sql.CLEAR_ERRORS, (uri,))

    def record_error(self, uri: str, reason: str) -> None:
        with self.transaction(), self._errors("record an input error"):
            self._db.execute(sql.RECORD_ERROR, (uri, reason, now()))

    def _get_meta(self, name: str) -> str | None:
        row = self._db.execute(sql.GET_META, (name,)).fetchone()
        return row[0] if row else None

    # -- reading ---------------------------------------------------------------------------
    def get_article(self, id_or_key: str) -> Article | None:
        with self._errors("read an article"):
            row = self._db.execute(sql.GET_ARTICLE, (id_or_key, id_or_key, id_or_key)).fetchone()
        return Article.from_record(json.loads(row[0])) if row else None

    def _records(self, docs: Sequence[int]) -> dict[int, tuple[str, dict[str, Any]]]:
        if not docs:
            return {}
        dialect = self._db.dialect
        rows = self._db.execute(sql.records_of_docs(dialect), (dialect.list_param(docs),)).fetchall()
        return {doc: (key, json.loads(rec)) for doc, key, rec in rows}

    def _list_digest(self, order: str) -> tuple[Any, ...]:
        """What besides query, filters and order makes a listing's cursors (SQLite: the index)."""
        return ()

    def _list_rows(self, filters: ArticleFilter, order: str, after: list[Any] | None,
                   limit: int) -> list[tuple[int, list[Any]]]:
        return self._list_from_table(filters, order, after, limit)

    def list_articles(self, filters: ArticleFilter = _NO_FILTER, *, order: str = "published", limit: int = 50,
                      cursor: str | None = None) -> Page[Article]:
        if order not in LIST_ORDERS:
            raise UsageError(f"unknown order {order!r} (choose from {', '.join(LIST_ORDERS)})")
        limit = check_limit(limit)
        digest = query_digest("list", order, filters, *self._list_digest(order))
        after = decode_cursor(cursor, digest) if cursor else None
        with self._errors("list articles"):
            rows = self._list_rows(filters, order, after, limit + 1)
            records = self._records([doc for doc, _ in rows[:limit]])
        items = [Article.from_record(records[doc][1]) for doc, _ in rows[:limit] if doc in records]
        next_cursor = encode_cursor(digest, rows[limit - 1][1]) if len(rows) > limit else None
        return Page(items, next_cursor)

    def _list_from_table(self, filters: ArticleFilter, order: str, after: list[Any] | None,
                         limit: int) -> list[tuple[int, list[Any]]]:
        where, params = filter_clauses(filters, self._db.dialect)
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
        query = f"SELECT a.doc, a.published FROM articles AS a {where_sql(where)} ORDER BY {order_by} LIMIT ?"
        rows = self._db.execute(query, (*params, limit)).fetchall()
        return [(doc, [published, doc] if order == "published" else [doc]) for doc, published in rows]

    def iter_articles(self, filters: ArticleFilter = _NO_FILTER) -> Iterator[Article]:
        where, params = filter_clauses(filters, self._db.dialect)
        where.append("a.doc > ?")
        query = (f"SELECT a.doc, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc "
                 f"{where_sql(where)} ORDER BY a.doc LIMIT {EXPORT_CHUNK}")
        last = 0
        while True:
            # One short query per chunk: no read transaction stays open between chunks.
            with self._errors("read articles"):
                rows = self._db.execute(query, (*params, last)).fetchall()
            for _, record in rows:
                yield Article.from_record(json.loads(record))
            if len(rows) < EXPORT_CHUNK:
                return
            last = rows[-1][0]

    def iter_articles_by_date(self) -> Iterator[Article]:
        """Every article, oldest first (undated last), read in chunks."""
        with self._errors("read articles"):
            docs = [d for (d,) in self._db.execute(sql.BY_DATE).fetchall()]
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
        limit = check_limit(limit)
        parsed = parse_query(query)
        if parsed.empty:
            return Page([])
        algorithms = search_languages(filters.language)
        digest = query_digest("search", query, order, filters)
        after = decode_cursor(cursor, digest) if cursor else None
        with self._errors("search"):
            matches = self._find_matches(parsed, algorithms, filters, order, after, limit + 1)
            records = self._records([m.doc for m in matches[:limit] if m.stored is None])
        records.update((m.doc, (m.stored[0], json.loads(m.stored[1]))) for m in matches[:limit] if m.stored)
        matcher = Matcher(parsed, algorithms)
        hits = [build_hit(records[m.doc][1], records[m.doc][0], m.score, matcher)
                for m in matches[:limit] if m.doc in records]
        next_cursor = encode_cursor(digest, matches[limit - 1].key) if len(matches) > limit else None
        return Page(hits, next_cursor)

    # -- entities, quotes, sources, claims ---------------------------------------------------
    def entities(self, filters: ArticleFilter = _NO_FILTER, *, name: str | None = None,
                 etype: str | None = None, limit: int = 50) -> list[EntitySummary]:
        with self._errors("list entities"):
            return query_entities(self._db, filters, name=name, etype=etype, limit=check_limit(limit))

    def quotes(self, filters: ArticleFilter = _NO_FILTER, *, speaker: str | None = None,
               kind: str | None = None, limit: int = 50) -> list[QuoteRow]:
        with self._errors("list quotes"):
            return query_quotes(self._db, filters, speaker=speaker, kind=kind, limit=check_limit(limit))

    def sources(self, filters: ArticleFilter = _NO_FILTER, *, cited: str | None = None,
                stype: str | None = None, limit: int = 50) -> list[SourceSummary]:
        with self._errors("list sources"):
            return query_sources(self._db, filters, cited=cited, stype=stype, limit=check_limit(limit))

    def claims(self, filters: ArticleFilter = _NO_FILTER, *, status: str | None = None,
               source: str | None = None, conflicts: bool = False, limit: int = 50) -> list[ClaimRow]:
        with self._errors("list claims"):
            return query_claims(self._db, filters, status=status, source=source, conflicts=conflicts,
                                limit=check_limit(limit))

    # -- what the web pages browse (see browse.py) -------------------------------------------
    def article_rows(self, ids: Sequence[str]) -> list[ArticleRow]:
        with self._errors("read articles"):
            return browse.article_rows(self._db, ids)

    def story_members(self, story_id: str, limit: int = browse.STORY_ARTICLES) -> list[ArticleRow]:
        with self._errors("read a story"):
            return browse.story_members(self._db, story_id, limit)

    def story_member_ids(self, story_id: str, limit: int = browse.ENTITY_FILTER_MAX) -> list[str]:
        with self._errors("read a story"):
            return browse.story_member_ids(self._db, story_id, limit)

    def story_summary(self, story_id: str) -> dict[str, Any] | None:
        with self._errors("read a story"):
            return browse.story_summary(self._db, story_id)

    def copies_of(self, article_id: str, limit: int = 50) -> list[ArticleRow]:
        with self._errors("read duplicates"):
            return browse.copies_of(self._db, article_id, limit)

    def entity_article_ids(self, entity_id: str, limit: int = browse.ENTITY_FILTER_MAX) -> list[str]:
        with self._errors("read an entity"):
            return browse.entity_article_ids(self._db, entity_id, limit)

    def entity_detail(self, entity_id: str) -> EntityDetail | None:
        with self._errors("read an entity"):
            return browse.entity_detail(self._db, entity_id)

    def entity_name(self, entity_id: str) -> str | None:
        with self._errors("read an entity"):
            return browse.entity_name(self._db, entity_id)

    def outlet_names(self, limit: int = 1000) -> list[str]:
        with self._errors("list outlets"):
            return browse.outlet_names(self._db, limit)

    def citation_matrix(self, filters: ArticleFilter, sources: Sequence[str], outlets: int = 12
                        ) -> tuple[list[str | None], dict[tuple[str | None, str], int]]:
        with self._errors("count citations"):
            return browse.citation_matrix(self._db, filters, sources, outlets)

    def claims_by_source(self, filters: ArticleFilter, limit: int = 30
                         ) -> tuple[dict[str, int], list[SourceClaims]]:
        with self._errors("count claims"):
            return browse.claims_by_source(self._db, filters, limit)

    def article_ids_from(self, uri: str, limit: int = 1000) -> list[str]:
        with self._errors("read articles"):
            return [r[0] for r in self._db.execute(sql.IDS_FROM_SOURCE, (*sql.source_range(uri), limit))]

    def count_articles(self) -> int:
        with self._errors("count articles"):
            return self._db.execute(sql.STATS["articles"]).fetchone()[0]

    # -- duplicates ------------------------------------------------------------------------
    def put_fingerprints(self, items: Sequence[tuple[str, Fingerprint]], version: str) -> None:
        with self._errors("store dedup fingerprints"):
            self._db.executemany(sql.PUT_FINGERPRINT, [
                (fp.exact, signature_to_bytes(fp.signature), fp.shingles.astype("<u4").tobytes(), version,
                 key) for key, fp in items])

    def recent_fingerprints(self, since: str, version: str) -> Iterator[tuple[str, str, Fingerprint]]:
        with self._errors("read dedup fingerprints"):
            rows = self._db.execute(sql.RECENT_FINGERPRINTS, (version, since)).fetchall()
        for key, published, exact, signature, shingles in rows:
            yield key, published, Fingerprint(exact, signature_from_bytes(bytes(signature)),
                                              np.frombuffer(shingles, dtype="<u4").astype(np.uint32))

    def exact_origin(self, exact: str, exclude_id: str) -> str | None:
        with self._errors("look up exact copies"):
            row = self._db.execute(sql.EXACT_ORIGIN, (exact, exclude_id)).fetchone()
        return None if row is None else (row[1] or row[0])

    def set_duplicates(self, changes: dict[str, str | None]) -> None:
        if not changes:
            return
        with self.transaction(), self._errors("update duplicate_of"):
            self._db.executemany(sql.SET_DUPLICATE, [(origin, key) for key, origin in changes.items()])
            self._set_record_fields("duplicate_of", changes)

    def duplicate_groups(self, limit: int = 50) -> list[DuplicateGroup]:
        limit = check_limit(limit)
        groups: dict[str, DuplicateGroup] = {}
        with self._errors("list duplicates"):
            for row in self._db.execute(sql.DUPLICATE_GROUPS):
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
            _stories.put_story_features(self._db, items, version)

    def active_story_features(self, since: str, version: str
                              ) -> Iterator[tuple[str, str, str | None, dict[str, Any]]]:
        with self._errors("read story features"):
            rows = list(_stories.active_features(self._db, since, version))
        yield from rows

    def set_story_ids(self, changes: dict[str, str | None]) -> None:
        if changes:
            with self.transaction(), self._errors("update story_id"):
                _stories.set_story_ids(self._db, changes)
                self._set_record_fields("story_id", changes)

    def put_story_records(self, records: Sequence[dict[str, Any]]) -> None:
        with self.transaction(), self._errors("store story records"):
            for record in records:
                _stories.put_story_record(self._db, record)

    def put_story_links(self, links: Sequence[tuple[str, str, float, str, Sequence[str]]]) -> None:
        with self._errors("store story links"):
            _stories.put_links(self._db, links)

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        with self._errors("read a story"):
            return _stories.get_story(self._db, story_id)

    def list_stories(self, *, since: str | None = None, language: str | None = None, min_size: int = 1,
                     limit: int = 50) -> list[StorySummary]:
        with self._errors("list stories"):
            return _stories.list_stories(self._db, since=since, language=language, min_size=min_size,
                                         limit=check_limit(limit))

    def stories_of(self, article_ids: Sequence[str]) -> set[str]:
        with self._errors("read story ids"):
            return _stories.stored_stories_of(self._db, article_ids) if article_ids else set()

    def clear_stories(self) -> None:
        with self.transaction(), self._errors("clear stories"):
            _stories.clear_stories(self._db)
            self._clear_record_field("story_id")

    def cross_references(self, article_id: str) -> list[CrossReference]:
        with self._errors("read cross-references"):
            return cross_references_of(self._db, article_id)

    def newest_published(self) -> date | None:
        with self._errors("read dates"):
            (value,) = self._db.execute(sql.NEWEST_PUBLISHED).fetchone()
        return date.fromisoformat(value) if value else None

    def stats(self) -> StoreStats:
        with self._errors("read statistics"):
            counts = {name: self._db.execute(q).fetchall() for name, q in sql.STATS.items()}
        return StoreStats(
            articles=counts["articles"][0][0],
            languages=dict(counts["languages"]),
            outlets=dict(counts["outlets"]),
            dropped_lines=dict(counts["dropped_lines"]),
            errors=counts["errors"][0][0],
            files=counts["files"][0][0],
        )
