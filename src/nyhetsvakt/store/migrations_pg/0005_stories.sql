-- nyhetsvakt store, schema 5, PostgreSQL: stories (as migrations/0005_stories.sql).
CREATE TABLE story_features (
    doc      BIGINT PRIMARY KEY,
    version  TEXT COLLATE "C" NOT NULL,
    features TEXT NOT NULL
);

CREATE TABLE stories (
    story_id   TEXT COLLATE "C" PRIMARY KEY,
    title      TEXT,
    first_seen TEXT COLLATE "C" NOT NULL DEFAULT '',
    last_seen  TEXT COLLATE "C" NOT NULL DEFAULT '',
    size       INTEGER NOT NULL,
    languages  TEXT NOT NULL,     -- JSON {language: articles}
    record     TEXT NOT NULL
);
CREATE INDEX stories_last_seen ON stories (last_seen);

CREATE TABLE story_links (
    rowid   BIGINT GENERATED ALWAYS AS IDENTITY,
    article TEXT COLLATE "C" NOT NULL,        -- articles.id of the article that joined
    other   TEXT COLLATE "C" NOT NULL,        -- the member it was linked to
    score   DOUBLE PRECISION NOT NULL,
    kind    TEXT COLLATE "C" NOT NULL,        -- rewrite | same_story
    shared  TEXT NOT NULL                     -- JSON list of shared names, numbers, sources
);
CREATE INDEX story_links_article ON story_links (article);
CREATE INDEX story_links_other ON story_links (other);
