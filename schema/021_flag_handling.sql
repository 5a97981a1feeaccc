-- The counsellor's handling of a flag on the worklist (issue 20): a flag
-- marked "afgehandeld" (handled) or snoozed until a date. A handling is a
-- view on top of the flags of spec/early-warning.md, which stay as the spec
-- defines them; it names the situation that raised the flag by the day it
-- began (signal.Index.Since), so that a new occurrence of the same kind of
-- flag shows again. until NULL: handled; a date: snoozed until that day (the
-- flag shows again on it). Portable SQL (SQLite and PostgreSQL): dates are
-- YYYY-MM-DD text, timestamps RFC 3339 UTC text.
CREATE TABLE flag_handling (
    learner    TEXT NOT NULL REFERENCES learners (id),
    kind       TEXT NOT NULL,
    since      TEXT NOT NULL,
    until      TEXT,
    username   TEXT NOT NULL,
    handled_at TEXT NOT NULL,
    PRIMARY KEY (learner, kind, since)
);
