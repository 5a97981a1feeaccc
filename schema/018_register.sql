-- The attendance register (spec/domain.md: lesson, attendance, "Hours from
-- the register"). An enrollment with attendance records takes its
-- hours_attended from them; the store keeps that total in step in the
-- transaction of every write to the register (internal/store/register.go).
-- Portable SQL (SQLite and PostgreSQL).

-- One scheduled lesson of a group; a group has at most one lesson a day.
CREATE TABLE lessons (
    group_code TEXT NOT NULL REFERENCES course_groups (code),
    date       TEXT NOT NULL,
    hours      DOUBLE PRECISION NOT NULL CHECK (hours > 0),
    PRIMARY KEY (group_code, date)
);
CREATE INDEX lessons_date ON lessons (date);

-- One learner's presence at one lesson. hours NULL: blank, the lesson's
-- hours for present and 0 for absent and excused (domain.AttendanceHours).
CREATE TABLE attendance (
    learner    TEXT NOT NULL REFERENCES learners (id),
    group_code TEXT NOT NULL,
    date       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent', 'excused')),
    hours      DOUBLE PRECISION CHECK (hours >= 0),
    PRIMARY KEY (learner, group_code, date),
    FOREIGN KEY (group_code, date) REFERENCES lessons (group_code, date)
);
CREATE INDEX attendance_group ON attendance (group_code, date);
CREATE INDEX attendance_date ON attendance (date);
