-- One append-only log of every domain event (docs/EVENTS.md). `seq` is the log position, the rowid: each
-- insert takes one more than the largest so far (the log is never deleted from, so values only grow;
-- AUTOINCREMENT would cost a `sqlite_sequence` write per event for nothing), and SQLite's single writer
-- commits in `seq` order, so a reader that remembers the last position it saw misses nothing.
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    actor_role      TEXT NOT NULL,
    -- Who acted: for audits and notifications, never shown publicly.
    actor_id        TEXT,
    occurred_at     TIMESTAMP NOT NULL,
    -- A JSON object without null members.
    payload         TEXT NOT NULL
);
CREATE INDEX events_by_aggregate ON events (aggregate_type, aggregate_id, seq);

-- The proposals' timeline rows become the log's first events, in the order they happened. `json_patch`
-- onto an empty object drops the null members, as the server writes payloads.
INSERT INTO events (id, aggregate_type, aggregate_id, event_type, actor_role, actor_id, occurred_at, payload)
SELECT id, 'proposal', proposal_id, 'proposal.' || kind, actor_role, actor_id, created_at,
       json_patch('{}', json_object('from_status', from_status, 'to_status', to_status, 'reason', reason,
                                    'related_id', related_proposal_id, 'count', count))
FROM proposal_events
ORDER BY created_at, id;

DROP TABLE proposal_events;
