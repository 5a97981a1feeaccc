-- Settings of this installation: one text value per key. The first is the
-- secret of the pseudonymous learner keys in indicator workbooks
-- ('pseudonym_secret', hex), generated once by `traject export indicators`
-- or the scheduler and never shown; replacing it changes every pseudonym.
-- Portable SQL (SQLite and PostgreSQL).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
