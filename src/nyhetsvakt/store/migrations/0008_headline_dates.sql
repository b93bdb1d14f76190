-- nyhetsvakt store, schema 8: each headline key with its article's publication date, indexed
-- (key, published, doc), so that a teaser finds the copy of a headline published closest
-- before it in a few index steps, however many copies of that headline are stored (see
-- store/xref.py). Before, every copy was read for every teaser naming it.
ALTER TABLE headline_keys ADD COLUMN published TEXT NOT NULL DEFAULT '';
UPDATE headline_keys SET published = (SELECT a.published FROM articles AS a WHERE a.doc = headline_keys.doc);
DROP INDEX headline_keys_key;
CREATE INDEX headline_keys_key_date ON headline_keys (key, published, doc);
