-- Topics: citizens' agenda setting, with votes and the same full-text search as proposals.
-- `seq` keys the full-text index (see the proposals migration); `id` is the public identifier.
CREATE TABLE topics (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    author_id       TEXT NOT NULL REFERENCES users (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    policy_area_id  TEXT NOT NULL REFERENCES policy_areas (id),
    region          TEXT,
    status          TEXT NOT NULL,
    hidden          BOOLEAN NOT NULL DEFAULT FALSE,
    vote_count      BIGINT NOT NULL DEFAULT 0,
    trending_score  BIGINT NOT NULL DEFAULT 0,
    tags            TEXT NOT NULL DEFAULT '',
    search_text     TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         BIGINT NOT NULL
);
CREATE INDEX topics_by_votes ON topics (vote_count, seq);
CREATE INDEX topics_by_trending ON topics (trending_score, seq);
CREATE INDEX topics_by_status ON topics (status, seq);
CREATE INDEX topics_by_area ON topics (policy_area_id, seq);
CREATE INDEX topics_by_region ON topics (region, seq);

CREATE VIRTUAL TABLE topics_fts USING fts5(
    search_text, content = 'topics', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER topics_fts_insert AFTER INSERT ON topics BEGIN
    INSERT INTO topics_fts (rowid, search_text) VALUES (new.seq, new.search_text);
END;
CREATE TRIGGER topics_fts_delete AFTER DELETE ON topics BEGIN
    INSERT INTO topics_fts (topics_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
END;
CREATE TRIGGER topics_fts_update AFTER UPDATE OF search_text ON topics BEGIN
    INSERT INTO topics_fts (topics_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    INSERT INTO topics_fts (rowid, search_text) VALUES (new.seq, new.search_text);
END;

CREATE TABLE topic_tags (
    topic_id  TEXT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (topic_id, tag)
);
CREATE INDEX topic_tags_by_tag ON topic_tags (tag, topic_id);

CREATE TABLE topic_votes (
    topic_id    TEXT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (topic_id, user_id)
);
CREATE INDEX topic_votes_by_user ON topic_votes (user_id);
CREATE INDEX topic_votes_by_topic_time ON topic_votes (topic_id, created_at);
