-- Mapping profiles (spec/interchange.md, "Files from other systems: mapping
-- profiles"), kept so that next month's export of another system imports
-- with the profile saved this month. A profile belongs to one provider, or
-- to everyone (provider ''). Portable SQL (SQLite and PostgreSQL):
-- timestamps are RFC 3339 UTC text as in 002_schedules.sql.
CREATE TABLE import_profiles (
    name        TEXT PRIMARY KEY,
    provider    TEXT NOT NULL DEFAULT '',  -- '' : every provider's
    profile     TEXT NOT NULL,             -- the profile as JSON, as `traject profile show` prints it
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
