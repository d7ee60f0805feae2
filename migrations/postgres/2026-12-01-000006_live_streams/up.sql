-- Live forums (docs/EVENTS.md, "Live streams"): each event a forum's live stream carries names the forum,
-- so a stream reads its events by position on one index; questions to the panel are comments with a
-- status and votes; each instance records how many viewers it holds, so the count crosses instances.
ALTER TABLE events ADD COLUMN forum_id TEXT;
UPDATE events SET forum_id = aggregate_id WHERE aggregate_type = 'forum';
UPDATE events SET forum_id = payload::jsonb ->> 'related_id'
    WHERE aggregate_type = 'comment' AND payload::jsonb ->> 'related_kind' = 'forum';
CREATE INDEX events_by_forum ON events (forum_id, seq) WHERE forum_id IS NOT NULL;

ALTER TABLE forums ADD COLUMN live_at TIMESTAMP;
ALTER TABLE forums ADD COLUMN agenda_current INTEGER;

ALTER TABLE comments ADD COLUMN question_status TEXT;
ALTER TABLE comments ADD COLUMN vote_count BIGINT NOT NULL DEFAULT 0;
CREATE INDEX comments_questions_by_votes ON comments (subject_id, vote_count, seq)
    WHERE question_status IS NOT NULL;
CREATE INDEX comments_questions ON comments (subject_id, seq) WHERE question_status IS NOT NULL;

CREATE TABLE question_votes (
    comment_id  TEXT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE stream_presence (
    instance_id  TEXT NOT NULL,
    forum_id     TEXT NOT NULL,
    viewers      BIGINT NOT NULL,
    seen_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (instance_id, forum_id)
);
