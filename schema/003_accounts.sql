-- Accounts, sessions, API tokens and the audit trail. Timestamps are
-- RFC 3339 UTC text ('2006-01-02T15:04:05Z'), which sorts as it compares.
-- Secrets are never stored: sessions and API tokens are kept as the hex
-- SHA-256 of the token, passwords as bcrypt hashes.

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('teacher', 'counsellor', 'coordinator', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT
);

-- The providers a coordinator sees; other roles may have them too (informative).
CREATE TABLE user_providers (
    username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    provider TEXT NOT NULL REFERENCES providers (code),
    PRIMARY KEY (username, provider)
);
CREATE INDEX user_providers_provider ON user_providers (provider);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_username ON sessions (username);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- id is SQLite's rowid; PostgreSQL needs "id BIGINT GENERATED ALWAYS AS
-- IDENTITY PRIMARY KEY" here (the dialect seam, see internal/store/dialect.go).
-- Inserts use RETURNING id, which both dialects accept.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT
);
CREATE INDEX api_tokens_username ON api_tokens (username);

-- Who changed which record when, with its values before and after as JSON.
-- username and learner are deliberately not foreign keys: the trail outlives
-- the records and accounts it names. id: same dialect note as api_tokens.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    username    TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    entity      TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    learner     TEXT,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_learner ON audit_log (learner, at);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_record ON audit_log (entity, record_key);
