-- Mapping profiles are named per owner (issue 18): the key is (provider,
-- name), so that two providers may each keep a profile called, say,
-- "agentschap-maand", and a coordinator who picks a name another provider
-- uses is not told so, nor whose it is. Everyone's profiles (provider '')
-- are one more owner. SQLite rebuilds the table to change its primary key;
-- PostgreSQL replaces the constraint.

CREATE TABLE import_profiles_new (                                              -- sqlite only
    name        TEXT NOT NULL,                                                  -- sqlite only
    provider    TEXT NOT NULL DEFAULT '',                                       -- sqlite only
    profile     TEXT NOT NULL,                                                  -- sqlite only
    created_by  TEXT NOT NULL,                                                  -- sqlite only
    updated_at  TEXT NOT NULL,                                                  -- sqlite only
    PRIMARY KEY (provider, name)                                                -- sqlite only
);                                                                              -- sqlite only
INSERT INTO import_profiles_new (name, provider, profile, created_by, updated_at) -- sqlite only
    SELECT name, provider, profile, created_by, updated_at FROM import_profiles; -- sqlite only
DROP TABLE import_profiles;                                                     -- sqlite only
ALTER TABLE import_profiles_new RENAME TO import_profiles;                      -- sqlite only

ALTER TABLE import_profiles DROP CONSTRAINT import_profiles_pkey;               -- postgres only
ALTER TABLE import_profiles ADD PRIMARY KEY (provider, name);                   -- postgres only
