"""The statements both SQL stores run, written once (``?`` placeholders).

The schemas live in ``migrations/`` (SQLite) and ``migrations_pg/`` (PostgreSQL) and keep
the same tables and columns, so these statements read the same on both. What the two
spell differently comes from a :class:`~.dialect.Dialect`; statements only one backend
runs sit in its own module (``sqlite_sql``, ``postgres``).
"""

from __future__ import annotations

from .dialect import Dialect


def stored_keys_and_ids(dialect: Dialect) -> str:
    """(key, id) of the stored articles with one of the keys or ids given as two list parameters."""
    return (f"SELECT key, id FROM articles WHERE {dialect.in_('key')} "
            f"UNION ALL SELECT key, id FROM articles WHERE {dialect.in_('id')}")


KEY_EXISTS = "SELECT 1 FROM articles WHERE key = ?"
BY_ID = "SELECT doc, source_uri FROM articles WHERE id = ?"
# Renamed variants of an id ("<id>~<key8>", "<id>~<key8>~<key8>") from one source.
VARIANTS = "SELECT doc FROM articles WHERE id > ? AND id < ? AND source_uri = ?"
INSERT_ARTICLE = """
INSERT INTO articles (key, id, source_uri, outlet, language, published, content_hash, duplicate_of,
                      story_id, added_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING doc"""
INSERT_RECORD = "INSERT INTO article_records (doc, record) VALUES (?, ?)"
INSERT_DROPPED = "INSERT INTO dropped_lines (key, line, text, reason) VALUES (?, ?, ?, ?)"
RECORD_OF = """
SELECT a.key, a.id, a.published, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc
WHERE a.doc = ?"""
DELETE_ARTICLE = (
    "DELETE FROM dropped_lines WHERE key = ?",
    "DELETE FROM entity_mentions WHERE doc = ?",
    "DELETE FROM quotes WHERE doc = ?",
    "DELETE FROM source_citations WHERE doc = ?",
    "DELETE FROM claims WHERE doc = ?",
    "DELETE FROM fingerprints WHERE doc = ?",
    "DELETE FROM headline_prefixes WHERE doc = ?",
    "DELETE FROM teasers WHERE doc = ?",
    "DELETE FROM article_records WHERE doc = ?",
    "DELETE FROM articles WHERE doc = ?",
)
GET_ARTICLE = """
SELECT r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc
WHERE a.key = ? OR a.id = ? ORDER BY a.key = ? DESC LIMIT 1"""
# Articles read from a file or from its records (WARC "file#uri", JSON Lines "file:line"),
# as ranges so the source_uri index serves them.
FROM_SOURCE = ("source_uri = ? OR (source_uri >= ? AND source_uri < ?) "
               "OR (source_uri >= ? AND source_uri < ?)")
ARTICLES_FROM_SOURCE = f"SELECT doc, key FROM articles WHERE {FROM_SOURCE}"
IDS_FROM_SOURCE = f"SELECT id FROM articles WHERE {FROM_SOURCE} ORDER BY doc LIMIT ?"


def source_range(uri: str) -> tuple[str, ...]:
    """The parameters of :data:`FROM_SOURCE` for a file's uri."""
    return uri, uri + "#", uri + "$", uri + ":", uri + ";"


def records_of_docs(dialect: Dialect) -> str:
    return ("SELECT a.doc, a.key, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc "
            f"WHERE {dialect.in_('a.doc')}")


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

# Attribution rows (schema 2), derived from the record on insert.
INSERT_MENTION = ("INSERT INTO entity_mentions (doc, entity_id, canonical, key, type, text, block) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)")
INSERT_QUOTE = ("INSERT INTO quotes (doc, speaker, speaker_key, speaker_entity_id, kind, cue, medium, block, "
                "text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
INSERT_CITATION = ("INSERT INTO source_citations (doc, canonical, key, entity_id, type, cue, block) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")
INSERT_CLAIM = ("INSERT INTO claims (doc, value, unit, source, source_key, status, conflict, block, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")

# Dedup fingerprints (schema 3). "WHERE" before "ON CONFLICT": SQLite would read the
# upsert of an INSERT … SELECT without one as a join constraint.
PUT_FINGERPRINT = """
INSERT INTO fingerprints (doc, exact, signature, shingles, version)
SELECT doc, ?, ?, ?, ? FROM articles WHERE id = ?
ON CONFLICT (doc) DO UPDATE SET exact = excluded.exact, signature = excluded.signature,
    shingles = excluded.shingles, version = excluded.version"""
RECENT_FINGERPRINTS = """
SELECT a.id, a.published, f.exact, f.signature, f.shingles
FROM fingerprints AS f JOIN articles AS a ON a.doc = f.doc
WHERE f.version = ? AND (a.published >= ? OR a.published = '') ORDER BY a.published, a.doc"""
EXACT_ORIGIN = """
SELECT a.id, a.duplicate_of FROM fingerprints AS f JOIN articles AS a ON a.doc = f.doc
WHERE f.exact = ? AND a.id != ? ORDER BY a.published = '', a.published, a.doc LIMIT 1"""
SET_DUPLICATE = "UPDATE articles SET duplicate_of = ? WHERE id = ?"
DUPLICATE_GROUPS = """
SELECT o.id, o.published, o.outlet, o.language, d.id, d.published, d.outlet, d.language
FROM articles AS d JOIN articles AS o ON o.id = d.duplicate_of
ORDER BY o.published DESC, o.id, d.published, d.id"""
NEWEST_PUBLISHED = "SELECT max(published) FROM articles WHERE published != ''"
BY_DATE = "SELECT doc FROM articles ORDER BY published = '', published, doc"
