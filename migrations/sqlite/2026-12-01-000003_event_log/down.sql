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
       json_extract(payload, '$.from_status'), json_extract(payload, '$.to_status'),
       json_extract(payload, '$.reason'), json_extract(payload, '$.related_id'),
       json_extract(payload, '$.count'), occurred_at
FROM events WHERE aggregate_type = 'proposal' ORDER BY seq;
DROP TABLE events;
