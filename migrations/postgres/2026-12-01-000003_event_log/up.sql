-- One append-only log of every domain event (docs/EVENTS.md). `seq` is the log position. PostgreSQL hands
-- out identity values at insert, not at commit, so a transaction may commit a lower `seq` after a higher
-- one is visible: `tx_id` records each row's transaction, and a reader by position reads only rows whose
-- transaction is older than every transaction still running (`pg_snapshot_xmin(pg_current_snapshot())`),
-- so it never skips a late commit.
CREATE TABLE events (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    aggregate_type  TEXT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    actor_role      TEXT NOT NULL,
    -- Who acted: for audits and notifications, never shown publicly.
    actor_id        TEXT,
    occurred_at     TIMESTAMP NOT NULL,
    -- A JSON object without null members (text, so one diesel schema serves both backends; cast to
    -- jsonb to query inside it).
    payload         TEXT NOT NULL,
    tx_id           XID8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX events_by_aggregate ON events (aggregate_type, aggregate_id, seq);

-- The proposals' timeline rows become the log's first events, in the order they happened.
INSERT INTO events (id, aggregate_type, aggregate_id, event_type, actor_role, actor_id, occurred_at, payload)
SELECT id, 'proposal', proposal_id, 'proposal.' || kind, actor_role, actor_id, created_at,
       json_strip_nulls(json_build_object('from_status', from_status, 'to_status', to_status,
                                          'reason', reason, 'related_id', related_proposal_id,
                                          'count', count))::text
FROM proposal_events
ORDER BY created_at, id;

DROP TABLE proposal_events;
