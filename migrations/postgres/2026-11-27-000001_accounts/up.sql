-- Accounts, organizations, policy areas, sessions and login throttling.
-- Identifiers are UUIDv7 text (time-ordered); timestamps are UTC without zone, by convention.
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('ministry', 'agency', 'committee', 'local_government', 'other')),
    name_ko     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id               TEXT PRIMARY KEY NOT NULL,
    email            TEXT NOT NULL UNIQUE,
    password_hash    TEXT NOT NULL,
    display_name     TEXT NOT NULL,
    organization_id  TEXT REFERENCES organizations (id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX users_organization_id ON users (organization_id);

CREATE TABLE user_roles (
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('citizen', 'moderator', 'official', 'admin')),
    PRIMARY KEY (role, user_id)
);
CREATE INDEX user_roles_user_id ON user_roles (user_id);

CREATE TABLE policy_areas (
    id          TEXT PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    name_ko     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    family_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    issued_at   TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    revoked_at  TIMESTAMP
);
CREATE INDEX refresh_tokens_family_id ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_id ON refresh_tokens (user_id);

CREATE TABLE login_failures (
    id            TEXT PRIMARY KEY NOT NULL,
    throttle_key  TEXT NOT NULL,
    failed_at     TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key_time ON login_failures (throttle_key, failed_at);
