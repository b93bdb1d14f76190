-- nyhetsvakt store, schema 8, PostgreSQL: the headlines a teaser may name, by word-prefix
-- (as migrations/0008_headline_prefixes.sql).
CREATE TABLE headline_prefixes (
    prefix    TEXT COLLATE "C" NOT NULL,
    published TEXT COLLATE "C" NOT NULL,
    doc       BIGINT NOT NULL
);
INSERT INTO headline_prefixes (prefix, published, doc)
SELECT array_to_string(w[1:n], ' '), a.published, h.doc
FROM headline_keys AS h JOIN articles AS a ON a.doc = h.doc,
     LATERAL string_to_array(h.key, ' ') AS w, LATERAL generate_series(2, cardinality(w)) AS n;
DROP TABLE headline_keys;
CREATE INDEX headline_prefixes_prefix ON headline_prefixes (prefix, published, doc);
CREATE INDEX headline_prefixes_doc ON headline_prefixes (doc);
