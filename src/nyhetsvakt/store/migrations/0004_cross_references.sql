-- nyhetsvakt store, schema 4: teaser titles ("LÄS OCKSÅ: Valuta störtdyker") resolved to
-- the stored article they name. `headline_keys` holds each article's folded headline;
-- `teasers` each teaser of an article with its folded key and, once found, its target.
-- A teaser names an article when its key is the headline's key or a word-prefix of it
-- ("Valuta störtdyker" names "Valuta störtdyker – rasat 30 procent"). Resolved both ways:
-- a new article's teasers against stored headlines, and a new headline against stored
-- teasers still open. Rows go with their article.
CREATE TABLE headline_keys (
    doc INTEGER PRIMARY KEY,
    key TEXT NOT NULL
);
CREATE INDEX headline_keys_key ON headline_keys (key);

CREATE TABLE teasers (
    doc    INTEGER NOT NULL,
    teaser TEXT NOT NULL,
    key    TEXT NOT NULL,
    target TEXT                 -- articles.id of the article it names, NULL until found
);
CREATE INDEX teasers_doc ON teasers (doc);
CREATE INDEX teasers_key ON teasers (key);
