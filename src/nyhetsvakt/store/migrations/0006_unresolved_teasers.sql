-- nyhetsvakt store, schema 6: the teasers still without a target, indexed by key. A new
-- headline looks them up by its prefixes (store/xref.py); an index over every teaser's key
-- made that look-up visit each resolved teaser again, and a teaser a site repeats on many
-- pages is resolved many times over: the cost grew with the store.
DROP INDEX teasers_key;
CREATE INDEX teasers_unresolved ON teasers (key) WHERE target IS NULL;
