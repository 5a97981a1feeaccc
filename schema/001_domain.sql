-- The entities of spec/domain.md. Natural keys are primary keys or unique
-- indexes, so importing a record twice updates it and never duplicates it.
-- Portable SQL (SQLite and PostgreSQL): dates are ISO 'YYYY-MM-DD' text,
-- levels are ladder codes, optional references are NULL so that foreign keys
-- hold; keys over an optional column use a COALESCE expression index.

CREATE TABLE providers (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL
);

CREATE TABLE modules (
    code          TEXT PRIMARY KEY,
    provider      TEXT NOT NULL REFERENCES providers (code),
    name          TEXT NOT NULL,
    programme     TEXT NOT NULL,
    entry_level   TEXT NOT NULL,
    target_level  TEXT NOT NULL,
    skills        TEXT NOT NULL,
    nominal_hours INTEGER NOT NULL
);
CREATE INDEX modules_provider ON modules (provider);

CREATE TABLE goals (
    code        TEXT PRIMARY KEY,
    module      TEXT REFERENCES modules (code),
    skill       TEXT NOT NULL,
    level       TEXT NOT NULL,
    description TEXT NOT NULL,
    source      TEXT NOT NULL
);
CREATE INDEX goals_module ON goals (module);

CREATE TABLE learners (
    id               TEXT PRIMARY KEY,
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    birth_date       TEXT NOT NULL,
    gender           TEXT NOT NULL,
    home_language    TEXT NOT NULL DEFAULT '',
    country_of_birth TEXT NOT NULL DEFAULT '',
    schooling_level  TEXT NOT NULL,
    schooling_years  INTEGER,
    literacy         TEXT NOT NULL,
    learning_route   TEXT NOT NULL,
    civic_status     TEXT NOT NULL,
    perspective      TEXT NOT NULL,
    counsellor       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX learners_counsellor ON learners (counsellor);

CREATE TABLE learner_goals (
    learner      TEXT NOT NULL REFERENCES learners (id),
    skill        TEXT NOT NULL,
    target_level TEXT NOT NULL,
    set_date     TEXT NOT NULL,
    target_date  TEXT,
    PRIMARY KEY (learner, skill)
);

CREATE TABLE referrals (
    learner  TEXT NOT NULL REFERENCES learners (id),
    date     TEXT NOT NULL,
    source   TEXT NOT NULL,
    provider TEXT REFERENCES providers (code),
    PRIMARY KEY (learner, date)
);
CREATE INDEX referrals_date ON referrals (date);

-- "group" is an SQL keyword, hence course_groups and group_code.
CREATE TABLE course_groups (
    code          TEXT PRIMARY KEY,
    module        TEXT NOT NULL REFERENCES modules (code),
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    planned_hours INTEGER NOT NULL,
    teacher       TEXT NOT NULL DEFAULT '',
    intensity     TEXT NOT NULL
);
CREATE INDEX course_groups_module ON course_groups (module);
CREATE INDEX course_groups_teacher ON course_groups (teacher);

CREATE TABLE placements (
    learner            TEXT NOT NULL REFERENCES learners (id),
    date               TEXT NOT NULL,
    module             TEXT NOT NULL REFERENCES modules (code),
    method             TEXT NOT NULL,
    listening          TEXT,
    reading            TEXT,
    spoken_interaction TEXT,
    spoken_production  TEXT,
    writing            TEXT,
    PRIMARY KEY (learner, date, module)
);

CREATE TABLE enrollments (
    learner        TEXT NOT NULL REFERENCES learners (id),
    group_code     TEXT NOT NULL REFERENCES course_groups (code),
    start_date     TEXT NOT NULL,
    end_date       TEXT,
    status         TEXT NOT NULL,
    hours_attended DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (learner, group_code)
);
CREATE INDEX enrollments_group ON enrollments (group_code);

CREATE TABLE evaluations (
    learner            TEXT NOT NULL REFERENCES learners (id),
    group_code         TEXT REFERENCES course_groups (code),
    date               TEXT NOT NULL,
    kind               TEXT NOT NULL,
    listening          TEXT,
    reading            TEXT,
    spoken_interaction TEXT,
    spoken_production  TEXT,
    writing            TEXT,
    decision           TEXT NOT NULL,
    evaluator          TEXT NOT NULL DEFAULT '',
    feedback           TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX evaluations_key ON evaluations (learner, (COALESCE(group_code, '')), date, kind);
CREATE INDEX evaluations_group ON evaluations (group_code);

CREATE TABLE certificates (
    learner TEXT NOT NULL REFERENCES learners (id),
    kind    TEXT NOT NULL,
    module  TEXT REFERENCES modules (code),
    date    TEXT NOT NULL,
    number  TEXT NOT NULL DEFAULT '',
    level   TEXT
);
CREATE UNIQUE INDEX certificates_key ON certificates (learner, kind, (COALESCE(module, '')), date);

CREATE TABLE outflows (
    learner     TEXT NOT NULL REFERENCES learners (id),
    date        TEXT NOT NULL,
    type        TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    destination TEXT NOT NULL DEFAULT '',
    provider    TEXT REFERENCES providers (code),
    PRIMARY KEY (learner, date)
);
CREATE INDEX outflows_date ON outflows (date);

CREATE TABLE followups (
    learner TEXT NOT NULL REFERENCES learners (id),
    date    TEXT NOT NULL,
    status  TEXT NOT NULL,
    PRIMARY KEY (learner, date)
);
