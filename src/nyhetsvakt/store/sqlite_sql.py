"""The SQLite store's statements, and the WHERE clauses built from an ArticleFilter.

The schema itself lives in ``migrations/``; this module holds the statements the store
runs, in one place, so the store module reads as logic.
"""

from __future__ import annotations

import json
from typing import Any

from ..search.document import COLUMN_WEIGHTS
from .filters import ArticleFilter

__all__ = ["filter_clauses"]

PRAGMAS_WRITER = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",      # durable at checkpoints; never corrupt (WAL)
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -131072",      # 128 MiB page cache: index pages stay hot while loading
    "PRAGMA mmap_size = 268435456",     # read through a 256 MiB memory map
    # Checkpoint every 32 MiB of WAL rather than 4 MiB: each checkpoint waits on fsync, and
    # at 100k articles the default made loading 1.5x slower (benchmarks/search.py).
    "PRAGMA wal_autocheckpoint = 8192",
    # A large FTS5 merge can grow the WAL to hundreds of MiB in one transaction; give the
    # space back after the next checkpoint.
    "PRAGMA journal_size_limit = 67108864",
)
PRAGMAS_READER = (
    "PRAGMA query_only = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -65536",
    "PRAGMA mmap_size = 268435456",
)

KEY_EXISTS = "SELECT 1 FROM articles WHERE key = ?"
BY_ID = "SELECT doc, source_uri FROM articles WHERE id = ?"
# Renamed variants of an id ("<id>~<key8>", "<id>~<key8>~<key8>") from one source.
VARIANTS = "SELECT doc FROM articles WHERE id > ? AND id < ? AND source_uri = ?"
INSERT_ARTICLE = """
INSERT INTO articles (key, id, source_uri, outlet, language, published, content_hash, duplicate_of,
                      story_id, added_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_RECORD = "INSERT INTO article_records (doc, record) VALUES (?, ?)"
INSERT_DROPPED = "INSERT INTO dropped_lines (key, line, text, reason) VALUES (?, ?, ?, ?)"
INSERT_INDEX = "INSERT INTO article_search (rowid, headline, lead, body, facets) VALUES (?, ?, ?, ?, ?)"
# The rowid is sqlite_search.search_rowid(published, doc). A contentless FTS5 table
# forgets a row only when given the exact terms it indexed.
DELETE_INDEX = ("INSERT INTO article_search (article_search, rowid, headline, lead, body, facets) "
                "VALUES ('delete', ?, ?, ?, ?, ?)")
CLEAR_INDEX = "INSERT INTO article_search (article_search) VALUES ('delete-all')"
OPTIMIZE_INDEX = "INSERT INTO article_search (article_search) VALUES ('optimize')"
RECORD_OF = """
SELECT a.key, a.published, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc
WHERE a.doc = ?"""
DELETE_ARTICLE = (
    "DELETE FROM dropped_lines WHERE key = ?",
    "DELETE FROM entity_mentions WHERE doc = ?",
    "DELETE FROM quotes WHERE doc = ?",
    "DELETE FROM source_citations WHERE doc = ?",
    "DELETE FROM claims WHERE doc = ?",
    "DELETE FROM fingerprints WHERE doc = ?",
    "DELETE FROM headline_keys WHERE doc = ?",
    "DELETE FROM teasers WHERE doc = ?",
    "DELETE FROM article_records WHERE doc = ?",
    "DELETE FROM articles WHERE doc = ?",
)
# In index rowid order (publication day, doc): FTS5 appends instead of flushing per row.
ALL_RECORDS = """
SELECT a.doc, a.published, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc
ORDER BY a.published, a.doc"""
RECORDS_OF_DOCS = """
SELECT a.doc, a.key, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc
WHERE a.doc IN (SELECT value FROM json_each(?))"""
GET_ARTICLE = """
SELECT r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc
WHERE a.key = ? OR a.id = ? ORDER BY a.key = ? DESC LIMIT 1"""

FILE_DONE = "SELECT size, mtime_ns, sha256 FROM ingested_files WHERE uri = ?"
MARK_FILE = """
INSERT INTO ingested_files (uri, size, mtime_ns, sha256, articles, finished_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (uri) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,
    articles = excluded.articles, finished_at = excluded.finished_at"""
CLEAR_ERRORS = "DELETE FROM ingest_errors WHERE uri = ?"
RECORD_ERROR = """
INSERT INTO ingest_errors (uri, reason, at) VALUES (?, ?, ?)
ON CONFLICT (uri, reason) DO UPDATE SET at = excluded.at"""

GET_META = "SELECT value FROM store_meta WHERE name = ?"
SET_META = """
INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value"""

STATS = {
    "articles": "SELECT count(*) FROM articles",
    "languages": "SELECT language, count(*) FROM articles GROUP BY language",
    "outlets": "SELECT outlet, count(*) FROM articles GROUP BY outlet",
    "dropped_lines": "SELECT reason, count(*) FROM dropped_lines GROUP BY reason",
    "errors": "SELECT count(*) FROM ingest_errors",
    "files": "SELECT count(*) FROM ingested_files",
}

WEIGHTS = ", ".join(str(w) for w in COLUMN_WEIGHTS)


def filter_clauses(f: ArticleFilter, alias: str = "a") -> tuple[list[str], list[Any]]:
    """SQL conditions (on table ``alias`` = articles) and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("language", f.language), ("outlet", f.outlet), ("source_uri", f.source_uri),
                          ("content_hash", f.content_hash), ("story_id", f.story)):
        if value is not None:
            where.append(f"{alias}.{column} = ?")
            params.append(value)
    if f.since is not None:
        where.append(f"{alias}.published >= ?")
        params.append(f.since.isoformat())
    if f.until is not None:
        # '' (no date) sorts before every date: exclude it explicitly.
        where.append(f"{alias}.published > '' AND {alias}.published <= ?")
        params.append(f.until.isoformat())
    if f.ids is not None:
        where.append(f"({alias}.id IN (SELECT value FROM json_each(?)) "
                     f"OR {alias}.key IN (SELECT value FROM json_each(?)))")
        ids = json.dumps(list(f.ids))
        params.extend((ids, ids))
    return where, params

