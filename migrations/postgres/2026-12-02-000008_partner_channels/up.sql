-- Partner channels (docs/ARCHITECTURE.md, "Partner channels"): the platforms that push proposals in,
-- their machine credentials (secrets stored as SHA-256: they carry 256 random bits), and the partner
-- records each proposal lives on. A channel's proposals are authored by its service account, a users
-- row that cannot sign in.
CREATE TABLE channels (
    id               TEXT PRIMARY KEY NOT NULL,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    base_url         TEXT NOT NULL,
    contact          TEXT NOT NULL,
    status           TEXT NOT NULL,
    service_user_id  TEXT NOT NULL UNIQUE REFERENCES users (id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE channel_credentials (
    id                    TEXT PRIMARY KEY NOT NULL,
    channel_id            TEXT NOT NULL REFERENCES channels (id),
    client_id             TEXT NOT NULL UNIQUE,
    secret_hash           TEXT NOT NULL,
    previous_secret_hash  TEXT,
    previous_expires_at   TIMESTAMP,
    scopes                TEXT NOT NULL,
    created_at            TIMESTAMP NOT NULL,
    rotated_at            TIMESTAMP,
    revoked_at            TIMESTAMP,
    last_used_at          TIMESTAMP
);
CREATE INDEX channel_credentials_by_channel ON channel_credentials (channel_id, created_at);

-- One row per partner record: the same (channel, external id) never maps to two proposals. `origin` is
-- the record the proposal came in through; other rows are links to the same idea on other channels.
CREATE TABLE channel_records (
    channel_id             TEXT NOT NULL REFERENCES channels (id),
    external_id            TEXT NOT NULL,
    proposal_id            TEXT NOT NULL REFERENCES proposals (id),
    origin                 BOOLEAN NOT NULL,
    external_url           TEXT,
    partner_support_count  BIGINT,
    partner_created_at     TIMESTAMP,
    partner_updated_at     TIMESTAMP,
    fingerprint            TEXT NOT NULL,
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL,
    PRIMARY KEY (channel_id, external_id)
);
CREATE INDEX channel_records_by_proposal ON channel_records (proposal_id, created_at);

-- Per-channel request counts in fixed one-minute windows: the quota holds across instances.
CREATE TABLE channel_quota_windows (
    channel_id    TEXT NOT NULL REFERENCES channels (id),
    window_start  TIMESTAMP NOT NULL,
    count         BIGINT NOT NULL,
    PRIMARY KEY (channel_id, window_start)
);

-- Idempotency-Key (IETF httpapi draft) of partner POSTs, per channel, kept 24 hours. `request_hash` is
-- the SHA-256 of method, path and body (NULL while a streamed body is still being read).
CREATE TABLE idempotency_keys (
    channel_id        TEXT NOT NULL REFERENCES channels (id),
    idempotency_key   TEXT NOT NULL,
    request_hash      TEXT,
    state             TEXT NOT NULL,
    response_status   INTEGER,
    response_type     TEXT,
    response_body     TEXT,
    created_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (channel_id, idempotency_key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- Webhook endpoints, each with its own cursor in the event log (tx, seq: docs/EVENTS.md, "Position"),
-- and their deliveries: one row per message, its id the `webhook-id` of every attempt. A claim holds a
-- delivery for a lease; an instance that dies mid-delivery lets the lease run out, and it is sent again.
CREATE TABLE webhook_endpoints (
    id                          TEXT PRIMARY KEY NOT NULL,
    channel_id                  TEXT NOT NULL REFERENCES channels (id),
    url                         TEXT NOT NULL,
    event_types                 TEXT NOT NULL,
    secret                      TEXT NOT NULL,
    previous_secret             TEXT,
    previous_secret_expires_at  TIMESTAMP,
    status                      TEXT NOT NULL,
    disabled_reason             TEXT,
    cursor_tx                   BIGINT NOT NULL,
    cursor_seq                  BIGINT NOT NULL,
    created_at                  TIMESTAMP NOT NULL,
    updated_at                  TIMESTAMP NOT NULL
);
CREATE INDEX webhook_endpoints_by_channel ON webhook_endpoints (channel_id, created_at);

CREATE TABLE webhook_deliveries (
    id                TEXT PRIMARY KEY NOT NULL,
    endpoint_id       TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    channel_id        TEXT NOT NULL,
    event_type        TEXT NOT NULL,
    body              TEXT NOT NULL,
    status            TEXT NOT NULL,
    attempts          INTEGER NOT NULL,
    next_attempt_at   TIMESTAMP,
    claimed_until     TIMESTAMP,
    last_status_code  INTEGER,
    last_attempt_at   TIMESTAMP,
    last_error        TEXT,
    window_start      TIMESTAMP NOT NULL,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_channel ON webhook_deliveries (channel_id, id);

-- Partner intakes whose text is near an existing proposal, for staff to link or merge: written by the
-- intake-similar reader of the event log (its cursor in log_readers), one row per (intake, candidate).
CREATE TABLE intake_flags (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id   TEXT NOT NULL REFERENCES proposals (id),
    candidate_id  TEXT NOT NULL REFERENCES proposals (id),
    score_milli   INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (proposal_id, candidate_id)
);
-- From the start of the log: every partner intake so far (none before this migration) is checked.
INSERT INTO log_readers (name, tx, seq, updated_at) VALUES ('intake-similar', 0, 0, now() AT TIME ZONE 'UTC');
