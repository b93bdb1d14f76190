-- nyhetsvakt store, schema 6, PostgreSQL: the teasers still without a target, indexed by key
-- (as migrations/0006_unresolved_teasers.sql).
DROP INDEX teasers_key;
CREATE INDEX teasers_unresolved ON teasers (key) WHERE target IS NULL;
