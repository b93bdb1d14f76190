-- nyhetsvakt store, schema 2: entities, quotes, source citations and claims as rows, so
-- `entities`, `quotes --speaker`, `sources --cited` and `claims --status` are index
-- look-ups, not scans of every record. Derived from article_records (the record stays the
-- truth); rows of an article go with it (deleted by doc). Existing records are copied in.

CREATE TABLE entity_mentions (
    doc       INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    canonical TEXT NOT NULL,
    key       TEXT NOT NULL,      -- the folded name (case, accents, punctuation ignored)
    type      TEXT NOT NULL,
    text      TEXT NOT NULL,
    block     INTEGER NOT NULL
);
CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
CREATE INDEX entity_mentions_key ON entity_mentions (key);
CREATE INDEX entity_mentions_doc ON entity_mentions (doc);

CREATE TABLE quotes (
    doc               INTEGER NOT NULL,
    speaker           TEXT,
    speaker_key       TEXT,
    speaker_entity_id TEXT,
    kind              TEXT NOT NULL,
    cue               TEXT,
    medium            TEXT,
    block             INTEGER NOT NULL,
    text              TEXT NOT NULL
);
CREATE INDEX quotes_speaker ON quotes (speaker_key);
CREATE INDEX quotes_speaker_entity ON quotes (speaker_entity_id);
CREATE INDEX quotes_doc ON quotes (doc);

CREATE TABLE source_citations (
    doc       INTEGER NOT NULL,
    canonical TEXT NOT NULL,
    key       TEXT NOT NULL,
    entity_id TEXT,
    type      TEXT NOT NULL,
    cue       TEXT NOT NULL,
    block     INTEGER NOT NULL
);
CREATE INDEX source_citations_key ON source_citations (key);
CREATE INDEX source_citations_entity ON source_citations (entity_id);
CREATE INDEX source_citations_doc ON source_citations (doc);

CREATE TABLE claims (
    doc       INTEGER NOT NULL,
    value     REAL,
    unit      TEXT,
    source    TEXT,
    source_key TEXT,
    status    TEXT NOT NULL,
    conflict  INTEGER NOT NULL,
    block     INTEGER NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX claims_status ON claims (status);
CREATE INDEX claims_doc ON claims (doc);

-- Records written before schema 2 hold no attribution yet; any that do are copied with
-- lower() as their key (the store writes properly folded keys from then on).
INSERT INTO entity_mentions (doc, entity_id, canonical, key, type, text, block)
SELECT r.doc, json_extract(e.value, '$.entity_id'), json_extract(e.value, '$.canonical'),
       lower(json_extract(e.value, '$.canonical')),
       json_extract(e.value, '$.type'), json_extract(e.value, '$.text'), json_extract(e.value, '$.block')
FROM article_records AS r, json_each(r.record, '$.entities') AS e;

INSERT INTO quotes (doc, speaker, speaker_key, speaker_entity_id, kind, cue, medium, block, text)
SELECT r.doc, json_extract(q.value, '$.speaker'), lower(json_extract(q.value, '$.speaker')),
       json_extract(q.value, '$.speaker_entity_id'),
       json_extract(q.value, '$.kind'), json_extract(q.value, '$.cue'), json_extract(q.value, '$.medium'),
       json_extract(q.value, '$.block'), json_extract(q.value, '$.text')
FROM article_records AS r, json_each(r.record, '$.quotes') AS q;

INSERT INTO source_citations (doc, canonical, key, entity_id, type, cue, block)
SELECT r.doc, json_extract(s.value, '$.canonical'), lower(json_extract(s.value, '$.canonical')),
       json_extract(s.value, '$.entity_id'), json_extract(s.value, '$.type'),
       json_extract(s.value, '$.cue'), json_extract(s.value, '$.block')
FROM article_records AS r, json_each(r.record, '$.sources') AS s;

INSERT INTO claims (doc, value, unit, source, source_key, status, conflict, block, text)
SELECT r.doc, json_extract(c.value, '$.value'), json_extract(c.value, '$.unit'), json_extract(c.value, '$.source'),
       lower(json_extract(c.value, '$.source')),
       json_extract(c.value, '$.status'), json_array_length(c.value, '$.conflicts_with') > 0,
       json_extract(c.value, '$.block'), json_extract(c.value, '$.text')
FROM article_records AS r, json_each(r.record, '$.claims') AS c;
