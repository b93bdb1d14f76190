-- nyhetsvakt store, schema 3: dedup fingerprints, so a later ingest finds copies of
-- articles stored earlier. `exact` is the normalised-text key (exact copies at any age);
-- `signature` (MinHash, uint32 little-endian) and `shingles` (sorted uint32 hashes) feed
-- the near-duplicate index, warmed with the recent ones. `version` names the parameters the
-- fingerprint was made with; rows of another version are ignored (and rewritten when the
-- article is stored again). Deleted with their article.
CREATE TABLE fingerprints (
    doc       INTEGER PRIMARY KEY,
    exact     TEXT NOT NULL,
    signature BLOB NOT NULL,
    shingles  BLOB NOT NULL,
    version   TEXT NOT NULL
);
CREATE INDEX fingerprints_exact ON fingerprints (exact);
CREATE INDEX articles_duplicate_of ON articles (duplicate_of);
