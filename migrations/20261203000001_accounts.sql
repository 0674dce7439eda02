-- Accounts, sessions and sign-in throttling.

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(btrim(email))),
    password_hash TEXT NOT NULL,
    plan          TEXT NOT NULL DEFAULT 'free',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Only a SHA-256 of the cookie token is stored: a database leak does not leak sessions.
CREATE TABLE sessions (
    token_hash  BYTEA PRIMARY KEY,
    owner_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sessions_owner ON sessions (owner_id);

-- One row per failed sign-in, keyed by 'email:<normalized>' and by 'ip:<address>'.
-- Not owned by a user on purpose: it must not reveal whether an email exists.
CREATE TABLE login_failures (
    key        TEXT NOT NULL,
    failed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);
