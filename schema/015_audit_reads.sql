-- Issue 18: reads of a learner's personal data and what the audit trail
-- may hold.
--
-- Opening a learner's page and reading a learner through the API are
-- recorded as their own action, 'view', without values, as 013's 'export'
-- is for the whole download: who saw a learner is something a data
-- protection officer must be able to answer.
--
-- A survey response's comment is for no one to read (auth.CanSeeResponse),
-- yet the trail of a named response held it, and the learner page showed it
-- to the learner's teachers. The store no longer writes it (store.Audit);
-- the entries written before lose it here.
--
-- As in 010 and 013, SQLite rebuilds audit_log with the same columns, ids
-- and indexes to change its CHECK constraint; PostgreSQL replaces the
-- constraint. Both run again cleanly (a test re-applies this migration).

CREATE TABLE audit_log_new (                                                    -- sqlite only
    id          INTEGER PRIMARY KEY,                                            -- sqlite only
    at          TEXT NOT NULL,                                                  -- sqlite only
    username    TEXT NOT NULL,                                                  -- sqlite only
    action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'erase', 'export', 'view')), -- sqlite only
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
    CHECK (action IN ('create', 'update', 'delete', 'erase', 'export', 'view')); -- postgres only

-- A learner's history lists changes, the personal-data box reads; page
-- views pile up, so each list has an index of its own (store.ListAudit and
-- store.ListReads name these actions literally, for the planners to use
-- them).
CREATE INDEX IF NOT EXISTS audit_log_learner_changes ON audit_log (learner, at)
    WHERE action NOT IN ('export', 'view');
CREATE INDEX IF NOT EXISTS audit_log_learner_reads ON audit_log (learner, at)
    WHERE action IN ('export', 'view');

UPDATE audit_log SET before_json = json_remove(before_json, '$.comment')        -- sqlite only
    WHERE entity = 'survey_responses' AND json_valid(before_json);              -- sqlite only
UPDATE audit_log SET after_json = json_remove(after_json, '$.comment')          -- sqlite only
    WHERE entity = 'survey_responses' AND json_valid(after_json);               -- sqlite only
UPDATE audit_log SET before_json = (before_json::jsonb - 'comment')::text       -- postgres only
    WHERE entity = 'survey_responses' AND before_json IS NOT NULL;              -- postgres only
UPDATE audit_log SET after_json = (after_json::jsonb - 'comment')::text         -- postgres only
    WHERE entity = 'survey_responses' AND after_json IS NOT NULL;               -- postgres only
