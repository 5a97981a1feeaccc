-- Survey rounds (bevragingen): a coordinator opens a round for one provider
-- and one kind of respondent; anyone with its link answers on Traject's own
-- survey page until the round closes. Portable SQL (SQLite and PostgreSQL).

-- A round. token is the unguessable part of the public link; closes is the
-- last day on which it takes answers; closed_at is set when the coordinator
-- closes it early.
CREATE TABLE survey_rounds (
    id          TEXT PRIMARY KEY,
    token       TEXT NOT NULL UNIQUE,
    provider    TEXT NOT NULL REFERENCES providers (code),
    respondent  TEXT NOT NULL CHECK (respondent IN ('learner', 'staff', 'partner')),
    closes      TEXT NOT NULL,
    ask_learner INTEGER NOT NULL DEFAULT 0,
    opened_by   TEXT NOT NULL,
    opened_at   TEXT NOT NULL,
    closed_at   TEXT
);
CREATE INDEX survey_rounds_provider ON survey_rounds (provider);

-- The form tokens spent on a round: one row per accepted submission, so that
-- a form cannot be posted twice and a round can count its answers. response
-- is the survey response it became.
CREATE TABLE survey_nonces (
    nonce    TEXT PRIMARY KEY,
    round    TEXT NOT NULL REFERENCES survey_rounds (id),
    response TEXT NOT NULL,
    used_at  TEXT NOT NULL
);
CREATE INDEX survey_nonces_round ON survey_nonces (round);
