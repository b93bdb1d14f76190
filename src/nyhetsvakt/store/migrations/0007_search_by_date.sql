-- nyhetsvakt store, schema 7, SQLite: nothing to change. PostgreSQL's schema 7 puts the
-- publication date into its search table; SQLite's search index already orders by date
-- (an FTS row number holds the publication day, see store/sqlite_search.py). The version
-- is kept so both backends share their schema versions.
SELECT 1;
