-- Proposals, their supports, tags, public timeline, reports and the moderation log.
-- `seq` exists to keep one diesel schema with SQLite, where it keys the full-text index; `id` is the public
-- identifier.
CREATE TABLE proposals (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id              TEXT PRIMARY KEY NOT NULL,
    author_id       TEXT NOT NULL REFERENCES users (id),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    policy_area_id  TEXT NOT NULL REFERENCES policy_areas (id),
    region          TEXT,
    topic_id        TEXT,
    forum_id        TEXT,
    channel         TEXT NOT NULL,
    status          TEXT NOT NULL,
    hidden          BOOLEAN NOT NULL DEFAULT FALSE,
    merged_into     TEXT REFERENCES proposals (id),
    support_count   BIGINT NOT NULL DEFAULT 0,
    trending_score  BIGINT NOT NULL DEFAULT 0,
    tags            TEXT NOT NULL DEFAULT '',
    search_text     TEXT NOT NULL,
    -- Parsed once on write: a query then checks rows without re-parsing their text.
    search_vector   TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         BIGINT NOT NULL
);
-- One index per sort (keyset walks end with `seq`, which only grows), and for the common filters.
CREATE INDEX proposals_by_support ON proposals (support_count, seq);
CREATE INDEX proposals_by_trending ON proposals (trending_score, seq);
CREATE INDEX proposals_by_updated ON proposals (updated_at, seq);
CREATE INDEX proposals_by_area ON proposals (policy_area_id, seq);
CREATE INDEX proposals_by_area_support ON proposals (policy_area_id, support_count, seq);
CREATE INDEX proposals_by_status ON proposals (status, seq);
CREATE INDEX proposals_by_author ON proposals (author_id, seq);
CREATE INDEX proposals_by_region ON proposals (region, seq);
CREATE INDEX proposals_by_channel ON proposals (channel, seq);
CREATE INDEX proposals_by_topic ON proposals (topic_id, seq);
CREATE INDEX proposals_by_forum ON proposals (forum_id, seq);
CREATE INDEX proposals_by_created ON proposals (created_at, seq);
CREATE INDEX proposals_merged_into ON proposals (merged_into);

-- Full-text index over the terms computed in Rust (Korean bigrams, lower-cased words); the `simple`
-- configuration neither stems nor drops stop words, so index and query terms are compared as they are.
CREATE INDEX proposals_search ON proposals USING GIN (search_vector);

CREATE TABLE proposal_tags (
    proposal_id  TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    PRIMARY KEY (proposal_id, tag)
);
CREATE INDEX proposal_tags_by_tag ON proposal_tags (tag, proposal_id);

CREATE TABLE supports (
    proposal_id  TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX supports_by_user ON supports (user_id);
CREATE INDEX supports_by_proposal_time ON supports (proposal_id, created_at);

CREATE TABLE proposal_events (
    id                   TEXT PRIMARY KEY NOT NULL,
    proposal_id          TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    kind                 TEXT NOT NULL,
    actor_role           TEXT NOT NULL,
    actor_id             TEXT,
    from_status          TEXT,
    to_status            TEXT,
    reason               TEXT,
    related_proposal_id  TEXT,
    count                BIGINT,
    created_at           TIMESTAMP NOT NULL
);
CREATE INDEX proposal_events_by_proposal ON proposal_events (proposal_id, id);

CREATE TABLE reports (
    id           TEXT PRIMARY KEY NOT NULL,
    target_type  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    reporter_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    resolved_at  TIMESTAMP,
    decision     TEXT,
    resolved_by  TEXT,
    UNIQUE (target_type, target_id, reporter_id)
);
CREATE INDEX reports_open ON reports (resolved_at, id);

CREATE TABLE moderation_log (
    id           TEXT PRIMARY KEY NOT NULL,
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    reason       TEXT,
    actor_role   TEXT NOT NULL,
    actor_id     TEXT,
    created_at   TIMESTAMP NOT NULL
);
