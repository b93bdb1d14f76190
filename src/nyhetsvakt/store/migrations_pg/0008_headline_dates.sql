-- nyhetsvakt store, schema 8, PostgreSQL: each headline key with its article's publication
-- date, indexed (key, published, doc) (as migrations/0008_headline_dates.sql).
ALTER TABLE headline_keys ADD COLUMN published TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE headline_keys AS h SET published = a.published FROM articles AS a WHERE a.doc = h.doc;
DROP INDEX headline_keys_key;
CREATE INDEX headline_keys_key_date ON headline_keys (key, published, doc);
