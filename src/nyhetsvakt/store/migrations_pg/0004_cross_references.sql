-- nyhetsvakt store, schema 4, PostgreSQL: teaser titles resolved to the stored article they
-- name (as migrations/0004_cross_references.sql). Keys are compared as prefixes by range:
-- byte order (COLLATE "C").
CREATE TABLE headline_keys (
    doc BIGINT PRIMARY KEY,
    key TEXT COLLATE "C" NOT NULL
);
CREATE INDEX headline_keys_key ON headline_keys (key);

CREATE TABLE teasers (
    rowid  BIGINT GENERATED ALWAYS AS IDENTITY,
    doc    BIGINT NOT NULL,
    teaser TEXT NOT NULL,
    key    TEXT COLLATE "C" NOT NULL,
    target TEXT COLLATE "C"          -- articles.id of the article it names, NULL until found
);
CREATE INDEX teasers_doc ON teasers (doc);
CREATE INDEX teasers_key ON teasers (key);
