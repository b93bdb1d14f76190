-- nyhetsvakt store, schema 2, PostgreSQL: entities, quotes, source citations and claims as
-- rows (as migrations/0002_attribution.sql). `rowid` keeps the order rows were written in,
-- as SQLite's implicit rowid does. A PostgreSQL store starts with this code, so no record
-- predates the tables: there is nothing to copy in.

CREATE TABLE entity_mentions (
    rowid     BIGINT GENERATED ALWAYS AS IDENTITY,
    doc       BIGINT NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    canonical TEXT COLLATE "C" NOT NULL,
    key       TEXT COLLATE "C" NOT NULL,      -- the folded name (case, accents, punctuation ignored)
    type      TEXT COLLATE "C" NOT NULL,
    text      TEXT COLLATE "C" NOT NULL,
    block     INTEGER NOT NULL
);
CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
CREATE INDEX entity_mentions_key ON entity_mentions (key);
CREATE INDEX entity_mentions_doc ON entity_mentions (doc);

CREATE TABLE quotes (
    rowid             BIGINT GENERATED ALWAYS AS IDENTITY,
    doc               BIGINT NOT NULL,
    speaker           TEXT COLLATE "C",
    speaker_key       TEXT COLLATE "C",
    speaker_entity_id TEXT COLLATE "C",
    kind              TEXT COLLATE "C" NOT NULL,
    cue               TEXT COLLATE "C",
    medium            TEXT COLLATE "C",
    block             INTEGER NOT NULL,
    text              TEXT NOT NULL
);
CREATE INDEX quotes_speaker ON quotes (speaker_key);
CREATE INDEX quotes_speaker_entity ON quotes (speaker_entity_id);
CREATE INDEX quotes_doc ON quotes (doc);

CREATE TABLE source_citations (
    rowid     BIGINT GENERATED ALWAYS AS IDENTITY,
    doc       BIGINT NOT NULL,
    canonical TEXT COLLATE "C" NOT NULL,
    key       TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C",
    type      TEXT COLLATE "C" NOT NULL,
    cue       TEXT COLLATE "C" NOT NULL,
    block     INTEGER NOT NULL
);
CREATE INDEX source_citations_key ON source_citations (key);
CREATE INDEX source_citations_entity ON source_citations (entity_id);
CREATE INDEX source_citations_doc ON source_citations (doc);

CREATE TABLE claims (
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY,
    doc        BIGINT NOT NULL,
    value      DOUBLE PRECISION,
    unit       TEXT COLLATE "C",
    source     TEXT COLLATE "C",
    source_key TEXT COLLATE "C",
    status     TEXT COLLATE "C" NOT NULL,
    conflict   INTEGER NOT NULL,
    block      INTEGER NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX claims_status ON claims (status);
CREATE INDEX claims_doc ON claims (doc);
