-- Scheduled exports: the schedules, the history of their runs, and the lease
-- that lets only one scheduler work a database at a time.
-- Portable SQL (SQLite and PostgreSQL): timestamps are RFC 3339 UTC text with
-- whole seconds ('2025-10-01T06:00:00Z'), fixed-width so that they compare and
-- sort as text; period dates are ISO 'YYYY-MM-DD' text.

CREATE TABLE schedules (
    name        TEXT PRIMARY KEY,
    cron        TEXT NOT NULL,                 -- five-field robfig/cron expression, checked by internal/schedule
    period      TEXT NOT NULL,                 -- period rule, e.g. 'previous-month'
    provider    TEXT,                          -- NULL: all providers. No foreign key: a schedule must
                                               -- never block maintaining the data; a run for a provider
                                               -- that has gone fails with a recorded error instead.
    exact       INTEGER NOT NULL DEFAULT 0 CHECK (exact IN (0, 1)), -- 1: exact counts, 0: small counts suppressed
    out_dir     TEXT NOT NULL,                 -- absolute folder the workbooks go to
    keep        INTEGER NOT NULL CHECK (keep >= 0), -- workbooks to keep; 0 keeps them all
    paused      INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    created_at  TEXT NOT NULL,
    last_due_at TEXT                           -- the latest due time handled; NULL: none yet (count from created_at)
);

-- Run history is deleted with its schedule (ON DELETE CASCADE), but the files
-- the runs wrote are not: they become ordinary files that no retention will
-- ever touch, and a new schedule that reuses the name cannot reach them.
CREATE TABLE schedule_runs (
    -- SQLite: INTEGER PRIMARY KEY is the rowid alias, assigned on insert.
    -- Dialect seam: PostgreSQL's migration declares
    --   id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
    -- instead; both return it through INSERT ... RETURNING id.
    id          INTEGER PRIMARY KEY,
    schedule    TEXT NOT NULL REFERENCES schedules (name) ON DELETE CASCADE,
    period_from TEXT NOT NULL,                 -- '' when the period could not be computed
    period_to   TEXT NOT NULL,
    trigger     TEXT NOT NULL CHECK (trigger IN ('cron', 'manual', 'catch-up')),
    started_at  TEXT NOT NULL,
    finished_at TEXT,                          -- NULL while running
    status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
    file        TEXT NOT NULL DEFAULT '',      -- absolute path of the workbook, '' unless ok
    size        INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT NOT NULL DEFAULT '',      -- lower-case hex
    error       TEXT NOT NULL DEFAULT '',
    pruned_at   TEXT                           -- when retention let go of the file (deleted it, or
                                               -- found it gone or changed and left it alone)
);
CREATE INDEX schedule_runs_schedule ON schedule_runs (schedule, id);

-- At most one row (id = 1): the scheduler that may run schedules. It is a
-- lease: the holder renews it while it runs, and once expires_at has passed
-- another scheduler may take it, so a crashed scheduler blocks no one for long.
CREATE TABLE scheduler_lock (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    holder       TEXT NOT NULL,
    acquired_at  TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
