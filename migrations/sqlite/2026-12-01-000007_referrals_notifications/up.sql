-- The referral ledger (docs/ARCHITECTURE.md, "Referrals"): one row per referral, its hops (the sending
-- and each transfer), follow-up meetings and commitments; document serials per year, taken in the
-- referring transaction so that they have no gaps. Dates of the calendar (due dates, meetings) are
-- ISO text, 'YYYY-MM-DD', in Asia/Seoul.
CREATE TABLE document_counters (
    year         INTEGER PRIMARY KEY NOT NULL,
    last_serial  BIGINT NOT NULL
);

CREATE TABLE referrals (
    seq INTEGER PRIMARY KEY,
    id                      TEXT NOT NULL UNIQUE,
    number                  TEXT NOT NULL UNIQUE,
    year                    INTEGER NOT NULL,
    serial                  BIGINT NOT NULL,
    subject_kind            TEXT NOT NULL,
    subject_id              TEXT NOT NULL,
    organization_id         TEXT NOT NULL REFERENCES organizations (id),
    status                  TEXT NOT NULL,
    cover_note              TEXT NOT NULL,
    sent_by                 TEXT NOT NULL REFERENCES users (id),
    sent_at                 TIMESTAMP NOT NULL,
    due_at                  TIMESTAMP NOT NULL,
    extension_reason        TEXT,
    extended_at             TIMESTAMP,
    division                TEXT,
    contact                 TEXT,
    acknowledged_at         TIMESTAMP,
    acknowledged_by         TEXT,
    decision                TEXT,
    reasoning               TEXT,
    planned_measures        TEXT,
    policy_task             TEXT,
    expected_completion_on  TEXT,
    answered_at             TIMESTAMP,
    answered_by             TEXT,
    evidence_url            TEXT,
    completion_summary      TEXT,
    completed_at            TIMESTAMP,
    completed_by            TEXT,
    updated_at              TIMESTAMP NOT NULL,
    version                 BIGINT NOT NULL,
    UNIQUE (year, serial)
);
-- A subject is with one organization at a time: at most one open referral each.
CREATE UNIQUE INDEX referrals_one_open ON referrals (subject_kind, subject_id)
    WHERE status IN ('sent', 'acknowledged', 'answered');
CREATE INDEX referrals_by_subject ON referrals (subject_kind, subject_id);
CREATE INDEX referrals_by_organization ON referrals (organization_id, id);
CREATE INDEX referrals_awaiting ON referrals (due_at) WHERE status IN ('sent', 'acknowledged');

CREATE TABLE referral_hops (
    referral_id      TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    reason           TEXT,
    sent_at          TIMESTAMP NOT NULL,
    due_at           TIMESTAMP NOT NULL,
    -- Whether the organization extended the deadline during this hop (once per organization).
    extended         BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (referral_id, position)
);

CREATE TABLE referral_follow_ups (
    id            TEXT PRIMARY KEY NOT NULL,
    referral_id   TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    held_on       TEXT NOT NULL,
    -- [{"role": ..., "organization": ...}]
    participants  TEXT NOT NULL,
    minutes       TEXT NOT NULL,
    recorded_by   TEXT NOT NULL REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (referral_id, position)
);

CREATE TABLE referral_commitments (
    id            TEXT PRIMARY KEY NOT NULL,
    referral_id   TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    follow_up_id  TEXT NOT NULL REFERENCES referral_follow_ups (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    description   TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (referral_id, position)
);

-- Events about another aggregate's timeline: a referral's steps show on its proposal's or forum's
-- timeline ('<kind>:<id>').
ALTER TABLE events ADD COLUMN about TEXT;
CREATE INDEX events_about ON events (about, seq) WHERE about IS NOT NULL;

-- Follows and notifications (docs/EVENTS.md, "Readers"). Supporting a proposal follows it and authors
-- follow their own: the ones before this migration too.
CREATE TABLE follows (
    subject_type  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (subject_type, subject_id, user_id)
);
CREATE INDEX follows_by_user ON follows (user_id);
INSERT INTO follows (subject_type, subject_id, user_id, created_at)
    SELECT 'proposal', id, author_id, created_at FROM proposals;
INSERT INTO follows (subject_type, subject_id, user_id, created_at)
    SELECT 'proposal', proposal_id, user_id, created_at FROM supports WHERE true
    ON CONFLICT DO NOTHING;

CREATE TABLE notifications (
    seq INTEGER PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_seq     BIGINT NOT NULL,
    event_type    TEXT NOT NULL,
    subject_type  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    referral_id   TEXT,
    from_status   TEXT,
    to_status     TEXT,
    decision      TEXT,
    occurred_at   TIMESTAMP NOT NULL,
    is_read       BOOLEAN NOT NULL DEFAULT FALSE,
    read_at       TIMESTAMP,
    -- One notification per person and event, however many ways the event concerns them, and however
    -- often a batch is retried.
    UNIQUE (user_id, event_seq)
);
CREATE INDEX notifications_page ON notifications (user_id, is_read, seq);

-- What the ledger learned for the suggested competent organization (ocf_domain::routing): per
-- organization the referrals it kept, and per term in how many of them it occurred.
CREATE TABLE routing_documents (
    organization_id  TEXT PRIMARY KEY NOT NULL REFERENCES organizations (id),
    documents        BIGINT NOT NULL,
    term_total       BIGINT NOT NULL
);
CREATE TABLE routing_terms (
    term             TEXT NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    documents        BIGINT NOT NULL,
    PRIMARY KEY (term, organization_id)
);

-- Where each reader of the whole log stands (docs/EVENTS.md, "Position").
CREATE TABLE log_readers (
    name        TEXT PRIMARY KEY NOT NULL,
    tx          BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
-- Notifications start at the end of the log as it is now (history notifies nobody); the routing model
-- learns from the whole history.
INSERT INTO log_readers (name, tx, seq, updated_at)
    SELECT 'notifications', 0, COALESCE(MAX(seq), 0), CURRENT_TIMESTAMP FROM events;
INSERT INTO log_readers (name, tx, seq, updated_at) VALUES ('routing', 0, 0, CURRENT_TIMESTAMP);
