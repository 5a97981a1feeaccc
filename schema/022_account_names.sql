-- Accounts carry a display name and an e-mail address (issue 20, admin):
-- pages name people ("Sarah Peeters") rather than their user name, which
-- stays the key of the account (imports, the audit trail, the command
-- line). The address prepares a later sign-in with the organisation's
-- account; it is optional, and names at most one account (compared without
-- case). Checked by domain.CheckAccountProfile. Portable SQL (SQLite and
-- PostgreSQL).

ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email <> '';
