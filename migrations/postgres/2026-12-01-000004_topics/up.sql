-- Topics: citizens' agenda setting, with votes and the same full-text search as proposals.
CREATE TABLE topics (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id              TEXT PRIMARY KEY NOT NULL,
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
    search_vector   TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         BIGINT NOT NULL
);
CREATE INDEX topics_by_votes ON topics (vote_count, seq);
CREATE INDEX topics_by_trending ON topics (trending_score, seq);
CREATE INDEX topics_by_status ON topics (status, seq);
CREATE INDEX topics_by_area ON topics (policy_area_id, seq);
CREATE INDEX topics_by_region ON topics (region, seq);
CREATE INDEX topics_search ON topics USING GIN (search_vector);

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
