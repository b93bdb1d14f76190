-- nyhetsvakt store, schema 3, PostgreSQL: dedup fingerprints (as migrations/0003_duplicates.sql).
-- `signature` (MinHash, uint32 little-endian) and `shingles` (sorted uint32 hashes) are bytes.
CREATE TABLE fingerprints (
    doc       BIGINT PRIMARY KEY,
    exact     TEXT COLLATE "C" NOT NULL,
    signature BYTEA NOT NULL,
    shingles  BYTEA NOT NULL,
    version   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX fingerprints_exact ON fingerprints (exact);
CREATE INDEX articles_duplicate_of ON articles (duplicate_of);
