-- The funnel reader's projection (docs/EVENTS.md, "Readers"): one journey per proposal, the first time
-- it reached each stage, with the proposal's filter columns beside it, so `GET /stats/funnel` counts an
-- index range instead of re-reading the log. Written only by the reader, in the transaction that moves
-- its cursor; a request adds what the log changed after the cursor.
CREATE TABLE funnel_journeys (
    proposal_id     TEXT PRIMARY KEY NOT NULL,
    collected_at    TIMESTAMP NOT NULL,
    channel         TEXT NOT NULL,
    policy_area_id  TEXT NOT NULL,
    region          TEXT,
    topic_id        TEXT,
    forum_id        TEXT,
    -- Reached any stage after collected: most proposals did not, and a request reads only those that did.
    progressed      BOOLEAN NOT NULL,
    reviewed_at     TIMESTAMP,
    selected_at     TIMESTAMP,
    rejected_at     TIMESTAMP,
    merged_at       TIMESTAMP,
    referred_at     TIMESTAMP,
    answered_at     TIMESTAMP,
    decision        TEXT,
    implemented_at  TIMESTAMP
);
CREATE INDEX funnel_journeys_by_area ON funnel_journeys (policy_area_id, region, progressed);
CREATE INDEX funnel_journeys_by_region ON funnel_journeys (region, progressed);
CREATE INDEX funnel_journeys_by_channel ON funnel_journeys (channel, progressed);
CREATE INDEX funnel_journeys_by_day ON funnel_journeys (collected_at);
CREATE INDEX funnel_journeys_by_progress ON funnel_journeys (progressed, collected_at);
CREATE INDEX funnel_journeys_by_topic ON funnel_journeys (topic_id) WHERE topic_id IS NOT NULL;
CREATE INDEX funnel_journeys_by_forum ON funnel_journeys (forum_id) WHERE forum_id IS NOT NULL;

-- The reader starts at the beginning of the log: its first runs build the journeys of the history.
INSERT INTO log_readers (name, tx, seq, updated_at) VALUES ('funnel', 0, 0, CURRENT_TIMESTAMP);
