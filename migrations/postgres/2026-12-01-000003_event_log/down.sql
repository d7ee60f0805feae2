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
INSERT INTO proposal_events
SELECT id, aggregate_id, substr(event_type, 10), actor_role, actor_id,
       payload::jsonb ->> 'from_status', payload::jsonb ->> 'to_status', payload::jsonb ->> 'reason',
       payload::jsonb ->> 'related_id', (payload::jsonb ->> 'count')::bigint, occurred_at
FROM events WHERE aggregate_type = 'proposal' ORDER BY seq;
DROP TABLE events;
