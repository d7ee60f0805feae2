-- Forums (with their linked topics, registrations and outcome), proposals entered at forums, and
-- threaded comments on proposals, topics and forums. The panel, agenda and venue are the forum's own
-- values, stored as JSON beside it; `region` is the venue's, for the filter.
CREATE TABLE forums (
    seq                     BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id                      TEXT PRIMARY KEY NOT NULL,
    organization_id         TEXT NOT NULL REFERENCES organizations (id),
    created_by              TEXT NOT NULL REFERENCES users (id),
    kind                    TEXT NOT NULL,
    mode                    TEXT NOT NULL,
    title                   TEXT NOT NULL,
    description             TEXT NOT NULL,
    policy_area_id          TEXT NOT NULL REFERENCES policy_areas (id),
    region                  TEXT,
    venue                   TEXT,
    starts_at               TIMESTAMP NOT NULL,
    ends_at                 TIMESTAMP NOT NULL,
    registration_opens_at   TIMESTAMP,
    registration_closes_at  TIMESTAMP,
    capacity                BIGINT,
    livestream_url          TEXT,
    panel                   TEXT NOT NULL DEFAULT '[]',
    agenda                  TEXT NOT NULL DEFAULT '[]',
    status                  TEXT NOT NULL,
    cancel_reason           TEXT,
    registered_count        BIGINT NOT NULL DEFAULT 0,
    waitlisted_count        BIGINT NOT NULL DEFAULT 0,
    attended_count          BIGINT NOT NULL DEFAULT 0,
    outcome_id              TEXT,
    search_text             TEXT NOT NULL,
    search_vector           TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL,
    version                 BIGINT NOT NULL
);
CREATE INDEX forums_by_start ON forums (starts_at, seq);
CREATE INDEX forums_by_status ON forums (status, starts_at, seq);
CREATE INDEX forums_by_organization ON forums (organization_id, seq);

CREATE INDEX forums_search ON forums USING GIN (search_vector);

CREATE TABLE forum_topics (
    forum_id  TEXT NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
    topic_id  TEXT NOT NULL REFERENCES topics (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (forum_id, topic_id)
);
CREATE INDEX forum_topics_by_topic ON forum_topics (topic_id, forum_id);

-- One active registration per person and forum; `seq` is the arrival order the waitlist follows.
CREATE TABLE forum_registrations (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id          TEXT PRIMARY KEY NOT NULL,
    forum_id    TEXT NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      TEXT NOT NULL,
    attended    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX forum_registrations_active ON forum_registrations (forum_id, user_id)
    WHERE status <> 'cancelled';
CREATE INDEX forum_registrations_by_status ON forum_registrations (forum_id, status, seq);

CREATE TABLE forum_outcomes (
    id               TEXT PRIMARY KEY NOT NULL,
    forum_id         TEXT NOT NULL UNIQUE REFERENCES forums (id) ON DELETE CASCADE,
    summary          TEXT NOT NULL,
    recommendations  TEXT NOT NULL,
    attendee_count   BIGINT NOT NULL,
    proposal_ids     TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

-- Who entered a proposal on a participant's behalf (staff only).
CREATE TABLE proposal_entries (
    proposal_id       TEXT PRIMARY KEY NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    entered_by        TEXT NOT NULL REFERENCES users (id),
    entered_at        TIMESTAMP NOT NULL,
    participant_name  TEXT
);

-- One level of a thread is the subject's top level or one comment's replies; each sort has an index on
-- each kind of level, so a page costs the same however long the thread is. The indexes are partial, so
-- that `parent_id IS NULL` is the index's own condition and the order comes from the index (PostgreSQL
-- does not take an order from the columns after an `IS NULL` condition).
CREATE TABLE comments (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id             TEXT PRIMARY KEY NOT NULL,
    subject_type   TEXT NOT NULL,
    subject_id     TEXT NOT NULL,
    parent_id      TEXT REFERENCES comments (id),
    in_reply_to    TEXT,
    depth          INTEGER NOT NULL,
    author_id      TEXT NOT NULL REFERENCES users (id),
    author_role    TEXT NOT NULL,
    body           TEXT NOT NULL,
    like_count     BIGINT NOT NULL DEFAULT 0,
    reply_count    BIGINT NOT NULL DEFAULT 0,
    hidden         BOOLEAN NOT NULL DEFAULT FALSE,
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    edited_at      TIMESTAMP,
    agenda_item    INTEGER,
    stream_offset  BIGINT,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        BIGINT NOT NULL
);
CREATE INDEX comments_top ON comments (subject_type, subject_id, seq) WHERE parent_id IS NULL;
CREATE INDEX comments_top_by_likes ON comments (subject_type, subject_id, like_count, seq)
    WHERE parent_id IS NULL;
CREATE INDEX comments_replies ON comments (parent_id, seq) WHERE parent_id IS NOT NULL;
CREATE INDEX comments_replies_by_likes ON comments (parent_id, like_count, seq) WHERE parent_id IS NOT NULL;

CREATE TABLE comment_likes (
    comment_id  TEXT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);
