-- nyhetsvakt store, schema 1.
-- Applied in one transaction and recorded in schema_migrations (see store/migrate.py).

-- One row per stored article: the columns every filter and sort needs, kept small so
-- that joining search matches to filters stays fast. The record itself is in
-- article_records. `doc` is the internal row number and the full-text rowid; `key`
-- (Article.store_key()) is the article's identity.
CREATE TABLE articles (
    doc          INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    id           TEXT NOT NULL UNIQUE,
    source_uri   TEXT NOT NULL,
    outlet       TEXT,
    language     TEXT,
    published    TEXT NOT NULL DEFAULT '',   -- ISO date; '' when unknown (sorts last)
    content_hash TEXT NOT NULL,
    duplicate_of TEXT,
    story_id     TEXT,
    added_at     TEXT NOT NULL
);
-- Single-column indexes: (language) and (outlet) entries end in the growing row number,
-- so new rows append; composites with the date would land at random pages and made
-- loading 1.3x slower at 100k articles (benchmarks/search.py).
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_language ON articles (language);
CREATE INDEX articles_outlet ON articles (outlet);
CREATE INDEX articles_source_uri ON articles (source_uri);
CREATE INDEX articles_content_hash ON articles (content_hash);
CREATE INDEX articles_story_id ON articles (story_id);

-- The full record (Article.to_record()) as JSON.
CREATE TABLE article_records (
    doc    INTEGER PRIMARY KEY REFERENCES articles (doc) ON DELETE CASCADE,
    record TEXT NOT NULL
);

-- Lines the cleaner dropped, with the reason, so stats can count them by reason.
CREATE TABLE dropped_lines (
    key    TEXT NOT NULL,          -- articles.key
    line   INTEGER NOT NULL,
    text   TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX dropped_lines_key ON dropped_lines (key);
CREATE INDEX dropped_lines_reason ON dropped_lines (reason);

-- Inputs that failed, one row per (uri, reason); cleared when the file later succeeds.
CREATE TABLE ingest_errors (
    uri    TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (uri, reason)
);

-- Completion markers: a file recorded here with the same size, mtime and digest is
-- skipped by the next ingest. Written in the same transaction as the file's articles.
CREATE TABLE ingested_files (
    uri         TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    articles    INTEGER NOT NULL,
    finished_at TEXT NOT NULL
);

-- Small settings the store keeps about itself (the analyzer version of the index).
CREATE TABLE store_meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The full-text index, derived from article_records (reindex() rebuilds it). Holds the
-- analyzer's pre-stemmed terms, so FTS5 must not change them: unicode61 without
-- diacritic folding. Contentless: the text is in article_records already. `facets`
-- holds one token per filterable value (language, outlet, story), so filters are
-- posting lists FTS5 intersects itself. The rowid is (publication day << 32) | doc.
CREATE VIRTUAL TABLE article_search USING fts5 (
    headline, lead, body, facets,
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Fewer, larger merges: flush up to 8 MiB of terms at once and merge 16 segments of a
-- level at a time (default 4). At 100k articles this loads 1.5x faster; searches are
-- unchanged within noise (benchmarks/search.py).
INSERT INTO article_search (article_search, rank) VALUES ('automerge', 16);
INSERT INTO article_search (article_search, rank) VALUES ('hashsize', 8388608);
