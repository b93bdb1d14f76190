-- nyhetsvakt store, schema 7, PostgreSQL: the search table holds each article's publication
-- date beside its vector, indexed with the row number, so a search can walk the newest
-- articles without joining articles for every match (see store/postgres_search.py).
ALTER TABLE article_search ADD COLUMN published TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE article_search AS s SET published = a.published FROM articles AS a WHERE a.doc = s.doc;
CREATE INDEX article_search_published ON article_search (published, doc);
ANALYZE article_search;
