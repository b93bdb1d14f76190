-- nyhetsvakt store, schema 8: the headlines a teaser may name, by word-prefix. A teaser names
-- an article whose folded headline is its folded text or extends it by words; so each
-- headline of two words or more is stored under each of its word-prefixes of two words or
-- more (itself included), with its article's date, indexed (prefix, published, doc): a
-- teaser finds the copy published closest before it in one index step, however many
-- articles share or extend that headline (see store/xref.py). Replaces headline_keys, whose
-- look-up read every such article for every teaser.
CREATE TABLE headline_prefixes (
    prefix    TEXT NOT NULL,
    published TEXT NOT NULL,      -- the article's ISO date; '' when unknown
    doc       INTEGER NOT NULL
);
WITH RECURSIVE cut (doc, published, key, at) AS (
    SELECT h.doc, a.published, h.key, instr(h.key, ' ')
    FROM headline_keys AS h JOIN articles AS a ON a.doc = h.doc WHERE instr(h.key, ' ') > 0
    UNION ALL
    SELECT doc, published, key, at + instr(substr(key, at + 1), ' ') FROM cut
    WHERE instr(substr(key, at + 1), ' ') > 0)
INSERT INTO headline_prefixes (prefix, published, doc)
SELECT substr(key, 1, at - 1), published, doc FROM cut WHERE at > instr(key, ' ')
UNION ALL
SELECT key, published, doc FROM cut WHERE at = instr(key, ' ');
DROP TABLE headline_keys;
CREATE INDEX headline_prefixes_prefix ON headline_prefixes (prefix, published, doc);
CREATE INDEX headline_prefixes_doc ON headline_prefixes (doc);
