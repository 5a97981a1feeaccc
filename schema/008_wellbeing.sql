-- Wellbeing, involvement and satisfaction (spec/domain.md: observation,
-- survey response). Scores are whole numbers 1-5, NULL where not given.
-- Portable SQL (SQLite and PostgreSQL).

-- A teacher's observation of one learner in one group on one day.
CREATE TABLE observations (
    learner     TEXT NOT NULL REFERENCES learners (id),
    group_code  TEXT NOT NULL REFERENCES course_groups (code),
    date        TEXT NOT NULL,
    wellbeing   INTEGER CHECK (wellbeing BETWEEN 1 AND 5),
    involvement INTEGER CHECK (involvement BETWEEN 1 AND 5),
    observer    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (learner, group_code, date),
    CHECK (wellbeing IS NOT NULL OR involvement IS NOT NULL)
);
CREATE INDEX observations_group ON observations (group_code, date);
CREATE INDEX observations_date ON observations (date);

-- One answer to a questionnaire of learners, staff or partners: imported from
-- a survey tool, or filled in on Traject's own survey page. learner and
-- group_code are optional (NULL: anonymous, or no group); when given they
-- name a known learner and group.
CREATE TABLE survey_responses (
    id           TEXT PRIMARY KEY,
    provider     TEXT NOT NULL REFERENCES providers (code),
    date         TEXT NOT NULL,
    respondent   TEXT NOT NULL CHECK (respondent IN ('learner', 'staff', 'partner')),
    learner      TEXT REFERENCES learners (id),
    group_code   TEXT REFERENCES course_groups (code),
    partner_type TEXT NOT NULL DEFAULT '',
    wellbeing    INTEGER CHECK (wellbeing BETWEEN 1 AND 5),
    involvement  INTEGER CHECK (involvement BETWEEN 1 AND 5),
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    comment      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX survey_responses_provider ON survey_responses (provider, date);
CREATE INDEX survey_responses_learner ON survey_responses (learner);
