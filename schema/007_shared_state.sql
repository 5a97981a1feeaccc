-- What several server processes on one database must share, and so may not
-- keep in one process's memory: the login limiter's buckets and the uploads
-- checked in a dry run that wait for their confirmation (on whichever
-- process the confirmation arrives). Portable SQL but for the one column of
-- bytes, written for each dialect (see internal/store/dialect.go).

-- A token bucket per key: "addr <client address>" or "user <user name>".
-- tokens is what is left as of at_ms (Unix milliseconds).
CREATE TABLE login_buckets (
    bucket TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    at_ms  BIGINT NOT NULL
);

-- An uploaded data set (.zip or .xlsx, at most 50 MB) that passed its dry
-- run, bound to its user, until it is confirmed, cancelled, replaced by the
-- user's next upload, or expires.
CREATE TABLE pending_uploads (
    id         TEXT PRIMARY KEY,
    username   TEXT NOT NULL,
    name       TEXT NOT NULL,
    data       BLOB NOT NULL,  -- sqlite only
    data       BYTEA NOT NULL, -- postgres only
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX pending_uploads_username ON pending_uploads (username);
CREATE INDEX pending_uploads_expires_at ON pending_uploads (expires_at);
