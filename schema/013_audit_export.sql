-- Personal data (spec/domain.md, "Personal data: access, erasure and
-- retention"): reading everything stored about a learner on the web is
-- recorded in the audit trail as its own action, 'export', without values,
-- so that a data protection officer can tell who saw a learner's data.
-- As in 010, SQLite rebuilds audit_log with the same columns, ids and
-- indexes to change its CHECK constraint; PostgreSQL replaces the constraint.

CREATE TABLE audit_log_new (                                                    -- sqlite only
    id          INTEGER PRIMARY KEY,                                            -- sqlite only
    at          TEXT NOT NULL,                                                  -- sqlite only
    username    TEXT NOT NULL,                                                  -- sqlite only
    action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'erase', 'export')), -- sqlite only
    entity      TEXT NOT NULL,                                                  -- sqlite only
    record_key  TEXT NOT NULL,                                                  -- sqlite only
    learner     TEXT,                                                           -- sqlite only
    before_json TEXT,                                                           -- sqlite only
    after_json  TEXT                                                            -- sqlite only
);                                                                              -- sqlite only
INSERT INTO audit_log_new (id, at, username, action, entity, record_key, learner, before_json, after_json) -- sqlite only
    SELECT id, at, username, action, entity, record_key, learner, before_json, after_json FROM audit_log; -- sqlite only
DROP TABLE audit_log;                                                           -- sqlite only
ALTER TABLE audit_log_new RENAME TO audit_log;                                  -- sqlite only
CREATE INDEX audit_log_learner ON audit_log (learner, at);                      -- sqlite only
CREATE INDEX audit_log_at ON audit_log (at);                                    -- sqlite only
CREATE INDEX audit_log_record ON audit_log (entity, record_key);                -- sqlite only

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;                   -- postgres only
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check                     -- postgres only
    CHECK (action IN ('create', 'update', 'delete', 'erase', 'export'));        -- postgres only