# Articles read from a file or from its records (WARC "file#uri", JSON Lines "file:line"),
# as ranges so the source_uri index serves them.
ARTICLES_FROM_SOURCE = (
    "SELECT doc, key FROM articles WHERE source_uri = ? "
    "OR (source_uri >= ? AND source_uri < ?) OR (source_uri >= ? AND source_uri < ?)"
)

# Attribution rows (schema 2), derived from the record on insert.
INSERT_MENTION = ("INSERT INTO entity_mentions (doc, entity_id, canonical, key, type, text, block) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)")
INSERT_QUOTE = ("INSERT INTO quotes (doc, speaker, speaker_key, speaker_entity_id, kind, cue, medium, block, "
                "text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
INSERT_CITATION = ("INSERT INTO source_citations (doc, canonical, key, entity_id, type, cue, block) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")
INSERT_CLAIM = ("INSERT INTO claims (doc, value, unit, source, source_key, status, conflict, block, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")

# Dedup fingerprints (schema 3).
PUT_FINGERPRINT = """
INSERT OR REPLACE INTO fingerprints (doc, exact, signature, shingles, version)
SELECT doc, ?, ?, ?, ? FROM articles WHERE id = ?"""
RECENT_FINGERPRINTS = """
SELECT a.id, a.published, f.exact, f.signature, f.shingles
FROM fingerprints AS f JOIN articles AS a ON a.doc = f.doc
WHERE f.version = ? AND (a.published >= ? OR a.published = '') ORDER BY a.published, a.doc"""
EXACT_ORIGIN = """
SELECT a.id, a.duplicate_of FROM fingerprints AS f JOIN articles AS a ON a.doc = f.doc
WHERE f.exact = ? AND a.id != ? ORDER BY a.published = '', a.published, a.doc LIMIT 1"""
SET_DUPLICATE = "UPDATE articles SET duplicate_of = ? WHERE id = ?"
SET_DUPLICATE_RECORD = """
UPDATE article_records SET record = json_set(record, '$.duplicate_of', ?)
WHERE doc = (SELECT doc FROM articles WHERE id = ?)"""
DUPLICATE_GROUPS = """
SELECT o.id, o.published, o.outlet, o.language, d.id, d.published, d.outlet, d.language
FROM articles AS d JOIN articles AS o ON o.id = d.duplicate_of
ORDER BY o.published DESC, o.id, d.published, d.id"""
NEWEST_PUBLISHED = "SELECT max(published) FROM articles WHERE published != ''"
