-- The web application: the goals a teacher ticks on an evaluation, and the
-- indexes that the pages' queries need on a large database.

-- The module goals achieved in one evaluation (spec/domain.md, goal: "Teachers
-- can record per evaluation which goals were achieved"). The evaluation is
-- named by its natural key; evaluations in a group only, so group_code is
-- never NULL here. Not a foreign key to evaluations: their key is an
-- expression index, which SQL cannot reference.
CREATE TABLE evaluation_goals (
    learner    TEXT NOT NULL REFERENCES learners (id),
    group_code TEXT NOT NULL REFERENCES course_groups (code),
    date       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    goal       TEXT NOT NULL REFERENCES goals (code),
    PRIMARY KEY (learner, group_code, date, kind, goal)
);
CREATE INDEX evaluation_goals_group ON evaluation_goals (group_code);

-- The learner list sorts by name and pages through it.
CREATE INDEX learners_name ON learners (last_name, first_name, id);
-- The counsellor's flags look up a learner's outflows and follow-ups by date
-- (their primary keys start with learner already), and the active enrollments.
CREATE INDEX enrollments_status ON enrollments (status, learner);
