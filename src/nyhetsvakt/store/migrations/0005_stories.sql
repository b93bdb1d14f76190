-- nyhetsvakt store, schema 5: stories. `story_features` keeps what the clusterer compares
-- (StoryFeatures.to_dict() as JSON, with the features version), so a later ingest can warm
-- the clusterer with the stories still active and `recluster` can start from scratch.
-- `stories` holds one record per story (build_story_record), rebuilt when members change;
-- `story_links` the rewrite / same-story links found when an article joined.
CREATE TABLE story_features (
    doc      INTEGER PRIMARY KEY,
    version  TEXT NOT NULL,
    features TEXT NOT NULL
);

CREATE TABLE stories (
    story_id   TEXT PRIMARY KEY,
    title      TEXT,
    first_seen TEXT NOT NULL DEFAULT '',
    last_seen  TEXT NOT NULL DEFAULT '',
    size       INTEGER NOT NULL,
    languages  TEXT NOT NULL,     -- JSON {language: articles}
    record     TEXT NOT NULL
);
CREATE INDEX stories_last_seen ON stories (last_seen);

CREATE TABLE story_links (
    article TEXT NOT NULL,        -- articles.id of the article that joined
    other   TEXT NOT NULL,        -- the member it was linked to
    score   REAL NOT NULL,
    kind    TEXT NOT NULL,        -- rewrite | same_story
    shared  TEXT NOT NULL         -- JSON list of shared names, numbers, sources
);
CREATE INDEX story_links_article ON story_links (article);
CREATE INDEX story_links_other ON story_links (other);
