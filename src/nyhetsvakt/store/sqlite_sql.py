"""Statements only the SQLite store runs: its pragmas and its FTS5 index.

The statements both stores run are in :mod:`.statements`; the schema in ``migrations/``.
"""

from __future__ import annotations

from ..search.document import COLUMN_WEIGHTS

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

INSERT_INDEX = "INSERT INTO article_search (rowid, headline, lead, body, facets) VALUES (?, ?, ?, ?, ?)"
# The rowid is sqlite_search.search_rowid(published, doc). A contentless FTS5 table
# forgets a row only when given the exact terms it indexed.
DELETE_INDEX = ("INSERT INTO article_search (article_search, rowid, headline, lead, body, facets) "
                "VALUES ('delete', ?, ?, ?, ?, ?)")
CLEAR_INDEX = "INSERT INTO article_search (article_search) VALUES ('delete-all')"
OPTIMIZE_INDEX = "INSERT INTO article_search (article_search) VALUES ('optimize')"
# In index rowid order (publication day, doc): FTS5 appends instead of flushing per row.
ALL_RECORDS = """
SELECT a.doc, a.published, r.record FROM articles AS a JOIN article_records AS r ON r.doc = a.doc
ORDER BY a.published, a.doc"""
# A top-level field of the records of the given article ids ({field} is a plain name).
SET_RECORD_FIELD = """
UPDATE article_records SET record = json_set(record, '$.{field}', ?)
WHERE doc = (SELECT doc FROM articles WHERE id = ?)"""
CLEAR_RECORD_FIELD = "UPDATE article_records SET record = json_set(record, '$.{field}', NULL)"

WEIGHTS = ", ".join(str(w) for w in COLUMN_WEIGHTS)
